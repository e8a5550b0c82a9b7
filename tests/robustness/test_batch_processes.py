"""Batches as real processes: workers end with their parent; SIGTERM and Ctrl-C end a batch cleanly with what
it stored; two batches into one folder or store neither overwrite each other nor do the same work twice."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOWNS = ["Lowmouth", "Brackton", "Eastreach", "Pellow Cove", "Sandwick", "Harlow"]


def write_corpus(path: Path, n: int, prefix: str = "a") -> Path:
    lines = [json.dumps({"id": f"{prefix}{i}", "text": f"The {TOWNS[i % 6]} council voted {i} to 3 on Tuesday to "
                                                        f"repair pier {prefix}{i}, the mayor said."})
             for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FORCE_COLOR", None)
    return subprocess.Popen([sys.executable, "-m", "presslens", "batch", *args, "--analyzers", "blocks"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **kwargs)


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its parent's wait is missing


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def analyses(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM analyses").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def stored_of(stderr: str) -> int:
    return int(re.search(r"stored (\d+)", stderr).group(1))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_workers_end_when_the_batch_is_killed(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 3000)
    proc = start(str(corpus), "--db", str(tmp_path / "c.db"), "--workers", "2", "--shard-size", "4", "-q")
    try:
        wait_for(lambda: len(children(proc.pid)) >= 2, 120, "two worker processes")
        workers = children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        wait_for(lambda: not any(alive(pid) for pid in workers), 20, f"workers {workers} to end")
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_sigterm_and_ctrl_c_end_a_batch_with_what_it_stored(tmp_path, how):
    n = 3000
    corpus, db = write_corpus(tmp_path / "c.jsonl", n), tmp_path / "c.db"
    proc = start(str(corpus), "--db", str(db), "--workers", "2", "--shard-size", "4", "-q", start_new_session=True)
    try:
        wait_for(lambda: analyses(db) > 0, 240, "the first stored articles")
        workers = children(proc.pid)
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:  # a terminal's Ctrl-C: SIGINT to the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == (143 if how == "SIGTERM" else 130), stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert stored_of(stderr) == analyses(db) < n
    wait_for(lambda: not any(alive(pid) for pid in workers), 20, "the workers to end")
    rerun = start(str(corpus), "--db", str(db), "--workers", "1", "-q")
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert analyses(db) == n  # every article exactly once


def test_two_batches_into_one_folder_keep_both_outputs(tmp_path):
    out = tmp_path / "parts"
    first = start(str(write_corpus(tmp_path / "a.jsonl", 40, "a")), "--out", str(out), "--workers", "1", "-q")
    second = start(str(write_corpus(tmp_path / "b.jsonl", 40, "b")), "--out", str(out), "--workers", "1", "-q")
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    ids = [json.loads(line)["meta"]["id"] for part in sorted(out.glob("part-*.jsonl"))
           for line in part.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted([f"a{i}" for i in range(40)] + [f"b{i}" for i in range(40)])
    assert "waiting for it to finish" in results[0][1] + results[1][1]


def test_two_batches_into_one_store_do_the_work_once(tmp_path):
    corpus, db = write_corpus(tmp_path / "c.jsonl", 40), tmp_path / "c.db"
    runs = [start(str(corpus), "--db", str(db), "--workers", "1", "-q") for _ in range(2)]
    results = [p.communicate(timeout=600) for p in runs]
    assert all(p.returncode == 0 for p in runs), results
    assert sorted(stored_of(stderr) for _, stderr in results) == [0, 40]  # the later one skipped all 40
    assert analyses(db) == 40
