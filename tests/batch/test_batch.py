"""`presslens batch`: resumable after SIGKILL, failures recorded and counted, sane output without a terminal."""
from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import time
import types

import pytest

from presslens.batch import JsonlSink, LocalEngine, StoreSink, run_batch
from presslens.store import Store

from .conftest import cli, cli_env, small_analyzers, write_corpus


def stored_count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM analyses").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_run_killed_with_sigkill_and_rerun_stores_every_article_once(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 40, paragraphs=6)
    db = tmp_path / "corpus.db"
    args = cli("batch", str(corpus), "--db", str(db), "--analyzers", small_analyzers(), "--workers", "2",
               "--shard-size", "2")
    proc = subprocess.Popen(args, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline, at_kill = time.monotonic() + 90, 0
    while time.monotonic() < deadline and proc.poll() is None:
        at_kill = stored_count(db)
        if at_kill >= 4:
            break
        time.sleep(0.02)
    assert proc.poll() is None, f"batch ended before it could be killed: {proc.stderr.read().decode()}"
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-run
    proc.wait()
    proc.stderr.close()
    assert 4 <= stored_count(db) < 40, "the kill should land mid-run"

    rerun = subprocess.run(args, env=cli_env(), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "skipped" in rerun.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT article_key) FROM articles").fetchone() == (40, 40)
    assert conn.execute("SELECT count(*), count(DISTINCT article_id) FROM analyses").fetchone() == (40, 40)
    ids = {json.loads(row[0])["meta"]["id"] for row in conn.execute("SELECT analysis_json FROM analyses")}
    assert ids == {f"a{i}" for i in range(40)}
    conn.close()


def test_failures_are_recorded_counted_and_do_not_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_corpus(folder / "good.jsonl", 3)
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"id": "x", "text": "Fine text about a harbour strike."}\n{not json\n',
                                         encoding="utf-8")
    db = tmp_path / "c.db"
    run = subprocess.run(cli("batch", str(folder), "--db", str(db), "--analyzers", small_analyzers(), "--workers", "1"),
                         env=cli_env(), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "stored 4" in run.stderr and "failed 2" in run.stderr
    assert "PL-I30: 1" in run.stderr and "PL-I10: 1" in run.stderr
    assert "broken.jsonl:2" in run.stderr  # an example of each failure, so the user can find it
    with Store(db) as store:
        assert store.count() == 4
        assert store.failure_counts() == {"PL-I10": 1, "PL-I30": 1}
        assert any("broken.jsonl:2" in (f["source"] or "") for f in store.failures())
    # Progress without a terminal: no control codes, nothing on stdout (stdout stays clean for pipes).
    assert run.stdout == ""
    assert "\x1b[" not in run.stderr


def crashing_pipeline(monkeypatch):
    """A real (small) pipeline plus one analyzer that crashes on articles mentioning 'Brackton'."""
    import presslens
    from presslens.pipeline import Step

    pipeline = presslens.load(analyzers=[])
    module = types.SimpleNamespace(VERSION="0", ASSIGNS=(), REQUIRES=(),
                                   analyze=lambda doc, article, config: 1 / 0 if "Brackton" in article.text else {})
    pipeline.steps.append(Step("crashy", module, None))
    return pipeline


def test_an_analyzer_crash_fails_one_article_only(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c.jsonl", 8, paragraphs=1)
    engine = LocalEngine(workers=1)
    engine.pipeline = crashing_pipeline(monkeypatch)
    sink = StoreSink(tmp_path / "c.db")
    report = run_batch([str(corpus)], sink, engine, shard_size=3)
    crashed = sum("Brackton" in json.loads(line)["text"] for line in corpus.read_text().splitlines())
    assert 0 < crashed < 8
    assert (report.stored, report.failed) == (8 - crashed, crashed)
    assert report.failures_by_code == {"PL-A01": crashed}
    assert sink.store.failure_counts() == {"PL-A01": crashed}
    sink.close()


def test_jsonl_output_resumes_without_duplicates(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 6, paragraphs=1)
    out = tmp_path / "out"
    engine = LocalEngine(workers=1, analyzers=[])
    first = run_batch([str(corpus)], JsonlSink(out), engine, shard_size=4)
    (out / "part-000099.jsonl").write_text('{"half": ', encoding="utf-8")  # a part cut off by a kill: no .keys
    second = run_batch([str(corpus)], JsonlSink(out), engine, shard_size=4)
    assert (first.stored, second.stored, second.skipped) == (6, 0, 6)
    lines = [line for part in sorted(out.glob("part-*.jsonl")) for line in part.read_text().splitlines()]
    assert sorted(json.loads(line)["meta"]["id"] for line in lines) == sorted(f"a{i}" for i in range(6))


def test_progress_bar_on_a_terminal_shows_rates(tmp_path, monkeypatch, corpus):
    from rich.console import Console

    from presslens.cli import batch as batch_cli, main

    buffer = io.StringIO()
    monkeypatch.setattr(batch_cli, "err_console", Console(file=buffer, force_terminal=True, width=120))
    main(["batch", str(corpus), "--db", str(tmp_path / "c.db"), "--analyzers", "none", "--workers", "1"])
    screen = buffer.getvalue()
    assert "art/s" in screen and "words/s" in screen and "12/12" in screen


def test_neither_db_nor_out_is_a_clear_error(corpus):
    run = subprocess.run(cli("batch", str(corpus)), env=cli_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "PL-R01" in run.stderr and "Traceback" not in run.stderr


def test_a_worker_that_dies_costs_only_its_article(tmp_path, monkeypatch):
    """An article that kills its worker process (as the kernel's OOM killer would) is recorded; the rest are stored."""
    import presslens
    from presslens.batch import local
    from presslens.pipeline import Step

    def fatal_pipeline(analyzers, config_path):
        pipeline = presslens.load(analyzers=[])
        module = types.SimpleNamespace(VERSION="0", ASSIGNS=(), REQUIRES=(),
                                       analyze=lambda doc, article, config: os._exit(9) if "POISON" in article.text else {})
        pipeline.steps.append(Step("fatal", module, None))
        return pipeline

    monkeypatch.setattr(local, "build_pipeline", fatal_pipeline)  # inherited by the forked workers
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 9, paragraphs=1)
    with corpus.open("a") as fh:
        fh.write(json.dumps({"id": "poison", "text": "POISON pill article that takes its worker down."}) + "\n")
    sink = StoreSink(tmp_path / "c.db")
    report = run_batch([str(corpus)], sink, LocalEngine(workers=2), shard_size=3)
    assert (report.stored, report.failed) == (9, 1)
    assert report.failures_by_code == {"PL-R91": 1}
    assert [f["code"] for f in sink.store.failures()] == ["PL-R91"]
    sink.close()


def test_a_pipeline_that_cannot_be_built_stops_the_batch_with_its_error(tmp_path, corpus):
    run = subprocess.run(cli("batch", str(corpus), "--db", str(tmp_path / "c.db"), "--analyzers", "nosuch",
                             "--workers", "2"), env=cli_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "PL-C10" in run.stderr and "Traceback" not in run.stderr


def test_progress_says_when_its_total_is_an_estimate(monkeypatch):
    from rich.console import Console

    from presslens.cli import batch as batch_cli

    buffer = io.StringIO()
    monkeypatch.setattr(batch_cli, "err_console", Console(file=buffer, force_terminal=True, width=120))
    display = batch_cli.progress_display(quiet=False)
    display.total(500, exact=False)  # a big JSONL file not yet enumerated: estimated from its head
    display.started()
    display.advance(10, 3000)
    display.progress.refresh()
    estimated = buffer.getvalue()
    display.total(480, exact=True)
    display.advance(470, 90000)
    display.progress.refresh()
    display.__exit__(None, None, None)
    assert "10/~500" in estimated and "art/s" in estimated and "words/s" in estimated and "eta" in estimated
    assert "480/480" in buffer.getvalue()
