"""The error catalogue (presslens/errors.py) is the whole truth: every code the source raises is in it once,
with the kind of error raised, and docs/errors.md is generated from it."""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from presslens import errors

PACKAGE = Path(errors.__file__).resolve().parent
DOCS = PACKAGE.parent / "docs" / "errors.md"
CODE = re.compile(r"(?:PL-)?([A-Z]\d\d)")
CLASS_OF_KIND = {kind: cls for kind, (cls, _) in errors.KINDS.items()}


def codes_in(source: str) -> Counter:
    """Codes written as string literals ("I01", "PL-R90"), outside the catalogue's own Code(...) entries."""
    tree = ast.parse(source)
    skip = {id(n) for call in ast.walk(tree) if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Code"
            for n in ast.walk(call)}
    return Counter(CODE.fullmatch(n.value).group(1) for n in ast.walk(tree) if id(n) not in skip
                   and isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.fullmatch(n.value))


def raised_with(source: str) -> list[tuple[str, str]]:
    """(error class, code) of each ``SomeError("X00", ...)`` / ``WebError(status, "X00", ...)`` call."""
    out = []
    for call in ast.walk(ast.parse(source)):
        if isinstance(call, ast.Call):
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            args = call.args[1:] if name == "WebError" else call.args
            if name.endswith("Error") and args and isinstance(args[0], ast.Constant) \
                    and isinstance(args[0].value, str) and CODE.fullmatch(args[0].value):
                out.append((name, CODE.fullmatch(args[0].value).group(1)))
    return out


def uncatalogued(used: Counter) -> list[str]:
    return sorted(set(used) - set(errors.CODES))


def sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_code_used_in_the_source_is_catalogued():
    used = sum((codes_in(text) for text in sources().values()), Counter())
    assert len(used) > 100  # the scan finds the codes at all
    assert not uncatalogued(used), "add these codes to presslens/errors.py CATALOGUE"


def test_the_check_fails_on_a_code_nobody_catalogued():
    snippet = 'raise InputError("Z98", "a new failure", "a hint")\nWORKER = "PL-Z99"\n'
    assert uncatalogued(codes_in(snippet)) == ["Z98", "Z99"]


def test_each_code_is_catalogued_once_and_used():
    counts = Counter(c.code for c in errors.CATALOGUE)
    assert not [code for code, n in counts.items() if n > 1], "a code catalogued twice"
    used = sum((codes_in(text) for text in sources().values()), Counter())
    assert not sorted(set(counts) - set(used)), "catalogued but raised nowhere: remove it or use it"


def test_each_code_is_raised_with_the_kind_of_error_catalogued():
    wrong = [(path.name, cls, code) for path, text in sources().items() for cls, code in raised_with(text)
             if CLASS_OF_KIND[errors.CODES[code].kind] != cls]
    assert not wrong


def test_entries_have_a_message_and_a_known_kind():
    for c in errors.CATALOGUE:
        assert c.kind in errors.KINDS and c.message.strip(), c
        assert c.hint.strip() or c.kind == "web", c  # only a bare HTTP status may come without advice


def test_docs_errors_md_is_generated_from_the_catalogue():
    assert DOCS.read_text(encoding="utf-8") == errors.markdown(), (
        "regenerate it: .venv/bin/python scripts/errors_doc.py")
    assert all(f"PL-{c.code}" in errors.markdown() for c in errors.CATALOGUE)
