"""`asylum serve`: the web app and the REST API on one local server (uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (jobs are kept per process: use 1 for the web app).", min=1)] = 1,
    store: Annotated[Optional[str], typer.Option(help="Run store: SQLite file or database URL (default: $ASYLUM_STORE, else the user data folder).")] = None,
) -> None:
    """The web app and REST API: case routes, solidarity, scenarios; API docs at /docs. Starting
    jobs needs a token (`asylum token create NAME`) or, from this machine, the pages' session."""
    import uvicorn

    from asylumengine.store import StoreError, engine_for

    if store:
        os.environ["ASYLUM_STORE"] = str(Path(store).expanduser().absolute()) if "://" not in store else store
    try:
        engine_for(os.environ.get("ASYLUM_STORE"))  # a store that cannot be opened: one line now, not a traceback later
    except StoreError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from None

    options = {"log_level": "warning", "access_log": False}
    if workers == 1:
        typer.echo(f"AsylumEngine: http://{host}:{port}/  (API docs: http://{host}:{port}/docs; Ctrl+C stops)")
        uvicorn.run("asylumengine.api:create_app", factory=True, host=host, port=port, **options)
        return
    from asylumengine.api import workers as pool  # each connection to the next process in turn (see there)

    try:
        listener = pool.listen(host, port)
    except OSError as exc:
        typer.echo(f"Error: --host/--port: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"AsylumEngine: http://{host}:{port}/  ({workers} processes; API docs: http://{host}:{port}/docs; Ctrl+C stops)")
    pool.serve(listener, workers, **options)
