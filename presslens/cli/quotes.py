"""`presslens evaluate quotes`: score the quotes layer against PolNeAR attribution relations."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import evaluate_app


@evaluate_app.command("quotes")
def evaluate_quotes_command(
    data: Optional[Path] = typer.Option(None, "--data", help="PolNeAR folder holding train/ and dev/ "
                                                             "(default: ../shared/data/quotes/polnear)."),
    split: str = typer.Option("dev", "--split", help="dev | train"),
    limit: Optional[int] = typer.Option(None, "--limit", help="Score only the first N articles (quick runs)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Content P/R/F1 at >=0.3 and >=0.8 token overlap and speaker accuracy, direct vs other quotes."""
    import presslens
    from ..evaluate.quotes import evaluate

    pipeline = presslens.load(analyzers=["blocks", "entities", "quotes"], config_path=config)
    result = evaluate(data, split, limit, pipeline=pipeline)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    render(result)


def render(result: dict) -> None:
    console = Console(width=None if sys.stdout.isatty() else 132)
    table = Table(title=f"quotes vs PolNeAR {result['split']} — {result['articles']} articles, {result['seconds']} s")
    for col in ("quotes", "gold", "pred", "P@.3", "R@.3", "F1@.3", "P@.8", "R@.8", "F1@.8", "speaker acc (n)"):
        table.add_column(col, justify="left" if col == "quotes" else "right")
    for name, row in result["scores"].items():
        table.add_row(name, str(row["gold"]), str(row["predicted"]),
                      *(f"{row[k]:.3f}" for k in ("p@0.3", "r@0.3", "f1@0.3", "p@0.8", "r@0.8", "f1@0.8")),
                      f"{row['speaker_acc']:.3f} ({row['speaker_n']})")
    console.print(table)
    console.print(f"overlap = {result['overlap']}; direct = gold content holds a quotation mark. "
                  "Speaker: mention/entity overlaps the gold Source, or shares a name word with it.", highlight=False)
    if result["skipped"]:
        console.print(f"[yellow]skipped[/] {len(result['skipped'])} article(s): {', '.join(result['skipped'][:5])}")
