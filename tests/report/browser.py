"""Playwright + Debian's Chromium for the report and web tests (fixtures re-exported by the conftests).

Never `playwright install`: the tests drive /usr/bin/chromium and skip with a reason when it is absent.
Each test gets a fresh context (no shared profile state). A page records console errors and
Content-Security-Policy violations, so tests can assert that nothing was blocked or injected.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PRESSLENS_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Runs before any page script: collects CSP violations (an injected inline script or handler shows up here).
WATCH_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) {"
             " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')); });")


# One Playwright and one Chromium per test process. Both conftests (report/ and web/) import the fixture,
# which makes two session fixtures; a second sync_playwright() in the same thread would fail, so they
# share this one and the last to finish closes it.
_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (requirements-dev.txt)")
    if _SHARED["users"] == 0:
        _SHARED["pw"] = sync_api.sync_playwright().start()
        _SHARED["browser"] = _SHARED["pw"].chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if _SHARED["users"] == 0:
            _SHARED.pop("browser").close()
            _SHARED.pop("pw").stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    pg = context.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    pg.add_init_script(WATCH_CSP)
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
