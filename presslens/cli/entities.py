"""`presslens evaluate entities`: score the entities layer against GUM named mentions and their clusters."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import evaluate_app


class GumSplit(str, Enum):
    dev = "dev"
    train = "train"


@evaluate_app.command("entities")
def evaluate_entities_command(
    data: Optional[Path] = typer.Option(None, "--data", help="Folder of GUM .conll files "
                                                             "(default: ../shared/data/entities/gum_news/gum/<split>)."),
    split: GumSplit = typer.Option(GumSplit.dev, "--split",
                                   help="dev | train: which GUM split under the default data folder."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Score only the first N documents (quick runs)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Named-mention detection P/R/F1 and clustering B³ / pairwise scores against GUM."""
    import presslens
    from ..evaluate.entities import DEFAULT_DATA, evaluate

    pipeline = presslens.load(analyzers=["blocks", "entities"], config_path=config)
    result = evaluate(data if data is not None else DEFAULT_DATA.parent / split.value, pipeline=pipeline, limit=limit)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    console = Console()
    table = Table(title=f"entities vs GUM — {result['documents']} documents, {result['seconds']} s")
    for col in ("score", "P", "R", "F1", "counts"):
        table.add_column(col, justify="left" if col in ("score", "counts") else "right")
    m, b, pw = result["mentions"], result["b_cubed"], result["pairwise"]
    table.add_row("named mentions", f"{m['p']:.3f}", f"{m['r']:.3f}", f"{m['f1']:.3f}",
                  f"gold {m['gold']}, predicted {m['predicted']}, matched {m['tp']}")
    table.add_row("clusters B³", f"{b['p']:.3f}", f"{b['r']:.3f}", f"{b['f1']:.3f}", "over matched gold mentions")
    table.add_row("clusters pairwise", f"{pw['p']:.3f}", f"{pw['r']:.3f}", f"{pw['f1']:.3f}",
                  f"gold links {pw['gold_links']}, predicted {pw['predicted_links']}")
    console.print(table)
    console.print("Named = GUM person/organization/place mention written as a capitalised name; a prediction matches "
                  "when it overlaps and ends on the same token (see presslens/evaluate/entities.py).", highlight=False)
