"""The command line as a user meets it: one-line errors with hints, exit codes, atomic output."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from presslens.schema import validate

ENGLISH = ("Mayor Ana Ruiz said on Monday that the harbour would reopen next week. "
           "“We are ready,” she told reporters at the gate.")


def run(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "presslens", *args], input=stdin, capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def test_example_article_text_report():
    result = run("analyze", "example", "--published", "2024-05-13")
    assert result.returncode == 0, result.stderr
    assert "Who said what" in result.stdout and "Ellingsen" in result.stdout


def test_json_output_validates_against_the_schema(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("analyze", str(path), "--format", "json", "--out", str(out), "--published", "2024-03-05")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    validate(data)
    assert data["meta"]["published"] == "2024-03-05"
    for layer in ("blocks", "entities", "quotes"):
        for record in data.get(layer, []):
            if "start" in record:
                assert data["text"][record["start"]:record["end"]] == record["text"]


def test_stdin_and_jsonl_format():
    result = run("analyze", "-", "--format", "jsonl", stdin=ENGLISH)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["text"] == ENGLISH


@pytest.mark.parametrize("content,code", [(b"", "PL-I10"), (b"\x89PNG\r\n\x1a\nxxxx", "PL-I12")])
def test_bad_file_gets_one_clear_line_and_exit_2(tmp_path, content, code):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("analyze", str(path))
    assert result.returncode == 2
    assert code in result.stderr and "hint" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_published_date(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ENGLISH)
    result = run("analyze", str(path), "--published", "May 25")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr


def test_directory_run_reports_bad_files_at_the_end_and_keeps_the_good(tmp_path):
    (tmp_path / "good.txt").write_text(ENGLISH)
    (tmp_path / "empty.txt").write_text("")
    result = run("analyze", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 0
    assert len(result.stdout.strip().splitlines()) == 1
    assert "1 input(s) could not be analysed" in result.stderr and "empty.txt" in result.stderr


def test_failed_run_leaves_no_half_written_output(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous good content")
    result = run("analyze", str(tmp_path / "missing.txt"), "--format", "json", "--out", str(out))
    assert result.returncode == 2
    assert out.read_text() == "previous good content"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_unknown_format_and_unknown_analyzer(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ENGLISH)
    result = run("analyze", str(path), "--format", "yaml")
    assert result.returncode == 2 and "unknown format" in result.stderr
    result = run("analyze", str(path), "--analyzers", "vibes")
    assert result.returncode == 1 and "unknown analyzer 'vibes'" in result.stderr


def test_non_english_text_warns_and_still_analyses(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text("Der Bürgermeister sagte am Montag, dass die neue Brücke im Frühjahr eröffnet werden soll, "
                    "und die Stadt plant weitere Projekte für die Bürger in der Altstadt.", encoding="utf-8")
    result = run("analyze", str(path), "--format", "json")
    assert result.returncode == 0
    assert "not English" in result.stderr
    assert json.loads(result.stdout)["meta"]["language"] == "de"


def test_config_show_lists_every_section():
    result = run("config", "show")
    assert result.returncode == 0 and "[pipeline]" in result.stdout and "[ingest]" in result.stdout


@pytest.mark.parametrize("args, usage, problem", [
    (["nosuch"], "Usage: presslens [OPTIONS] COMMAND", "No such command 'nosuch'"),
    (["analyze", "--nosuch", "x.txt"], "Usage: presslens analyze", "No such option: --nosuch"),
    (["evaluate", "nosuch"], "Usage: presslens evaluate", "No such command 'nosuch'"),
])
def test_usage_mistakes_print_the_usage_and_exit_2(args, usage, problem):
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert usage in result.stderr and problem in result.stderr
    assert "PL-X00" not in result.stderr and "bug" not in result.stderr


def test_help_shows_the_config_sections_it_names():
    """Option help naming a config section ("[claims] threshold") shows the section: rich markup would eat a bare
    "[claims]" as a style tag and print "(default:  threshold)"."""
    import re

    import typer
    from typer.testing import CliRunner

    import importlib
    import pkgutil

    import presslens.cli
    from presslens.cli import app

    for module in pkgutil.iter_modules(presslens.cli.__path__):  # command modules register themselves when imported
        importlib.import_module(f"presslens.cli.{module.name}")

    def commands(group, path):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):  # a group (typer's own, not always a click.Group)
                yield from commands(cmd, path + [name])
            else:
                yield path + [name], cmd

    checked = 0
    for path, cmd in commands(typer.main.get_command(app), []):
        sections = {m for p in cmd.params for m in re.findall(r"\[[a-z_]+\]", (getattr(p, "help", None) or "")
                                                              .replace("\\[", "["))}
        if not sections:
            continue
        shown = CliRunner().invoke(app, path + ["--help"]).output
        for section in sections:
            assert section in shown, f"presslens {' '.join(path)} --help lost {section}"
        checked += 1
    assert checked >= 4  # evaluate/train claims and techniques name their config sections
