"""The labelled corpus: sentences of the genre, each with a form and the rows it must give."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, read_yaml
from ..grammar import Mention

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
CORPUS = FIXTURES / "extract-corpus.yml"
# Three articles annotated before the grammar's newer forms were written: the held-out check.
HELD_OUT = ("anhui-nev", "sichuan-clean-energy", "guizhou-digital")
ROW_KEYS = ("exact", "value", "lower", "upper", "unit", "kind", "qualifier", "direction", "from", "iso")


@dataclass(frozen=True)
class Sentence:
    number: int
    form: str
    text: str
    rows: tuple[Mention, ...]  # the expected rows, as the grammar's own mentions


def load_corpus(path: Path = CORPUS) -> list[Sentence]:
    """The corpus with each row located in its sentence: the first occurrence after the row before."""
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


def load_held_out(names=HELD_OUT) -> list[Sentence]:
    """The genre articles of tests/fixtures/genre/ as one 'sentence' each, with their annotation.
    The annotation labels no ISO date, so a date found counts as read (score.value_right)."""
    import csv

    articles = []
    for number, name in enumerate(names, start=1):
        text = (FIXTURES / "genre" / f"{name}.txt").read_text(encoding="utf-8")
        with open(FIXTURES / "genre" / f"{name}.expected.csv", encoding="utf-8", newline="") as handle:
            labelled = list(csv.DictReader(handle))
        cursor, rows = 0, []
        for row in labelled:
            at = text.find(row["exact"], cursor)
            cursor = at + len(row["exact"])
            rows.append(Mention(at, cursor, row["exact"], _cell(row["value"]), _cell(row["lower"]), _cell(row["upper"]),
                                row["unit"], row["kind"], row["qualifier"]))
        articles.append(Sentence(number, name, text, tuple(rows)))
    return articles


def _cell(text: str) -> float | None:
    return float(text) if text else None


def _number(value) -> float | None:
    return None if value is None else float(value)
