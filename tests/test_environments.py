"""The environments: a pinned runtime, development on top of it, and Binder's that resolves.

``requirements.txt`` is what builds the book and runs its notebooks; ``requirements-dev.txt`` adds
what tests it (whose pins, ``jsonschema<4`` for cffconvert, would hold JupyterLab back);
``binder/requirements.txt`` adds JupyterLab to the runtime, and ``environment.yml`` gives conda users
the same. The Binder file is resolved for real by pip, in a fresh virtual environment.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TEST_TOOLS = {"pytest", "hypothesis", "playwright", "beautifulsoup4", "cffconvert", "frictionless", "jsonschema"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;#]+)$")


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")]


def pins(path: Path) -> dict[str, str]:
    """The file's own pins (not those of the files it includes), by normalized name."""
    found = {}
    for line in lines(path):
        if line.startswith("-r "):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned as name==version"
        found[re.sub(r"[-_.]+", "-", match.group("name")).lower()] = match.group("version")
    return found


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_runtime_and_development_are_pinned_apart_and_development_includes_the_runtime():
    runtime, development = pins(REPO / "requirements.txt"), pins(REPO / "requirements-dev.txt")
    assert not TEST_TOOLS & set(runtime), "the runtime holds a test tool"
    assert TEST_TOOLS <= set(development)
    assert not set(runtime) & set(development), "a package pinned twice"
    assert "-r requirements.txt" in lines(REPO / "requirements-dev.txt")
    assert {"jupyter-book", "papermill", "nbconvert", "ipykernel", "myst-nb"} <= set(runtime)


def test_binder_resolves_to_jupyterlab_4_and_nbconvert_with_the_runtime_pins(tmp_path):
    """pip resolves binder/requirements.txt from scratch (no installed package counts) in a new
    virtual environment; the time it takes is printed, not asserted."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    report = tmp_path / "report.json"
    started = time.monotonic()
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check", "--dry-run", "--ignore-installed", "--report", str(report),
                             "-r", "requirements.txt"],
                            cwd=REPO / "binder", capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    resolved = {re.sub(r"[-_.]+", "-", item["metadata"]["name"]).lower(): item["metadata"]["version"]
                for item in json.loads(report.read_text(encoding="utf-8"))["install"]}
    print(f"\nbinder/requirements.txt resolved in {seconds:.1f}s: {len(resolved)} packages, "
          f"jupyterlab {resolved.get('jupyterlab')}, nbconvert {resolved.get('nbconvert')}")
    assert version_tuple(resolved["jupyterlab"]) >= (4,)
    assert "nbconvert" in resolved and "notebook-shim" in resolved
    for name, version in pins(REPO / "requirements.txt").items():
        assert resolved.get(name) == version, f"{name}: the runtime pins {version}, Binder gets {resolved.get(name)}"


def test_conda_users_get_binders_environment_and_the_package():
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert (REPO / "binder" / "runtime.txt").read_text().strip() == "python-" + python.split("=", 1)[1]
    pip_lines = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_lines == ["-r binder/requirements.txt", "-e ."]
