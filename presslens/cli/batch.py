"""`presslens batch INPUT... --db corpus.db` and `presslens export --db corpus.db --format ...`."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from ..errors import InputError
from . import app, err_console

ENGINES = ("local", "ray")
# Without a terminal (a log file, CI), print one plain progress line this often instead of a live bar.
PLAIN_PROGRESS_EVERY_S = 10.0


class RateColumn(ProgressColumn):
    """articles/s and words/s since the start."""

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0.0
        if elapsed <= 0:
            return Text("")
        return Text(f"{task.completed / elapsed:,.1f} art/s  {task.fields.get('words', 0) / elapsed:,.0f} words/s",
                    style="cyan")


def parse_analyzers(analyzers: Optional[str]) -> Optional[list[str]]:
    if analyzers is None:
        return None
    if analyzers.strip().lower() == "none":
        return []  # spaCy parse only: useful to measure the pipeline's own cost
    return [a.strip() for a in analyzers.split(",") if a.strip()]


def make_engine(engine: str, workers: int, analyzers: Optional[list[str]], config: Optional[str],
                address: Optional[str]) -> Any:
    if engine == "ray":
        from ..batch.ray_engine import RayEngine

        return RayEngine(workers=workers, analyzers=analyzers, config_path=config, address=address)
    from ..batch.local import LocalEngine

    return LocalEngine(workers=workers, analyzers=analyzers, config_path=config)


def make_sink(db: Optional[Path], out: Optional[Path]) -> Any:
    from ..batch.sinks import JsonlSink, StoreSink

    if (db is None) == (out is None):
        raise InputError("R01", "give exactly one of --db FILE (SQLite store) or --out DIR (JSONL files)",
                         "e.g. presslens batch articles/ --db corpus.db")

    def waiting(message: str) -> None:
        err_console.print(message, highlight=False, markup=False, soft_wrap=True)

    return StoreSink(db, on_wait=waiting) if db is not None else JsonlSink(out, on_wait=waiting)


class terminate_as_interrupt:
    """While active, SIGTERM ends the batch the way Ctrl-C does: workers ended, what was stored kept."""

    def __enter__(self) -> "terminate_as_interrupt":
        self.received: Optional[int] = None
        self.previous = signal.signal(signal.SIGTERM, self.handle)
        return self

    def handle(self, signum: int, frame: Any) -> None:
        if self.received is None:
            self.received = signum
            raise KeyboardInterrupt

    def __exit__(self, *exc: Any) -> None:
        signal.signal(signal.SIGTERM, self.previous)


@app.command("batch")
def batch_command(
    inputs: list[str] = typer.Argument(..., help="Files, folders, globs, .jsonl or .jsonl.gz files."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite corpus store to fill (created if missing)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for JSONL part files instead of a store."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w", help="Worker processes (default: cores)."),
    engine: str = typer.Option("local", "--engine", help="local (process pool) | ray (Ray Data)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster: auto, ray://host:10001 (ray engine)."),
    shard_size: int = typer.Option(16, "--shard-size", help="Articles per shard (one write transaction each)."),
    analyzers: Optional[str] = typer.Option(None, "--analyzers", help="Comma-separated analyzers, or 'none'."),
    config: Optional[str] = typer.Option(None, "--config", help="TOML file overriding defaults.toml."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date for inputs that lack one."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
) -> None:
    """Analyse a corpus into a store; resumable (what is stored is skipped) and idempotent."""
    from ..batch.local import run_batch

    if engine not in ENGINES:
        raise InputError("R02", f"unknown engine {engine!r}", f"use one of: {', '.join(ENGINES)}")
    if workers < 1 or shard_size < 1:
        raise InputError("R03", "--workers and --shard-size must be at least 1", "e.g. --workers 2")
    with terminate_as_interrupt() as signals:
        sink = make_sink(db, out)
        try:
            runner = make_engine(engine, workers, parse_analyzers(analyzers), config, address)
            # run_batch starts the engine (forks the workers) and only then calls display.started(), which
            # starts the live bar's thread: forking after a thread exists can deadlock the workers.
            with progress_display(quiet) as display:
                report = run_batch(inputs, sink, runner, shard_size=shard_size, published=published,
                                   progress=display)
        finally:
            sink.close()
    print_report(report)
    if report.interrupted:
        err_console.print("interrupted: what is stored above is kept; run the same command again to finish",
                          highlight=False)
        sys.exit(143 if signals.received == signal.SIGTERM else 130)
    if report.failed and not (report.stored or report.skipped):
        raise InputError("R10", f"nothing could be analysed ({report.failed} inputs failed)", "see the errors above")


class CountColumn(ProgressColumn):
    """done/total, with '~' before a total that is still an estimate (JSONL files not yet enumerated)."""

    def render(self, task: Any) -> Text:
        if task.total is None:
            return Text(f"{int(task.completed)}/?", style="progress.download")
        mark = "~" if task.fields.get("estimated") else ""
        return Text(f"{int(task.completed)}/{mark}{int(task.total)}", style="progress.download")


class progress_display:
    """A rich progress bar on a terminal; plain periodic lines otherwise; nothing with --quiet
    (a presslens.batch.BatchProgress: run_batch calls started, total and advance).

    The total is an estimate until every input file has been enumerated (JSONL files are counted as
    the batch reaches them): the bar shows it as ``~N`` and the ETA follows it.
    """

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.live = err_console.is_terminal and not quiet
        self.count, self.estimated = 0, True
        self.done = self.words = 0
        self.started_at = self.last_line = time.perf_counter()
        self.progress: Optional[Progress] = None

    def __enter__(self) -> "progress_display":
        return self

    def started(self) -> None:
        self.started_at = self.last_line = time.perf_counter()
        if self.live and self.progress is None:
            self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), CountColumn(),
                                     RateColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err_console)
            self.progress.start()
            self.task = self.progress.add_task("loading models", total=self.count, words=0,
                                               estimated=self.estimated)

    def total(self, articles: int, exact: bool) -> None:
        self.count, self.estimated = articles, not exact
        if self.progress is not None:
            self.progress.update(self.task, total=articles, estimated=not exact)

    def advance(self, articles: int, words: int) -> None:
        self.done += articles
        self.words += words
        if self.progress is not None:
            self.progress.update(self.task, advance=articles, words=self.words, description="analysing")
        elif not self.quiet and not self.live and time.perf_counter() - self.last_line >= PLAIN_PROGRESS_EVERY_S:
            self.last_line = time.perf_counter()
            elapsed = self.last_line - self.started_at
            total = f"{'~' if self.estimated else ''}{self.count}"
            err_console.print(f"progress {self.done}/{total} articles, {self.done / elapsed:.1f} art/s, "
                              f"{self.words / elapsed:,.0f} words/s", highlight=False)

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()


def print_report(report: Any) -> None:
    words_per_s = report.words / report.seconds if report.seconds else 0.0
    err_console.print(f"stored {report.stored}, skipped {report.skipped} (already stored), failed {report.failed} "
                      f"in {report.seconds:.1f} s ({words_per_s:,.0f} words/s)", highlight=False)
    for code, count in sorted(report.failures_by_code.items()):
        err_console.print(f"  {code}: {count}  (e.g. {report.examples.get(code, '')})", highlight=False, markup=False,
                          soft_wrap=True)


EXPORT_FORMATS = ("jsonl", "parquet", "csv", "brat")


@app.command("export")
def export_command(
    db: Path = typer.Option(..., "--db", help="The SQLite corpus store to read."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl | parquet | csv | brat"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File (jsonl) or folder (parquet, csv, brat)."),
) -> None:
    """Export stored analyses: JSONL, per-layer Parquet/CSV tables joinable on article_id, or brat standoff."""
    from ..batch.export import export
    from ..store import Store

    if not db.exists():
        raise InputError("R24", f"store {db} does not exist", "fill one first with `presslens batch ... --db FILE`")
    with Store(db) as store:
        written = export(store, format, out)
    if written and format != "jsonl":
        err_console.print(f"wrote {len(written)} files into {out}", highlight=False)
    elif written:
        err_console.print(f"wrote {written[0]}", highlight=False)
    sys.stdout.flush()
