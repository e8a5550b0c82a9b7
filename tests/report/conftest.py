"""Report test fixtures (the browser ones live in report/browser.py)."""
import sys
from pathlib import Path

# tests/ on sys.path, so the report and web helpers (report.sample, web.fakes, ...) import the same way everywhere
TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from report.browser import artifacts, browser, page  # noqa: F401  (fixtures)
