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


def read_yaml(path, what: str, parse=None):
    """The YAML document at ``path`` (parsed with ``yaml.safe_load``, or ``parse``: ``yaml.compose``
    keeps line numbers); a :class:`DataError` names the file if it is missing or not YAML."""
    import yaml

    path = Path(path)
    try:
        return (parse or yaml.safe_load)(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, None, None, f"the {what} is missing") from None
    except yaml.YAMLError as exc:
        raise DataError(path, None, None, f"not valid YAML: {exc}") from None
