"""One error type for bad input, so every message names the file, the row and the column.

A CSV row is numbered as a spreadsheet shows it (the header is row 1). A field may hold line breaks
(claims.csv's notes do), so a row can start further down the file than its number: the message then
gives the line an editor shows as well, "claims.csv, row 45 (line 71)".
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path


class DataError(Exception):
    def __init__(self, path, row: int | None, column: str | None, message: str):
        self.path, self.row, self.column, self.message = Path(path) if path else None, row, column, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.path) if self.path else "<input>"]
        if self.row is not None:
            line = editor_line(self.path, self.row) if self.path else None
            where.append(f"row {self.row}" + (f" (line {line})" if line and line != self.row else ""))
        if self.column:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + ": " + self.message


def editor_line(path: Path, row: int) -> int | None:
    """The line of a CSV file on which its row ``row`` starts, or None for another kind of file or a
    row the file does not have."""
    if Path(path).suffix.lower() != ".csv":
        return None
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    starts = _row_starts(str(path), stat.st_mtime_ns, stat.st_size)
    return starts[row - 1] if 1 <= row <= len(starts) else None


@lru_cache(maxsize=16)
def _row_starts(path: str, modified: int, size: int) -> tuple[int, ...]:
    """The first line of each row (the header's first), as csv.DictReader counts rows: blank lines
    are no rows. ``modified`` and ``size`` key the cache to the file's content."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    reader = csv.reader(text.splitlines(keepends=True))
    starts, line = [], 1
    try:
        for record in reader:
            if record:
                starts.append(line)
            line = reader.line_num + 1
    except csv.Error:
        pass
    return tuple(starts)
