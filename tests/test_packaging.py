"""Packaging: an MIT licence the metadata names by its SPDX id, and one version (presslens.__version__)."""
from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import presslens

REPO = Path(__file__).resolve().parents[1]


def test_licence_file_and_spdx_expression():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert importlib.metadata.metadata("presslens")["License-Expression"] == "MIT"


def test_the_version_lives_in_one_place():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "presslens.__version__"}
    assert importlib.metadata.version("presslens") == presslens.__version__  # reinstall after a bump
    assert re.fullmatch(r"\d+\.\d+\.\d+", presslens.__version__)
