"""`presslens evaluate time`: expression detection P/R/F1 and value accuracy on our own TIMEX-style dev set."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import evaluate_app


@evaluate_app.command("time")
def evaluate_time_command(
    gold: Optional[Path] = typer.Option(None, "--gold", help="JSONL dev set (default: presslens/evaluate/time_gold.jsonl, "
                                                             "sentences the presslens authors wrote)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    errors: bool = typer.Option(False, "--errors", help="Also list every miss, spurious hit and wrong value."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Time expressions: overlap-matched P/R/F1, value and type accuracy, per split (dev, heldout, all)."""
    import presslens
    from ..evaluate.time import evaluate

    pipeline = presslens.load(analyzers=["blocks", "entities", "time"], config_path=config)
    result = evaluate(gold, pipeline=pipeline)
    if as_json:
        typer.echo(json.dumps(result if errors else {k: v for k, v in result.items() if k != "errors"}, indent=2))
        return
    render(result, errors)


def render(result: dict, show_errors: bool) -> None:
    console = Console()
    table = Table(title=f"time vs {result['dev_set']} (our own sentences, not an independent corpus) — {result['seconds']} s")
    cols = ("split", "sentences", "gold", "pred", "P", "R", "F1", "value acc", "value acc (strict)", "type acc")
    for col in cols:
        table.add_column(col, justify="left" if col == "split" else "right")
    for split, row in result["scores"].items():
        table.add_row(split, str(row["sentences"]), str(row["gold"]), str(row["predicted"]),
                      *(f"{row[k]:.3f}" for k in ("precision", "recall", "f1", "value_accuracy", "value_accuracy_strict",
                                                   "type_accuracy")))
    console.print(table)
    console.print("Match: spans overlap. Value acc: exact value (and mod where gold has one) over matched; strict: over "
                  "all gold. 'dev' rows were used while writing the rules; 'heldout' rows were not.", highlight=False)
    if show_errors:
        for err in result["errors"]:
            console.print(json.dumps(err, ensure_ascii=False), highlight=False, markup=False)
