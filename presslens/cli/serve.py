"""`presslens serve`: the web app over a SQLite corpus store (created on first run), on 127.0.0.1 by default."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from . import app, err_console

DEFAULT_DB = "presslens.db"
# Binding these means every interface: the names the app is reached by must be given with --allow-host.
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program holds, before loading the models (uvicorn would print a raw socket error)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError("W32", f"cannot listen on {host}:{port} ({exc.strerror}: not an address of this machine)",
                         "use 127.0.0.1, or an address this machine has") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError("W31", f"port {port} on {host} is already in use by another program",
                                 f"stop that program, or pick another port, e.g. --port {port + 1}") from exc
            raise InputError("W32", f"cannot listen on {host}:{port} ({exc.strerror})",
                             "use 127.0.0.1 and a port above 1024") from exc


@app.command("serve")
def serve_command(
    db: Path = typer.Option(Path(DEFAULT_DB), "--db", help="SQLite corpus store; created on first run."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind. Keep 127.0.0.1 unless you mean to "
                                                          "share the app: it has no login."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
    allow_host: list[str] = typer.Option([], "--allow-host", help="Also answer requests for this host name "
                                                                  "(repeatable; the loopback names always work)."),
) -> None:
    """Serve the web app: paste/upload articles, search the corpus, entity pages, dashboard, JSON API."""
    import uvicorn

    from .. import load
    from ..store import Store
    from ..web import create_app

    if not 0 < port < 65536:
        raise InputError("W30", f"--port {port} is not a TCP port", "use a number from 1 to 65535, e.g. 8000")
    check_port_free(host, port)
    store = Store(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning[/] binding {host}: anyone who can reach this machine can use the app "
                          "(there is no login)", highlight=False)
    if host in WILDCARD_HOSTS and not allow_host:
        err_console.print(f"[yellow]warning[/] binding {host or 'every interface'}: requests are answered only for "
                          "127.0.0.1/localhost; name the others with --allow-host NAME", highlight=False)
    err_console.print("loading the analysis pipeline…", highlight=False)
    pipeline = load(config_path=config)
    err_console.print(f"presslens on http://{host}:{port}/  (store: {db})", highlight=False)
    try:
        hosts = [*allow_host, *([host] if host not in WILDCARD_HOSTS else [])]
        uvicorn.run(create_app(store, pipeline, allowed_hosts=hosts), host=host, port=port, log_level="warning")
    finally:
        store.close()
