"""The data registry: sources, sentences, glosses, indicator groups and claims, loaded from ``data/``.

Loading converts types and fails with a :class:`DataError` naming file, row and column; the deeper
checks (offsets, selectors, grammar agreement) live in :mod:`claimbook.validate`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .bookroot import book_data_dir
from .errors import DataError
from .files import FIRST_ROW, read_csv_rows, read_table, write_rows
from .source import Sentence, Source, load_sources

CLAIM_COLUMNS = (
    "claim_id", "source_id", "sentence_id", "start", "end", "exact", "prefix", "suffix",
    "value", "lower", "upper", "assumed_lower", "assumed_upper", "unit", "kind", "qualifier", "readings", "iso",
    "modality", "speaker", "attribution",
    "indicator", "entity", "period", "period_basis", "period_reason", "group", "status", "note", "reading_note",
)
# A row's curation state. add_source writes "draft" rows that no person has checked yet; the
# validator refuses them, so a draft can never reach the book.
CHECKED, DRAFT = "checked", "draft"
CLAIM_STATUSES = (CHECKED, DRAFT)
GROUP_COLUMNS = ("group_id", "order", "title_en", "title_zh", "description")
GLOSS_COLUMNS = ("source_id", "sentence_id", "gloss")
NUMERIC_COLUMNS = ("value", "lower", "upper", "assumed_lower", "assumed_upper")


@dataclass(frozen=True)
class Claim:
    claim_id: str
    source_id: str
    sentence_id: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str
    kind: str
    qualifier: str
    readings: dict[str, float]
    iso: str
    indicator: str
    entity: str
    period: str
    group: str
    note: str
    status: str
    row: int = field(default=0, compare=False)
    # What kind of statement it is, who states it, on what basis its period is given, and why a
    # curator reads a row otherwise than the grammar (see claimbook.meaning).
    assumed_lower: float | None = None
    assumed_upper: float | None = None
    modality: str = "fact"
    speaker: str = ""
    attribution: str = ""
    period_basis: str = ""
    period_reason: str = ""
    reading_note: str = ""

    @property
    def anchor(self) -> str:
        return claim_anchor(self.claim_id)

    @property
    def assumed_ends(self) -> tuple[float | None, float | None]:
        """(lower, upper) under the method's assumptions: the assumed margin on a side the words
        leave open, the stated bound on a side they state."""
        return (self.assumed_lower if self.assumed_lower is not None else self.lower,
                self.assumed_upper if self.assumed_upper is not None else self.upper)


@dataclass(frozen=True)
class Group:
    group_id: str
    order: int
    title_en: str
    title_zh: str
    description: str
    row: int = field(default=0, compare=False)  # in groups.csv: load_groups sorts groups by order


def claim_anchor(claim_id: str) -> str:
    return "claim-" + claim_id


def parse_readings(text: str) -> dict[str, float]:
    """``"x15=15;x16=16"`` → ``{"x15": 15.0, "x16": 16.0}``."""
    readings = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, number = part.partition("=")
        readings[name.strip()] = float(number)
    return readings


def format_readings(readings: dict[str, float]) -> str:
    return ";".join(f"{name}={format_number(v)}" for name, v in readings.items())


def format_number(value: float | None) -> str:
    """Shortest exact decimal text for a CSV cell: integers without '.0', no exponent."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def edit_claim(path: Path, claim_id: str, column: str, value: str) -> None:
    """Set one field of one row of a claims.csv (the benchmark and the tests edit a claim so)."""
    rows = read_csv_rows(path)
    for row in rows:
        if row["claim_id"] == claim_id:
            row[column] = value
    write_rows(path, rows)


def _number(path, row, column, text):
    if text is None or text.strip() == "":
        return None
    try:
        number = float(text)
    except ValueError:
        raise DataError(path, row, column, f"'{text}' is not a number") from None
    if not math.isfinite(number):
        raise DataError(path, row, column, f"'{text}' is not a finite number")
    return number


def _integer(path, row, column, text):
    number = _number(path, row, column, text)
    if number is None or not number.is_integer():
        raise DataError(path, row, column, f"'{text}' is not an integer offset")
    return int(number)


def load_claims(path: Path) -> list[Claim]:
    claims = []
    for number, row in enumerate(read_table(path, CLAIM_COLUMNS), start=FIRST_ROW):
        try:
            readings = parse_readings(row["readings"])
        except ValueError:
            raise DataError(path, number, "readings", f"'{row['readings']}' is not name=number;…") from None
        claims.append(Claim(
            claim_id=row["claim_id"], source_id=row["source_id"], sentence_id=row["sentence_id"],
            start=_integer(path, number, "start", row["start"]),
            end=_integer(path, number, "end", row["end"]),
            exact=row["exact"], prefix=row["prefix"], suffix=row["suffix"],
            **{column: _number(path, number, column, row[column]) for column in NUMERIC_COLUMNS},
            unit=row["unit"], kind=row["kind"], qualifier=row["qualifier"], readings=readings,
            iso=row["iso"], indicator=row["indicator"], entity=row["entity"], period=row["period"],
            group=row["group"], note=row["note"], status=row["status"], row=number,
            modality=row["modality"], speaker=row["speaker"], attribution=row["attribution"],
            period_basis=row["period_basis"], period_reason=row["period_reason"], reading_note=row["reading_note"],
        ))
    return claims


def load_groups(path: Path) -> list[Group]:
    groups = []
    for number, row in enumerate(read_table(path, GROUP_COLUMNS), start=FIRST_ROW):
        order = _number(path, number, "order", row["order"])
        if order is None:
            raise DataError(path, number, "order", "order is required")
        groups.append(Group(row["group_id"], int(order), row["title_en"], row["title_zh"], row["description"],
                            row=number))
    return sorted(groups, key=lambda g: g.order)


def load_glosses(path: Path) -> dict[tuple[str, str], str]:
    return {(r["source_id"], r["sentence_id"]): r["gloss"] for r in read_table(path, GLOSS_COLUMNS)}


class Registry:
    """Everything in ``data/``, loaded once. Access is by id; iteration keeps file order.

    Without ``data_dir`` it reads the ``data/`` of the book found from the working directory
    (:mod:`claimbook.bookroot`), never the folder beside wherever the package is installed."""

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = Path(data_dir) if data_dir is not None else book_data_dir()
        self.sources: dict[str, Source] = load_sources(self.data_dir)
        self.groups: list[Group] = load_groups(self.data_dir / "groups.csv")
        self.claim_list: list[Claim] = load_claims(self.data_dir / "claims.csv")
        self.glosses = load_glosses(self.data_dir / "glosses.csv")

    @cached_property
    def texts(self) -> dict[str, str]:
        return {sid: source.read_text() for sid, source in self.sources.items()}

    @cached_property
    def sentences(self) -> dict[str, list[Sentence]]:
        from .source import segment
        return {sid: segment(text) for sid, text in self.texts.items()}

    def sentence(self, source_id: str, sentence_id: str) -> Sentence:
        for sentence in self.sentences[source_id]:
            if sentence.id == sentence_id:
                return sentence
        raise KeyError(f"{source_id}:{sentence_id}")

    @cached_property
    def claims(self) -> dict[str, Claim]:
        return {c.claim_id: c for c in self.claim_list}

    def claims_in(self, group_id: str) -> list[Claim]:
        return [c for c in self.claim_list if c.group == group_id]

    def claims_of_sentence(self, source_id: str, sentence_id: str) -> list[Claim]:
        return [c for c in self.claim_list if c.source_id == source_id and c.sentence_id == sentence_id]

    def gloss(self, source_id: str, sentence_id: str) -> str:
        return self.glosses.get((source_id, sentence_id), "")

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.group_id == group_id)
