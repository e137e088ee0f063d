"""Opening the store: SQLite in WAL mode by default, PostgreSQL through a URL; migrations applied.

Where: ``--store PATH`` or ``ASYLUM_STORE`` (a file path, or a SQLAlchemy URL such as
``postgresql+psycopg://user@host/db`` for a shared server), else ``runs.sqlite`` in the user's
data folder (``$XDG_DATA_HOME/asylumengine``, ``~/.local/share/asylumengine``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

MIGRATIONS = Path(__file__).parent / "migrations"
_open: dict[str, Engine] = {}
_lock = threading.Lock()


class StoreError(Exception):
    """The store cannot be opened or read: one line naming the store and the problem."""


def default_location() -> str:
    env = os.environ.get("ASYLUM_STORE")
    if env:
        return env
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(base / "asylumengine" / "runs.sqlite")


def url_of(location: str | os.PathLike | None) -> str:
    """A SQLAlchemy URL: a URL as given, a path as a SQLite file (its folder created)."""
    loc = str(location) if location else default_location()
    if "://" in loc:
        return loc
    path = Path(loc).expanduser()
    if path.is_dir():
        raise StoreError(f"store {path}: is a folder; give a file name such as {path / 'runs.sqlite'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"store {path}: cannot create its folder ({exc.strerror or exc})") from None
    return f"sqlite:///{path.absolute()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; a killed writer leaves the last commit
    cur.execute("PRAGMA synchronous=FULL")  # a run reported done survives a power cut too
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def engine_for(location: str | os.PathLike | None = None) -> Engine:
    """One engine per store and process, migrated to the newest schema on first use."""
    url = url_of(location)
    with _lock:
        if url not in _open:
            _open[url] = _migrated(_create(url), url)
        return _open[url]


def _create(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"store {_safe(url)}: cannot open ({exc.__class__.__name__}: {exc})") from None


def _migrated(engine: Engine, url: str) -> Engine:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except (SQLAlchemyError, OSError) as exc:
        raise StoreError(f"store {_safe(url)}: cannot open or migrate ({exc.__class__.__name__}: {str(exc).splitlines()[0]})") from None
    return engine


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if sep and "://" in head:
        scheme, _, cred = head.partition("://")
        return f"{scheme}://{cred.split(':')[0]}@{tail}"
    return url.removeprefix("sqlite:///")


def integrity_check(engine: Engine) -> str:
    """SQLite's own check of every page and index ('ok' when sound)."""
    with engine.connect() as conn:
        return "; ".join(r[0] for r in conn.execute(text("PRAGMA integrity_check")))


def dispose(location: str | os.PathLike | None = None) -> None:
    """Close a store's connections (tests; a server at shutdown)."""
    with _lock:
        engine = _open.pop(url_of(location), None)
    if engine is not None:
        engine.dispose()
