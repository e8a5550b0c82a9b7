"""`presslens evaluate genre|frames|stance`: score the judgement analyzers on the team's own dev set."""
from __future__ import annotations

import json
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import evaluate_app

HEADLINE = {"genre": ("accuracy", "macro_f1"), "frames": ("micro_precision", "micro_recall", "micro_f1"),
            "stance": ("accuracy", "unmatched")}
NOTE = ("dev set written and labelled by the team that tuned the rules: figures are optimistic. Thresholds were "
        "set on 'tune' ('report' was visible too); 'heldout'/'heldout2' were written later and prompted fixes after "
        "their first scoring, recorded as first_score in benchmarks/floors/{genre,frames,stance}.json.")


def run(task: str, data: Optional[str], no_meta: bool, as_json: bool) -> None:
    import importlib

    result = importlib.import_module(f"presslens.evaluate.{task}").evaluate(data, use_meta=not no_meta)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    console = Console()
    table = Table(title=f"{task} on judgements_dev" + (" (outlet metadata hidden)" if no_meta else ""))
    table.add_column("split")
    table.add_column("n", justify="right")
    for key in HEADLINE[task]:
        table.add_column(key, justify="right")
    for split, metrics in result.items():
        table.add_row(split, str(metrics["n"]), *(str(metrics[k]) for k in HEADLINE[task]))
    console.print(table)
    detail = result["all"].get("confusion") or result["all"].get("errors")
    console.print(f"all, {'confusion' if 'confusion' in result['all'] else 'errors'}: {detail}", highlight=False)
    console.print(f"[dim]{NOTE}[/]")


def _command(task: str):
    def command(
        data: Optional[str] = typer.Option(None, "--data", help="A judgements .jsonl (default: the shipped dev set)."),
        no_meta: bool = typer.Option(False, "--no-meta", help="Hide the outlet name from the analyzers."),
        as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    ) -> None:
        run(task, data, no_meta, as_json)

    command.__doc__ = f"Score the {task} analyzer on the judgements dev set (tune / report / all)."
    return command


# `evaluate stance` lives in cli/stance.py: --set actors runs this scorer, --set pairs the stance reader.
for _task in ("genre", "frames"):
    evaluate_app.command(_task)(_command(_task))
