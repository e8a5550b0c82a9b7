"""`presslens serve` end to end: a real process, the store created on first run, bound to 127.0.0.1."""
from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from web.conftest import free_port


def test_serve_creates_the_store_and_binds_loopback(tmp_path):
    db, port = tmp_path / "corpus.db", free_port()
    proc = subprocess.Popen([sys.executable, "-m", "presslens", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not start: {proc.communicate(timeout=5)[1][-2000:]}")
                time.sleep(0.3)
        assert r.status_code == 200 and "Analyse an article" in r.text
        assert db.exists()
        r = httpx.post(f"http://127.0.0.1:{port}/api/analyze", json={"text": "Ana Silva said \"we are ready\" on Friday."},
                       timeout=60)
        assert r.status_code == 201, r.text
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode == 0 and listening.stdout.strip():
            local = {line.split()[3] for line in listening.stdout.splitlines()}
            assert local == {f"127.0.0.1:{port}"}, local
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_rejects_a_bad_port():
    run = subprocess.run([sys.executable, "-m", "presslens", "serve", "--port", "70000"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2 and "PL-W30" in run.stderr
