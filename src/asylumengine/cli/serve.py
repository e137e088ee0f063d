"""`asylum serve`: the web app and the REST API on one local server (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (jobs are kept per process: use 1 for the web app).", min=1)] = 1,
) -> None:
    """The web app and REST API: case routes, solidarity, scenarios; API docs at /docs."""
    import uvicorn

    typer.echo(f"AsylumEngine: http://{host}:{port}/  (API docs: http://{host}:{port}/docs; Ctrl+C stops)")
    uvicorn.run("asylumengine.api:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning", access_log=False)
