"""Where a problem Sphinx reports is in the book's sources, not in the staged copy it compiled.

Sphinx compiles the staged book, so its messages name the staged copy of a page
(``/…/_build/stage/chapters/firms.ipynb:50021``), and for a notebook myst-nb numbers the lines
``(cell index + 1) × 10000 + line in the cell``. A reader edits the source: a Markdown page is
staged as it is, line for line; an executed notebook records the notebook papermill ran
(``metadata.papermill.input_path``) and keeps its cells, with one cell added, papermill's injected
parameters, so a cell is named by its number in the source notebook and its id.
"""
from __future__ import annotations

import json
import re

from .shared import INJECTED, BookPaths

MYST_NB_CELL_LINES = 10000
STAGED = re.compile(r"(?P<path>[^\s:'\"]*_build/stage/(?P<page>[^\s:'\"]+?\.(?:ipynb|md)))(?::(?P<line>\d+))?")


def source_location(paths: BookPaths, page: str, line: int | None) -> str:
    """The source of ``page`` (relative to the stage), with the cell and line of ``line``."""
    if not page.endswith(".ipynb"):
        return f"{page}:{line}" if line else page
    try:
        notebook = json.loads((paths.stage / page).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return page
    source = notebook.get("metadata", {}).get("papermill", {}).get("input_path") or page
    if not line:
        return source
    index, in_cell = divmod(line, MYST_NB_CELL_LINES)
    cells = notebook.get("cells", [])
    if not 1 <= index <= len(cells):
        return source
    cell = cells[index - 1]
    number = sum(1 for c in cells[:index] if c.get("id") != INJECTED)
    return f"{source}, cell {number} ({cell.get('cell_type')}, id {cell.get('id', '?')}), line {in_cell}"


def in_sources(text: str, paths: BookPaths) -> str:
    """``text`` with every location in the staged book replaced by its place in the sources."""
    def replace(match: re.Match) -> str:
        return source_location(paths, match["page"], int(match["line"]) if match["line"] else None)
    return STAGED.sub(replace, text)
