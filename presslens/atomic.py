"""The one way presslens writes a file: all of it or none of it.

The content goes to a temporary file in the same folder, which is then renamed over the target, so a crash,
a full disk or Ctrl-C never leaves half a file where a reader expects a whole one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Read once at import (os.umask can only be read by setting it, which is not thread-safe later).
UMASK = os.umask(0o022)
os.umask(UMASK)


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write ``content`` (str as UTF-8) to ``path`` through a temporary file renamed over it, with the usual
    permissions (mkstemp makes 0600 files)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(tmp, 0o666 & ~UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
