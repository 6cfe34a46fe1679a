"""The labelled corpus: sentences of the genre, each with a form and the rows it must give.

Both the corpus and the held-out articles are test fixtures of the book (``tests/fixtures/``), found
from the book's root (:func:`claimbook.bookroot.find_book_root`), not from where the package sits."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..bookroot import find_book_root
from ..errors import DataError
from ..files import FIRST_ROW, read_csv_rows, read_yaml
from ..grammar import Mention

CORPUS = Path("tests") / "fixtures" / "extract-corpus.yml"
GENRE = Path("tests") / "fixtures" / "genre"
# Three articles annotated before the grammar's newer forms were written: the held-out check.
HELD_OUT = ("anhui-nev", "sichuan-clean-energy", "guizhou-digital")
ROW_KEYS = ("exact", "value", "lower", "upper", "unit", "kind", "qualifier", "direction", "from", "iso")


@dataclass(frozen=True)
class Sentence:
    number: int
    form: str
    text: str
    rows: tuple[Mention, ...]  # the expected rows, as the grammar's own mentions


def load_corpus(path: Path | None = None) -> list[Sentence]:
    """The corpus (default: the book's) with each row located in its sentence: the first occurrence
    after the row before."""
    path = path or find_book_root() / CORPUS
    sentences = []
    for number, item in enumerate(read_yaml(path, "labelled corpus of the extractor") or [], start=1):
        cursor, rows = 0, []
        for row in item.get("rows") or []:
            unknown = set(row) - set(ROW_KEYS)
            if unknown:
                raise DataError(path, number, sorted(unknown)[0], f"unknown key in sentence {number}")
            at = item["text"].find(row["exact"], cursor)
            if at < 0:
                raise DataError(path, number, "exact", f"'{row['exact']}' is not in '{item['text']}' after {cursor}")
            cursor = at + len(row["exact"])
            rows.append(Mention(at, cursor, row["exact"], _number(row.get("value")), _number(row.get("lower")),
                                _number(row.get("upper")), row.get("unit", ""), row.get("kind", ""),
                                row.get("qualifier", ""), iso=str(row.get("iso", "")),
                                direction=row.get("direction", ""), from_value=_number(row.get("from"))))
        sentences.append(Sentence(number, item["form"], item["text"], tuple(rows)))
    return sentences


def load_held_out(names=HELD_OUT, root: Path | None = None) -> list[Sentence]:
    """The genre articles of tests/fixtures/genre/ as one 'sentence' each, with their annotation, each
    row located as in :func:`load_corpus`. The annotation labels no ISO date, so a date found counts as
    read (score.value_right)."""
    genre = (root or find_book_root()) / GENRE
    articles = []
    for number, name in enumerate(names, start=1):
        text = (genre / f"{name}.txt").read_text(encoding="utf-8")
        labelled = genre / f"{name}.expected.csv"
        cursor, rows = 0, []
        for row_number, row in enumerate(read_csv_rows(labelled), start=FIRST_ROW):
            at = text.find(row["exact"], cursor)
            if at < 0:
                raise DataError(labelled, row_number, "exact", f"'{row['exact']}' is not in {name}.txt after {cursor}")
            cursor = at + len(row["exact"])
            rows.append(Mention(at, cursor, row["exact"], _number(row["value"]), _number(row["lower"]),
                                _number(row["upper"]), row["unit"], row["kind"], row["qualifier"]))
        articles.append(Sentence(number, name, text, tuple(rows)))
    return articles


def _number(value) -> float | None:
    """A labelled number: a YAML number or a CSV cell; missing or empty is None (an open end)."""
    return None if value is None or value == "" else float(value)
