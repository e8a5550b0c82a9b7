"""`presslens claims score`, `presslens evaluate claims`, `presslens train claims`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import ConfigError, InputError
from . import app, err_console, evaluate_app, train_app

claims_app = typer.Typer(help="Check-worthy claims: score sentences with the shipped model.", no_args_is_help=True)
app.add_typer(claims_app, name="claims")

REPO = Path(__file__).resolve().parents[2]


def configured(config: Optional[str], threshold: Optional[float]) -> tuple[float, Any]:
    """(threshold, scorer) from --threshold or the [claims] section: its threshold and its model."""
    from ..analyzers.claims import Config
    from ..runtime.checkworthiness import load
    from ..config import build, load_config

    settings = build(Config, "claims", load_config(config))
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InputError("L17", f"--threshold {threshold} is outside [0, 1]", "scores are probabilities")
    scorer = load(settings.model, settings.depth)
    return (scorer.cut(settings.threshold) if threshold is None else threshold), scorer


@claims_app.command("score")
def score_command(
    tsv: Path = typer.Option(..., "--tsv", help="CheckThat!-style TSV: Sentence_id<TAB>Text[<TAB>class_label]."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Yes when score >= this (default: \\[claims] threshold)."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Write Sentence_id<TAB>score<TAB>Yes|No for every sentence to stdout."""
    from ..runtime.checkworthiness import read_tsv, score_rows

    cut, scorer = configured(config, threshold)
    out = sys.stdout
    for row, score, positive in score_rows(read_tsv(tsv), cut, scorer):
        out.write(f"{row.id}\t{score:.4f}\t{'Yes' if positive else 'No'}\n")
    out.flush()


@evaluate_app.command("claims")
def evaluate_command(
    tsv: Optional[Path] = typer.Option(None, "--tsv", help="Labelled TSV (default: CT24 English dev-test in ../shared)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Decision threshold (default: \\[claims] threshold)."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
    curve: bool = typer.Option(False, "--curve", help="Also print precision, recall and F1 at the cuts 0.05 … 0.95."),
    dev_set: Optional[str] = typer.Option(None, "--set", help="A dev set of ../shared/data/claims instead of --tsv: "
                                                              "ct24 (debates), ct22 (tweets), ct21 (speeches, MAP) or all."),
) -> None:
    """F1 of the positive class (the official CheckThat! metric), precision and recall."""
    from ..evaluate.claims import evaluate, evaluate_set

    cut, scorer = configured(config, threshold)
    if dev_set is not None:
        if tsv is not None or curve:
            raise InputError("L26", "--set reads its own dev files and cannot be combined with --tsv or --curve",
                             "give either --set NAME or --tsv FILE [--curve]")
        from ..evaluate.claim_sets import SETS

        names = list(SETS) if dev_set == "all" else [dev_set]
        typer.echo(f"model      {scorer.id} (threshold {cut:.2f})")
        typer.echo("set    split     sentences  Yes   F1      precision  recall  MAP")
        worst = []
        for name in names:
            r = evaluate_set(name, cut, scorer)
            score = r["map"] if r["metric"] == "map" else r["f1"]
            worst.append((score, name, r["metric"]))
            typer.echo(f"{name:<6} {r['split']:<9} {r['n']:>9}  {r['positives']:>4}  {r['f1']:.4f}  {r['precision']:.4f}"
                       f"     {r['recall']:.4f}  " + (f"{r['map']:.4f}" if "map" in r else "-"))
        if len(worst) > 1:
            score, name, metric = min(worst)
            typer.echo(f"worst      {name} {metric.upper()} {score:.4f} (each set by its task's measure)")
        return
    result = evaluate(tsv, cut, scorer, curve)
    typer.echo(f"file       {result['file']}")
    typer.echo(f"model      {result['model']} (threshold {result['threshold']:.2f})")
    typer.echo(f"sentences  {result['n']} ({result['positives']} Yes)")
    typer.echo(f"F1 (Yes)   {result['f1']:.4f}")
    typer.echo(f"precision  {result['precision']:.4f}")
    typer.echo(f"recall     {result['recall']:.4f}")
    if curve:
        typer.echo("threshold  F1      precision  recall")
        for row in result["curve"]:
            typer.echo(f"{row['threshold']:.2f}       {row['f1']:.4f}  {row['precision']:.4f}     {row['recall']:.4f}")


@train_app.command("claims")
def train_command(
    kind: str = typer.Option("minilm", "--kind", help="minilm (the encoder shared with techniques, int8 ONNX) or "
                                                      "tfidf (baseline)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: presslens/models/encoder, or "
                                                           "presslens/models/claims-tfidf)."),
    epochs: int = typer.Option(3, "--epochs", help="minilm: fine-tuning epochs over PTC + CT24."),
    budget_min: float = typer.Option(85.0, "--budget-min", help="minilm: stop training after this many minutes."),
    python: Optional[Path] = typer.Option(None, "--python", help="Interpreter of the training venv "
                                                                 "(default: .venv-train/bin/python, or this one for tfidf)."),
) -> None:
    """Rebuild the claims model from ../shared/data: the shared encoder (training/shipped/train_encoder.py, the same
    model `presslens train techniques` builds) or the TF-IDF baseline (training/shipped/train_claims_tfidf.py)."""
    if kind == "minilm":
        from .techniques import train_encoder

        return train_encoder(epochs, budget_min, python, out)
    module = "training.shipped.train_claims_tfidf"
    script = REPO / "training" / "shipped" / "train_claims_tfidf.py"
    if not script.exists():
        raise ConfigError("L20", f"training script {script} is not here", "run this from a git checkout of presslens")
    if kind not in ("minilm", "tfidf"):
        raise InputError("L21", f"unknown --kind {kind!r}", "use minilm or tfidf")
    if python is None:
        python = Path(sys.executable) if kind == "tfidf" else REPO / ".venv-train" / "bin" / "python"
    if not Path(python).exists():
        raise ConfigError("L22", f"training interpreter {python} does not exist",
                          "build the training venv (torch, transformers, onnx) or pass --python")
    cmd = [str(python), "-m", module] + (["--out", str(out)] if out else [])
    err_console.print(f"running: {' '.join(cmd)}", highlight=False, markup=False)
    rc = subprocess.call(cmd, env=dict(os.environ), cwd=REPO)
    if rc != 0:
        raise ConfigError("L23", f"training exited with status {rc}", "see its output above")
    err_console.print("done: use it with [claims] model = \"claims-tfidf\" (its threshold is in its manifest)",
                      highlight=False, markup=False)
