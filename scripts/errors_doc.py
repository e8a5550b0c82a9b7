"""Regenerate docs/errors.md from the error catalogue in presslens/errors.py (tests/test_errors.py checks it).

    .venv/bin/python scripts/errors_doc.py
"""
from pathlib import Path

from presslens.atomic import write_atomic
from presslens.errors import markdown

write_atomic(Path(__file__).resolve().parents[1] / "docs" / "errors.md", markdown())
