"""`asylum runs`, `asylum rerun RUN_ID`, `asylum token create|revoke|list`, and recording the runs
of `asylum simulate` / `compare` (``--store PATH`` or ``--record``) in the run store."""

from __future__ import annotations

import getpass
import sys
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

StoreOption = Annotated[
    Optional[Path], typer.Option("--store", help="Run store: a SQLite file or a database URL (default: $ASYLUM_STORE, else the user data folder).")
]  # fmt: skip
RecordOption = Annotated[bool, typer.Option("--record", help="Record the run in the run store (implied by --store).")]

token_app = typer.Typer(help="API tokens: anything that starts work through the API needs one.", no_args_is_help=True)


def _fail(message: str, code: int = 2):
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=code)


def _engine(store: Path | None):
    from asylumengine.store import StoreError, engine_for

    try:
        return engine_for(store)
    except StoreError as exc:
        _fail(str(exc))


def recorder(store: Path | None, record: bool):
    """What records a finished CLI run (``--store PATH`` or ``--record``), or does nothing. The
    store is opened now, so a store that cannot be opened fails before the simulation runs."""
    if not (store or record):
        return lambda *args: None
    from asylumengine.store import now
    from asylumengine.store import record as write

    engine, started = _engine(store), now()

    def keep(results, scenario_files: list[Path], years: int, replications: int, seed: int) -> str:
        inputs = {"scenarios": [str(p) for p in scenario_files], "years": years, "replications": replications, "seed": seed}
        rid = write(engine, scenarios=[r.scenario for r in results], years=years, replications=replications, seed=seed,
                    inputs=inputs, owner=f"cli:{getpass.getuser()}", started=started, results=results)  # fmt: skip
        Console(stderr=True).print(f"recorded: run {rid} (asylum rerun {rid})", highlight=False)  # stdout stays the result
        return rid

    return keep


def runs(store: StoreOption = None, limit: Annotated[int, typer.Option(min=1, max=10_000, help="Newest runs shown.")] = 50,
         json_out: Annotated[bool, typer.Option("--json", help="As JSON lines.")] = False) -> None:  # fmt: skip
    """The stored runs, newest first: id, kind, status, scenarios, seed, who started it, pins."""
    from asylumengine.store import list_runs, pins_changed

    rows = list_runs(_engine(store), limit=limit)
    if json_out:
        for r in rows:
            typer.echo(json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}))
        return
    t = Table("id", "kind", "status", "finished (UTC)", "seconds", "years", "reps", "seed", "owner", "pins")
    for r in rows:
        pins = "changed" if pins_changed(r) else "current"
        t.add_row(r["id"], r["kind"], r["status"], f"{r['finished_at']:%Y-%m-%d %H:%M:%S}", f"{r['seconds']:.1f}", str(r["years"]),
                  str(r["replications"]), str(r["seed"]), escape(r["owner"]), pins)  # fmt: skip
    Console(width=None if sys.stdout.isatty() else 160).print(t)


def rerun(run_id: Annotated[str, typer.Argument(help="A run id from `asylum runs`.")], store: StoreOption = None,
          json_out: Annotated[bool, typer.Option("--json", help="Print the rerun's result JSON.")] = False) -> None:  # fmt: skip
    """Run a stored run again from its stored scenarios, inputs and seed; say whether the bits are identical.
    Exit 0: identical; 1: different (a changed code, law or data version says so first)."""
    from asylumengine.store import get_result, get_run, pins_changed
    from asylumengine.store import rerun as do_rerun

    engine = _engine(store)
    row = get_run(engine, run_id)
    if row is None:
        _fail(f"no run {run_id!r} in the store (asylum runs lists them)")
    if row["status"] != "done":
        _fail(f"run {run_id} {row['status']}: {row['error']}")
    err = Console(stderr=True)
    for change in pins_changed(row):
        err.print(f"[yellow]Pinned version changed[/] - {escape(change)}: the result may differ", highlight=False)
    _, fresh = do_rerun(engine, row)
    stored_digest = _stored_digest(engine, run_id)
    same = fresh["digest"] == stored_digest and fresh["summary"] == get_result(engine, run_id)
    if json_out:
        typer.echo(json.dumps(fresh["summary"], indent=2))
    err.print(f"run {run_id}: " + ("identical (every replication's indicators, bit for bit)" if same else
              f"DIFFERENT from the stored result (digest {fresh['digest']} against {stored_digest})"), highlight=False)  # fmt: skip
    raise typer.Exit(0 if same else 1)


def _stored_digest(engine, run_id: str) -> str:
    from sqlalchemy import select

    from asylumengine.store.schema import results

    with engine.connect() as conn:
        return conn.execute(select(results.c.digest).where(results.c.run_id == run_id)).scalar()


@token_app.command("create")
def token_create(name: Annotated[str, typer.Argument(help="Who or what the token is for.")], store: StoreOption = None) -> None:
    """A new API token; it is shown once (only its hash is stored)."""
    from asylumengine.store import tokens

    try:
        tid, token = tokens.create(_engine(store), name)
    except tokens.TokenError as exc:
        _fail(str(exc))
    Console(stderr=True).print(f"token {tid} for {escape(name)} (send as: Authorization: Bearer <token>; shown once):", highlight=False)
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token's id (asylum token list).")], store: StoreOption = None) -> None:
    """Revoke a token: from now on it can neither start jobs nor read its runs."""
    from asylumengine.store import tokens

    try:
        name = tokens.revoke(_engine(store), token_id)
    except tokens.TokenError as exc:
        _fail(str(exc))
    typer.echo(f"revoked token {token_id} ({name})")


@token_app.command("list")
def token_list(store: StoreOption = None) -> None:
    """The tokens: id, name, created, revoked (never the secrets)."""
    from asylumengine.store import tokens

    t = Table("id", "name", "created (UTC)", "revoked (UTC)")
    for r in tokens.list_tokens(_engine(store)):
        t.add_row(r["id"], escape(r["name"]), f"{r['created_at']:%Y-%m-%d %H:%M}", f"{r['revoked_at']:%Y-%m-%d %H:%M}" if r["revoked_at"] else "")
    Console(width=None if sys.stdout.isatty() else 160).print(t)
