"""Where the book is: found from the working directory, never from where the package is installed.

A book is a folder that holds Jupyter Book's ``_config.yml`` and the registry's ``data/sources.csv``.
Its root is, in this order: a path given explicitly (``--root``, a notebook parameter); the
``CLAIMBOOK_ROOT`` environment variable; the nearest book at or above the working directory. The
package may be installed anywhere (site-packages, another checkout): the data it reads is the data
of the book it runs in.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CLAIMBOOK_ROOT"
MARKERS = ("_config.yml", "data/sources.csv")


class BookNotFound(Exception):
    """No book where one was looked for; the message says where and how to point at one."""


def is_book(folder: Path) -> bool:
    return all((Path(folder) / marker).is_file() for marker in MARKERS)


def find_book_root(explicit: str | os.PathLike | None = None, start: str | os.PathLike | None = None) -> Path:
    """The book's root folder (absolute), by the rule of the module docstring."""
    for given, how in ((explicit, "the path given"), (os.environ.get(ENV_VAR) or None, f"${ENV_VAR}")):
        if given is not None:
            root = Path(given).resolve()
            if not is_book(root):
                raise BookNotFound(f"{root} ({how}) is not a book: it needs {' and '.join(MARKERS)}")
            return root
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_book(folder):
            return folder
    raise BookNotFound(f"no book at or above {here} (a folder with {' and '.join(MARKERS)}): run inside the "
                       f"book's folder, pass --root, or set {ENV_VAR} (a notebook: set its book_root parameter)")


def book_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The ``data/`` folder of the book found by :func:`find_book_root`."""
    return find_book_root(explicit) / "data"
