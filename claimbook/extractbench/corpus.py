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
        # Lazily: each row's keys are checked just before it is located.
        rows = ((number, _known_keys(row, path, number)) for row in item.get("rows") or [])
        located = _locate_rows(item["text"], rows, path, f"'{item['text']}'", _corpus_mention)
        sentences.append(Sentence(number, item["form"], item["text"], located))
    return sentences


def _known_keys(row: dict, path: Path, number: int) -> dict:
    unknown = set(row) - set(ROW_KEYS)
    if unknown:
        raise DataError(path, number, sorted(unknown)[0], f"unknown key in sentence {number}")
    return row


def _corpus_mention(start: int, end: int, row: dict) -> Mention:
    return Mention(start, end, row["exact"], _number(row.get("value")), _number(row.get("lower")),
                   _number(row.get("upper")), row.get("unit", ""), row.get("kind", ""), row.get("qualifier", ""),
                   iso=str(row.get("iso", "")), direction=row.get("direction", ""),
                   from_value=_number(row.get("from")))


def load_held_out(names=HELD_OUT, root: Path | None = None) -> list[Sentence]:
    """The genre articles of tests/fixtures/genre/ as one 'sentence' each, with their annotation, each
    row located as in :func:`load_corpus`. The annotation labels no ISO date, so a date found counts as
    read (score.value_right)."""
    genre = (root or find_book_root()) / GENRE
    articles = []
    for number, name in enumerate(names, start=1):
        text = (genre / f"{name}.txt").read_text(encoding="utf-8")
        labelled = genre / f"{name}.expected.csv"
        rows = enumerate(read_csv_rows(labelled), start=FIRST_ROW)
        located = _locate_rows(text, rows, labelled, f"{name}.txt", _held_out_mention)
        articles.append(Sentence(number, name, text, located))
    return articles


def _held_out_mention(start: int, end: int, row: dict) -> Mention:
    return Mention(start, end, row["exact"], _number(row["value"]), _number(row["lower"]), _number(row["upper"]),
                   row["unit"], row["kind"], row["qualifier"])


def _locate_rows(text: str, rows, path: Path, text_name: str, mention) -> tuple[Mention, ...]:
    """Each of ``rows`` ((row number, row)) as ``mention(start, end, row)`` at the first occurrence of
    its ``exact`` in ``text`` after the row before; a :class:`DataError` names the row that is not there."""
    cursor, mentions = 0, []
    for row_number, row in rows:
        at = text.find(row["exact"], cursor)
        if at < 0:
            raise DataError(path, row_number, "exact", f"'{row['exact']}' is not in {text_name} after {cursor}")
        cursor = at + len(row["exact"])
        mentions.append(mention(at, cursor, row))
    return tuple(mentions)


def _number(value) -> float | None:
    """A labelled number: a YAML number or a CSV cell; missing or empty is None (an open end)."""
    return None if value is None or value == "" else float(value)
