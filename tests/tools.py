"""Helpers more than one test file uses: the claimbook command run as a reader runs it, a book built
with it, a command that must succeed, a file downloaded in the browser, a data package validated."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from claimbook.bookroot import ENV_VAR

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # where pip put the console scripts of this Python's packages
FRICTIONLESS = BIN / "frictionless"
CONSOLE_SCRIPT = BIN / "claimbook"  # declared in pyproject.toml, installed by pip install -e .


def claimbook(*args, cwd: Path = REPO, timeout: float | None = None, env: dict | None = None
              ) -> subprocess.CompletedProcess:
    """``python -m claimbook ARGS`` in a subprocess, from ``cwd``, its output captured as UTF-8 text."""
    return subprocess.run([sys.executable, "-m", "claimbook", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def console_claimbook(*args, cwd: Path = REPO, timeout: float | None = None) -> subprocess.CompletedProcess:
    """The ``claimbook`` console script installed beside this Python, run with ARGS as a reader types it."""
    return subprocess.run([str(CONSOLE_SCRIPT), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


def env_without_book_root() -> dict[str, str]:
    """This process's environment without CLAIMBOOK_ROOT: a command finds its book as a reader's does."""
    return {name: value for name, value in os.environ.items() if name != ENV_VAR}


def run_ok(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``command`` run in ``cwd`` with ``env`` (by default this process's environment); it must succeed."""
    command = [str(part) for part in command]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(command)} failed in {cwd}:\n{(result.stdout + result.stderr)[-6000:]}"
    return result


def chapter_pages() -> list[str]:
    """The manifest's entries published as pages of their own name (not the runs done for their values),
    in the manifest's order."""
    from claimbook.build.manifest import load_manifest

    return [e.name for e in load_manifest(REPO / "chapters" / "manifest.yml") if e.name == Path(e.notebook).stem]


def build_html(root: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """``claimbook build --no-pdf`` on the book at ``root``, in a subprocess, as a reader runs it."""
    return claimbook("build", "--root", root, "--no-pdf", cwd=root, timeout=timeout)


def download(page, link) -> bytes:
    """Click ``link`` (a Playwright locator) in ``page`` and return the bytes of the file that arrives."""
    with page.expect_download() as arrival:
        link.click()
    file = arrival.value
    assert file.failure() is None, file.failure()
    return Path(file.path()).read_bytes()


def frictionless(target: Path) -> subprocess.CompletedProcess:
    """``frictionless validate --json`` on a datapackage.json or a zip of one."""
    return subprocess.run([str(FRICTIONLESS), "validate", "--json", str(target)], capture_output=True, text=True)
