"""The run store: scenarios, runs and results in SQLite (WAL) or PostgreSQL, and API tokens.

    >>> engine = engine_for("runs.sqlite")                 # migrated to the newest schema
    >>> run_id = record(engine, scenarios=[s], years=10, replications=200, seed=1, inputs={...},
    ...                 owner="cli:ana", started=now(), results=results)
    >>> get_result(engine, run_id)["manifest"]["law_hash"]
"""

from asylumengine.store.db import StoreError, default_location, dispose, engine_for, integrity_check, url_of
from asylumengine.store.runs import RUN_ID, digest, get_result, get_run, list_runs, new_id, now, pins_changed, record, rerun
from asylumengine.store.tokens import TokenError

__all__ = ["RUN_ID", "StoreError", "TokenError", "default_location", "digest", "dispose", "engine_for", "get_result", "get_run",
           "integrity_check", "list_runs", "new_id", "now", "pins_changed", "record", "rerun", "url_of"]
