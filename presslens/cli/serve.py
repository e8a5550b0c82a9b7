"""`presslens serve`: the web app over a SQLite corpus store (created on first run), on 127.0.0.1 by default."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from . import app, err_console

DEFAULT_DB = "presslens.db"


@app.command("serve")
def serve_command(
    db: Path = typer.Option(Path(DEFAULT_DB), "--db", help="SQLite corpus store; created on first run."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind. Keep 127.0.0.1 unless you mean to "
                                                          "share the app: it has no login."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Serve the web app: paste/upload articles, search the corpus, entity pages, dashboard, JSON API."""
    import uvicorn

    from .. import load
    from ..store import Store
    from ..web import create_app

    if not 0 < port < 65536:
        raise InputError("W30", f"--port {port} is not a TCP port", "use a number from 1 to 65535, e.g. 8000")
    store = Store(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning[/] binding {host}: anyone who can reach this machine can use the app "
                          "(there is no login)", highlight=False)
    err_console.print("loading the analysis pipeline…", highlight=False)
    pipeline = load(config_path=config)
    err_console.print(f"presslens on http://{host}:{port}/  (store: {db})", highlight=False)
    try:
        uvicorn.run(create_app(store, pipeline), host=host, port=port, log_level="warning")
    finally:
        store.close()
