"""`presslens analyze ARTICLE`: read, analyse, render (text, json, jsonl or html)."""
from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from ..atomic import write_atomic
from ..errors import InputError
from ..ingest import Failure, read
from . import app, err_console

FORMATS = ("text", "json", "jsonl", "html")


def example_path() -> Path:
    return Path(__file__).resolve().parent.parent / "examples" / "harbour-strike.txt"


@app.command("analyze")
def analyze_command(
    article: str = typer.Argument(..., help="A .txt/.html/.jsonl file, a directory, a glob, '-' for stdin, "
                                            "or 'example' for the built-in example article."),
    format: str = typer.Option("text", "--format", "-f", help="text | json | jsonl | html"),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD (anchors relative dates)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of stdout (written atomically)."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
    analyzers: Optional[str] = typer.Option(None, "--analyzers", help="Comma-separated analyzers to run (default: all configured)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="A named set of settings: default | accurate "
                                                                  "(slower, more accurate; for single articles)."),
) -> None:
    """Analyse articles: who said what, who is who, when, what is not body text."""
    from .. import load
    from ..config import load_config

    if format not in FORMATS:
        raise InputError("I40", f"unknown format {format!r}", f"use one of: {', '.join(FORMATS)}")
    if profile is not None:
        load_config(config, {"profile": {"name": profile}})  # an unknown profile fails before any input is read
    source = str(example_path()) if article == "example" else article
    names = [a.strip() for a in analyzers.split(",") if a.strip()] if analyzers else None
    documents, failures = [], []
    inputs = read(source, published=published)
    first = next_readable(inputs, failures)
    if first is not None:  # load the models only once there is something to analyse
        pipeline = load(analyzers=names, config_path=config, profile=profile)
        for result in pipeline.pipe(itertools.chain([first], inputs)):
            (failures if isinstance(result, Failure) else documents).append(result)
    if documents:
        write_output(render(documents, format, color=out is None and sys.stdout.isatty()), out)
    for doc in documents:
        for warning in doc.meta.get("warnings", []):
            where = escape(str(doc.meta.get("source") or doc.meta.get("id")))
            err_console.print(f"[yellow]warning[/] {where}: {escape(warning)}", highlight=False)
    report_failures(failures)
    if not documents:
        if len(failures) == 1:
            raise failures[0].error
        raise InputError("I41", f"nothing could be analysed ({len(failures)} inputs failed)", "see the errors above")


def next_readable(inputs, failures: list[Failure]):
    """The first article that could be read; failures before it are collected."""
    for item in inputs:
        if isinstance(item, Failure):
            failures.append(item)
            continue
        return item
    return None


def render(documents: list, format: str, color: bool = False) -> str:
    if format == "json":
        payload = documents[0].to_dict() if len(documents) == 1 else [d.to_dict() for d in documents]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if format == "jsonl":
        return "".join(d.to_json() + "\n" for d in documents)
    if format == "html":
        from ..report.html import render_html

        return render_html(documents)
    from ..report.text import render_text

    return render_text(documents, color=color)


def report_failures(failures: list[Failure]) -> None:
    if not failures:
        return
    err_console.print(f"[bold red]{len(failures)} input(s) could not be analysed:[/]")
    for failure in failures:
        err_console.print(f"  {failure.source}: [{failure.code}] {failure.error.message}", highlight=False, markup=False)
        if failure.error.hint:
            err_console.print(f"    hint: {failure.error.hint}", highlight=False, markup=False)



def write_output(content: str, out: Optional[Path]) -> None:
    """Write to stdout, or to a temporary file renamed over OUT, so a crash never leaves half a file."""
    if out is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    out = Path(out)
    if out.is_dir():
        raise InputError("I42", f"--out {out} is a directory", "give a file name")
    if not out.parent.exists():
        raise InputError("I43", f"--out folder {out.parent} does not exist", "create it first")
    write_atomic(out, content)
