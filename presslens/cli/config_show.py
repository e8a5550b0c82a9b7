"""`presslens config show`: the effective configuration (defaults < profile < --config FILE < --profile)."""
from __future__ import annotations

from typing import Optional

import typer

from ..config import load_config
from . import config_app


@config_app.command("show")
def show(config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
         profile: Optional[str] = typer.Option(None, "--profile", help="A named set of settings: default | accurate.")
         ) -> None:
    """Print the effective configuration as TOML-like sections."""
    overrides = {"profile": {"name": profile}} if profile is not None else None
    for section, values in load_config(config, overrides).items():
        typer.echo(f"[{section}]")
        for key, value in values.items():
            typer.echo(f"{key} = {value!r}")
        typer.echo("")
