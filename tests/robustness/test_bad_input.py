"""Bad input costs one article, with a coded error, never the run: through real `presslens` processes."""
from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from presslens.ingest import Failure, IngestSettings, RawArticle, guard_text, read

REPO = Path(__file__).resolve().parents[2]
GOOD = "The harbour council voted on Tuesday to reopen the ferry pier, the mayor said."


def presslens(*args: str, stdin: bytes | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "presslens", *args], input=stdin, capture_output=True,
                          timeout=timeout, env=env)


def line(article_id: str, text: str) -> str:
    return json.dumps({"id": article_id, "text": text})  # json.dumps writes a lone surrogate as \ud800


@pytest.fixture
def surrogate_jsonl(tmp_path) -> Path:
    path = tmp_path / "scraped.jsonl"
    path.write_text("\n".join([line("good1", GOOD), line("bad", "Broken emoji \ud83d here. " + GOOD),
                               line("good2", GOOD.replace("Tuesday", "Friday"))]) + "\n", encoding="utf-8")
    return path


def test_lone_surrogate_fails_one_article_in_analyze(surrogate_jsonl):
    run = presslens("analyze", str(surrogate_jsonl), "--format", "jsonl", "--analyzers", "blocks")
    assert run.returncode == 0, run.stderr.decode()
    documents = [json.loads(x) for x in run.stdout.decode().splitlines()]
    assert [d["meta"]["id"] for d in documents] == ["good1", "good2"]
    stderr = run.stderr.decode()
    assert "PL-I33" in stderr and "scraped.jsonl:2" in stderr and "U+D83D" in stderr and "Traceback" not in stderr


def test_lone_surrogate_fails_one_article_in_batch(surrogate_jsonl, tmp_path):
    db = tmp_path / "corpus.db"
    run = presslens("batch", str(surrogate_jsonl), "--db", str(db), "--workers", "1", "--analyzers", "blocks", "-q")
    assert run.returncode == 0, run.stderr.decode()
    assert "stored 2" in run.stderr.decode() and "failed 1" in run.stderr.decode()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM analyses").fetchone()[0] == 2
        assert [r[0] for r in conn.execute("SELECT code FROM failures")] == ["PL-I33"]


def test_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    run = presslens("analyze", str(fifo), timeout=60)  # the old code blocked forever reading it
    assert run.returncode == 2 and "PL-I08" in run.stderr.decode() and "named pipe" in run.stderr.decode()
    run = presslens("batch", str(fifo), "--db", str(tmp_path / "c.db"), "--workers", "1", "-q",
                    "--analyzers", "blocks", timeout=120)
    assert run.returncode == 2 and "PL-I08: 1" in run.stderr.decode()


def test_folder_counts_pipes_and_broken_links(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")
    items = list(read(folder))
    failures = [i for i in items if isinstance(i, Failure)]
    assert [i.id for i in items if not isinstance(i, Failure)] == ["good"]
    assert sorted((Path(f.source).name, f.code) for f in failures) == [("gone.txt", "PL-I08"), ("pipe.txt", "PL-I08")]
    assert "broken symbolic link" in next(f for f in failures if f.source.endswith("gone.txt")).error.message
    run = presslens("batch", str(folder), "--db", str(tmp_path / "c.db"), "--workers", "1", "-q",
                    "--analyzers", "blocks", timeout=120)
    assert run.returncode == 0 and "stored 1" in run.stderr.decode() and "PL-I08: 2" in run.stderr.decode()


def test_markup_in_a_path_is_printed_as_written(tmp_path):
    folder = tmp_path / "a[" / "]b"  # the path reads .../a[/]b/...: a closing tag to rich
    folder.mkdir(parents=True)
    target = folder / "empty.txt"
    target.write_text("   ", encoding="utf-8")
    run = presslens("analyze", str(target), timeout=60)
    stderr = run.stderr.decode()
    assert run.returncode == 2 and "PL-I10" in stderr and "a[/]b" in stderr and "Traceback" not in stderr


def test_a_few_bad_utf8_bytes_are_replaced_with_a_warning(tmp_path):
    path = tmp_path / "mostly.txt"
    path.write_bytes(("Café owners in Lyon said “business is back” on Monday. " * 3).encode() + b"\xff\xfe broken"
                     + " Naïve résumé.".encode())
    (raw,) = list(read(path))
    assert isinstance(raw, RawArticle) and raw.text.count("\ufffd") == 2 and "“business is back”" in raw.text
    assert any("offset" in w and str(raw.text.encode().find(b"\xef\xbf\xbd")) in w for w in raw.warnings)
    run = presslens("analyze", str(path), "--analyzers", "blocks", timeout=120)
    assert run.returncode == 0 and "bad byte" in run.stderr.decode()


def test_zero_width_only_text_is_refused():
    raw = RawArticle.from_text("\u200b\u200c\u200d\u2060\ufeff" * 50)
    with pytest.raises(Exception) as caught:
        guard_text(raw, IngestSettings())
    assert getattr(caught.value, "code", None) == "I10" and "invisible" in str(caught.value)


def test_truncated_jsonl_gz_keeps_its_readable_lines(tmp_path):
    lines = "".join(line(f"a{i}", f"{GOOD} Item {i}.") + "\n" for i in range(200)).encode()
    packed = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    items = list(read(path))
    articles = [i for i in items if isinstance(i, RawArticle)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert 50 < len(articles) < 200 and [a.id for a in articles] == [f"a{i}" for i in range(len(articles))]
    assert len(failures) == 1 and failures[0].code == "PL-I09" and "damaged after line" in failures[0].error.message
    run = presslens("batch", str(path), "--db", str(tmp_path / "c.db"), "--workers", "1", "-q", "--analyzers",
                    "blocks", timeout=240)
    assert f"stored {len(articles)}" in run.stderr.decode() and "PL-I09: 1" in run.stderr.decode()


def test_stdin_over_the_limit_is_refused_not_truncated():
    from presslens.ingest import MAX_FILE_BYTES

    run = presslens("analyze", "-", stdin=b"word " * (MAX_FILE_BYTES // 5 + 10), timeout=120)
    assert run.returncode == 2 and "PL-I05" in run.stderr.decode() and "stdin" in run.stderr.decode()


def test_deeply_nested_html_keeps_its_text(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 400 + "<p>The ferry pier reopened on Monday after repairs, "
                    "the harbour master said.</p>" + "</div>" * 400 + "</body></html>", encoding="utf-8")
    (raw,) = list(read(path))
    assert isinstance(raw, RawArticle) and "The ferry pier reopened on Monday" in raw.text
