"""training/: builders of shipped models apart from experiments, sharing helpers through modules (no sys.path
tricks), and every command a model card, the README or the CLI names points at a module that exists."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRAINING = REPO / "training"
COMMAND = re.compile(r"-m (training(?:\.\w+)+)")


def modules() -> list[str]:
    return [".".join(p.relative_to(REPO).with_suffix("").parts) for p in sorted(TRAINING.rglob("*.py"))
            if p.name != "__init__.py"]


def test_every_training_script_imports_as_a_module_without_path_tricks():
    assert {"training.shipped.train_encoder", "training.experiments.train_techniques"} <= set(modules())
    for name in modules():
        source = (REPO / Path(*name.split("."))).with_suffix(".py").read_text(encoding="utf-8")
        assert "sys.path" not in source, name
    # from the repository root, as `python -m training...` runs them; torch is imported inside the functions
    code = f"import importlib; [importlib.import_module(m) for m in {modules()!r}]"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_commands_in_cards_readme_and_cli_name_existing_modules():
    texts = [*REPO.glob("presslens/models/*/MODEL_CARD.md"), REPO / "README.md", REPO / "CONTRIBUTING.md",
             *REPO.glob("presslens/cli/*.py")]
    named = {m for path in texts for m in COMMAND.findall(path.read_text(encoding="utf-8"))}
    named |= set(re.findall(r'"(training\.shipped\.\w+)"', "".join(p.read_text() for p in REPO.glob("presslens/cli/*.py"))))
    assert len(named) >= 5
    assert not sorted(named - set(modules()))
