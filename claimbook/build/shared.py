"""What every step of the build shares: where the book is, how a path is shown, how a step fails.

Every function of the build takes a :class:`BookPaths`, so tests can point the pipeline at a
throwaway book; paths the build prints or writes into a notebook are :func:`relative` to the book,
never the checkout's location.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# Colour codes in a traceback or a Jupyter Book log: stripped before a message reaches the console.
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Papermill's tag for the parameters cell it injects, and the id the build gives that cell
# (execute/notebook.py), so that the cells around it are numbered as in the source notebook.
INJECTED = "injected-parameters"


class BuildError(Exception):
    """A step of the build failed; the message says which and why."""


@dataclass(frozen=True)
class BookPaths:
    """Where a book's inputs are, and where its build goes."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).resolve())

    chapters = property(lambda self: self.root / "chapters")
    manifest = property(lambda self: self.root / "chapters" / "manifest.yml")
    data = property(lambda self: self.root / "data")
    package = property(lambda self: self.root / "claimbook")
    requirements = property(lambda self: self.root / "requirements.txt")
    build = property(lambda self: self.root / "_build")
    cache = property(lambda self: self.root / "_build" / "cache")
    logs = property(lambda self: self.root / "_build" / "logs")
    stage = property(lambda self: self.root / "_build" / "stage")
    staged_html = property(lambda self: self.root / "_build" / "stage" / "_build" / "html")
    staged_latex = property(lambda self: self.root / "_build" / "stage" / "_build" / "latex")
    html = property(lambda self: self.root / "_build" / "html")
    latex = property(lambda self: self.root / "_build" / "latex")
    book_key = property(lambda self: self.root / "_build" / "book.key")


def relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


def importing_from(root: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` with ``root`` first on PYTHONPATH, so claimbook is imported from the book being built
    (whose data/ it then reads), not from wherever this process found it."""
    env = dict(env)
    search_path = env.get("PYTHONPATH", "").split(os.pathsep)
    if search_path[0] != str(root):  # a pool worker runs several jobs of the same book
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), *search_path]))
    return env
