"""One error type for bad input, so every message names the file, the row and the column."""
from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    def __init__(self, path, row: int | None, column: str | None, message: str):
        self.path, self.row, self.column, self.message = Path(path) if path else None, row, column, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.path) if self.path else "<input>"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return ", ".join(where) + ": " + self.message
