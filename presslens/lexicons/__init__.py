"""Word lists are data, not code: the .txt files here, read through this one loader.

Format of every file: one entry per line; ``#`` starts a comment; blank lines are ignored. Some files add
tab- or space-separated fields after the entry (reporting_verbs.txt, time_refs.txt): callers split those.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LEXICONS = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def entries(relpath: str) -> tuple[str, ...]:
    """The entries of lexicons/<relpath>, stripped, comments and blank lines dropped, file order kept."""
    out = []
    for line in (LEXICONS / relpath).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)
