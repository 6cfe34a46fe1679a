"""The lint gate: ruff with the configuration of pyproject.toml, run first by ``make test`` and by
pre-commit on every commit."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_make_test_lints_before_it_builds_or_tests():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: lint book$", makefile, re.M), "make test must run the lint target first"
    assert re.search(r"^lint: venv\n\t\$\(PYTHON\) -m ruff check \.$", makefile, re.M)


def test_the_tree_passes_ruff():
    run = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]


def test_ruff_fails_on_a_lint_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.py").write_text("import os\n", encoding="utf-8")
    run = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1 and "F401" in run.stdout


def test_the_pre_commit_configuration_is_valid_and_pins_the_same_ruff():
    run = subprocess.run([str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml"], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    pinned = re.search(r"^ruff==([\d.]+)$", (REPO / "requirements-dev.txt").read_text(encoding="utf-8"), re.M)[1]
    assert f'"ruff=={pinned}"' in (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
