"""The book's files, read and written one way each.

``data/`` keeps UTF-8 text without a byte-order mark and CSV with LF line ends, a header row and
quotes only where a field needs them; the book's configuration files are YAML. Every function here
reads or writes them so, and every problem is a :class:`~claimbook.errors.DataError` that names the
file (and the row, where there is one).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import DataError

# Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
FIRST_ROW = 2


def decode_utf8(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(path, None, None, "file starts with a UTF-8 byte-order mark; save it without BOM")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, None, None, f"not valid UTF-8 (byte {exc.start}); is it GBK? re-save as UTF-8") from None


def read_csv_text(path: Path) -> str:
    """The text of a UTF-8 CSV; rejects a missing or empty file, BOM, non-UTF-8 and CRLF with a
    message naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, None, "file is missing") from None
    text = decode_utf8(raw, path)
    if not text.strip():
        raise DataError(path, None, None, "file is empty")
    if "\r\n" in text:
        raise DataError(path, None, None, "file has CRLF line ends; use LF")
    return text


def csv_reader(text: str) -> csv.DictReader:
    """The rows of a CSV's text as dicts; its ``fieldnames`` are the header."""
    return csv.DictReader(text.splitlines(keepends=True))


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV as dicts (checked as :func:`read_csv_text` says)."""
    return list(csv_reader(read_csv_text(path)))


def read_table(path: Path, columns) -> list[dict[str, str]]:
    """The rows of a CSV whose header must be exactly ``columns`` and whose every row has that many
    fields; a missing or unexpected column, or a short or long row, is named."""
    reader = csv_reader(read_csv_text(path))
    rows = list(reader)
    header = reader.fieldnames or []
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    if missing:
        raise DataError(path, 1, missing[0], f"missing column(s): {', '.join(missing)}")
    if extra:
        raise DataError(path, 1, extra[0], f"unexpected column(s): {', '.join(extra)}")
    for number, row in enumerate(rows, start=FIRST_ROW):
        if None in row or any(v is None for v in row.values()):
            raise DataError(path, number, None, "wrong number of fields in this row")
    return rows


def csv_text(columns, rows: list[dict[str, str]]) -> str:
    """Rows as data/ keeps them: a header, LF line ends, quotes only where needed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_rows(path: Path, rows: list[dict[str, str]], columns=None) -> None:
    """Write ``rows`` as :func:`csv_text` (the header: ``columns``, or the first row's keys)."""
    Path(path).write_text(csv_text(columns or list(rows[0]), rows), encoding="utf-8")


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
