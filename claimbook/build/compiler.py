"""Compiling: ``jupyter-book build`` on the stage, where any warning or missing glyph fails the build.

Sphinx runs with warnings as errors (:data:`BUILD_FLAGS`, as QuantEcon's lectures do), and XeLaTeX,
which only logs a character that no font covers, is held to the same rule by
:func:`check_latex_log`. The full output goes to ``_build/logs/<builder>.log``; a failure prints
only the lines that say what went wrong, each located in the sources (:mod:`.locations`), not in
the staged copy Sphinx compiled.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .locations import in_sources
from .shared import ANSI, BookPaths, BuildError, importing_from, relative

BUILD_FLAGS = ["-W", "-n", "--keep-going"]


def jupyter_book_env(paths: BookPaths) -> dict[str, str]:
    """The environment for Jupyter Book: the book's repository importable (``claimbook.sphinxext``)."""
    return importing_from(paths.root, os.environ)


def jupyter_book_command() -> list[str]:
    beside_python = Path(sys.executable).parent / "jupyter-book"
    program = str(beside_python) if beside_python.exists() else shutil.which("jupyter-book")
    if not program:
        raise BuildError("jupyter-book is not installed (run `make book`, which installs requirements.txt)")
    return [program]


def compile_book(paths: BookPaths, builder: str) -> float:
    """Run ``jupyter-book build`` on the stage with Sphinx warnings as errors; return seconds taken."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    log_path = paths.logs / f"{builder}.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        result = subprocess.run(
            jupyter_book_command() + ["build", str(paths.stage), "--builder", builder, *BUILD_FLAGS],
            cwd=paths.root, env=jupyter_book_env(paths), stdout=log, stderr=subprocess.STDOUT,
        )
    text = ANSI.sub("", log_path.read_text(encoding="utf-8", errors="replace"))
    if result.returncode != 0:
        raise BuildError(f"jupyter-book {builder} build failed (exit {result.returncode}); "
                         f"full log: {relative(log_path, paths.root)}\n{in_sources(build_problems(text), paths)}")
    if builder == "pdflatex":
        check_latex_log(paths)
    return time.monotonic() - started


def build_problems(log_text: str, limit: int = 60) -> str:
    """The lines of a Jupyter Book log that say what went wrong (or its tail, if none do)."""
    wanted = re.compile(r"WARNING|ERROR|CRITICAL|Error|error:|^!|Traceback|Exception")
    lines = [line for line in log_text.splitlines() if wanted.search(line)]
    if not lines:
        lines = log_text.splitlines()[-limit:]
    return "\n".join(lines[:limit])


def check_latex_log(paths: BookPaths) -> None:
    """Fail on glyphs the PDF fonts lack: XeLaTeX only logs them and prints nothing."""
    log = paths.staged_latex / "book.log"
    if not log.is_file():
        raise BuildError(f"the LaTeX log {relative(log, paths.root)} is missing; did the PDF build run?")
    missing = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
               if "Missing character" in line]
    if missing:
        raise BuildError("the PDF has characters that no font covers:\n" + "\n".join(sorted(set(missing))))
