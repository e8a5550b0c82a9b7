"""Reading a committed JSONL dev set: one JSON object per non-blank line, a bad line named by its number."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable


def jsonl_rows(path: Path, bad_line: Callable[[int, Exception], Exception],
               check: Callable[[dict[str, Any], int], None] = lambda row, n: None) -> list[dict[str, Any]]:
    """Rows of `path`. `check(row, n)` may raise its own error, or KeyError/TypeError for a row of the wrong shape;
    a line that is not JSON, or of the wrong shape, raises `bad_line(n, exc)`."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            check(row, n)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise bad_line(n, exc) from None
        rows.append(row)
    return rows
