"""`presslens stance pairs` and `presslens evaluate stance [--set pairs|actors|all]`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from . import app, evaluate_app

stance_app = typer.Typer(help="Stance of a text toward a claim (agree, disagree, discuss, unrelated).",
                         no_args_is_help=True)
app.add_typer(stance_app, name="stance")
# Pairs are read in chunks of this many so memory stays flat on long files; each text is read once per chunk.
CHUNK = 512


@stance_app.command("pairs")
def pairs_command(tsv: Path = typer.Option(..., "--tsv", help="id<TAB>claim<TAB>text lines, no header.")) -> None:
    """Write id<TAB>label<TAB>confidence for every line to stdout (whole texts are read)."""
    from ..runtime.stance_reader import load_stance_reader
    from ..runtime.stance_tsv import read_pairs

    pairs = read_pairs(tsv)
    reader = load_stance_reader()
    out = sys.stdout
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start:start + CHUNK]
        for pair, (label, confidence) in zip(chunk, reader.predict_many([(p.claim, p.text) for p in chunk])):
            out.write(f"{pair.id}\t{label}\t{confidence:.4f}\n")
    out.flush()


def print_pairs(result: dict) -> None:
    typer.echo(f"model       {result['model']}")
    typer.echo(f"hold-out    {result['pairs']} pairs, {result['bodies']} bodies (FNC-1 splits/hold_out_ids.txt)")
    typer.echo(f"FNC score   {result['fnc_score']:.2f}")
    typer.echo(f"macro-F1    {result['macro_f1']:.4f}")
    typer.echo("F1          " + "  ".join(f"{k} {v:.4f}" for k, v in result["f1"].items()))
    typer.echo("confusion   gold \\ predicted: " + " ".join(result["confusion"]))
    for gold, row in result["confusion"].items():
        typer.echo(f"  {gold:<10}" + "".join(f"{n:>8}" for n in row.values()))
    typer.echo(f"speed       {result['pairs_per_second']} pairs/s")


@evaluate_app.command("stance")
def evaluate_command(
    which: str = typer.Option("pairs", "--set", help="pairs: the stance reader on the FNC-1 hold-out; actors: the "
                                                     "stance analyzer on the judgements dev set; all: both."),
    data: Optional[str] = typer.Option(None, "--data", help="pairs: an FNC-1 folder (default ../shared/data/stance/"
                                                            "fnc-1); actors: a judgements .jsonl."),
    limit: Optional[int] = typer.Option(None, "--limit", help="pairs: score only the first N hold-out pairs."),
    no_meta: bool = typer.Option(False, "--no-meta", help="actors: hide the outlet name from the analyzers."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
) -> None:
    """Score stance: the FNC-1 score and macro-F1 of the stance reader (pairs), the actors' stance (actors)."""
    if which not in ("pairs", "actors", "all"):
        raise InputError("P16", f"unknown --set {which!r}", "use pairs, actors or all")
    result = {}
    if which in ("pairs", "all"):
        from ..evaluate.stance_pairs import evaluate

        result["pairs"] = evaluate(Path(data) if data and which == "pairs" else None, limit)
        if not as_json:
            print_pairs(result["pairs"])
    if which in ("actors", "all"):
        from .judgements import run

        actors_data = data if which == "actors" else None
        if as_json:
            from ..evaluate.stance import evaluate as evaluate_actors

            result["actors"] = evaluate_actors(actors_data, use_meta=not no_meta)
        else:
            run("stance", actors_data, no_meta, False)
    if as_json:
        # --set actors keeps the analyzer's own JSON shape (the one benchmarks/floors/stance.json records).
        typer.echo(json.dumps(result["actors"] if which == "actors" else result.get("pairs") if which == "pairs"
                              else result, indent=2))
