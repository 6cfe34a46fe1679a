"""Held-out genre test: the quantity extractor on three provincial features it was never tuned on.

The articles in tests/fixtures/genre/ are original texts in the style of Xinhua / People's Daily development
features. Each `<name>.expected.csv` is a hand annotation written from the project's quantity conventions
(DESIGN.md "Values and qualifiers"), not from the extractor's output, so a failure here names a grammar gap.
Expected mentions carry no offsets: they are listed in order of appearance and located in the text one after
another, so a repeated string (2024年) is matched to the right occurrence.
"""
from __future__ import annotations

import csv
import io
import math
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from claimbook.source import segment

from tools import claimbook

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "genre"
ARTICLES = ["anhui-nev", "sichuan-clean-energy", "guizhou-digital"]

OUTPUT_HEADER = ["start", "end", "exact", "value", "lower", "upper", "unit", "kind", "qualifier", "direction",
                 "from_value", "readings", "iso", "sentence_id"]
ANNOTATION_HEADER = ["exact", "value", "lower", "upper", "unit", "kind", "qualifier"]
NUMERIC_FIELDS = ("value", "lower", "upper")
LABEL_FIELDS = ("unit", "kind", "qualifier")
SENTENCE_ID = re.compile(r"p\d{2}\.s\d+")

KIND_UNITS = {
    "money": {"yuan"},
    "scale": {"yuan"},
    "count": {"count"},
    "percent": {"fraction"},
    "tenths": {"fraction"},
    "multiplier": {"multiplier"},
    "rank": {"rank"},
    "ordinal": {"ordinal"},
    "duration": {"year", "month", "day"},
    "measure": {"tonne", "mu", "kW", "kWh", "km"},
    "date": {"date"},
    "period": {"date", "period"},
}
INCREASE_VERBS = ("增加", "增长", "提升", "提高", "扩大")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    fields: dict[str, str]

    @property
    def exact(self) -> str:
        return self.fields["exact"]


# --- loading ------------------------------------------------------------------------------------

def article_path(name: str) -> Path:
    return FIXTURES / f"{name}.txt"


@cache
def article_text(name: str) -> str:
    return article_path(name).read_text(encoding="utf-8")


@cache
def annotation_rows(name: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    with open(FIXTURES / f"{name}.expected.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return tuple(reader.fieldnames or ()), list(reader)


def locate_in_order(text: str, rows: list[dict[str, str]]) -> list[Mention]:
    """Give each annotated mention its span: the first occurrence after the previous mention."""
    mentions, cursor = [], 0
    for number, row in enumerate(rows, start=2):
        at = text.find(row["exact"], cursor)
        if at < 0:
            raise AssertionError(f"annotation line {number}: {row['exact']!r} not found after offset {cursor}")
        cursor = at + len(row["exact"])
        mentions.append(Mention(at, cursor, row))
    return mentions


def expected_mentions(name: str) -> list[Mention]:
    return locate_in_order(article_text(name), annotation_rows(name)[1])


def run_extractor(path: str | Path) -> subprocess.CompletedProcess:
    return claimbook("extract", path, cwd=REPO, timeout=300)


@cache
def extractor_result(name: str) -> subprocess.CompletedProcess:
    return run_extractor(article_path(name).relative_to(REPO))


def reported_mentions(name: str) -> tuple[list[str], list[Mention]]:
    result = extractor_result(name)
    assert result.returncode == 0, f"extractor failed on {name}:\n{result.stderr}"
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    return list(reader.fieldnames or ()), [Mention(int(r["start"]), int(r["end"]), r) for r in rows]


# --- comparison ---------------------------------------------------------------------------------

def sentence_of(text: str, position: int) -> str:
    for sentence in segment(text):
        if sentence.start <= position < sentence.end:
            return sentence.id
    return "?"


def numbers_agree(expected: str, reported: str) -> bool:
    if expected == "" or reported == "":
        return expected == reported
    try:
        return math.isclose(float(expected), float(reported), rel_tol=1e-9)
    except ValueError:
        return False


def field_disagreements(expected: Mention, reported: Mention, text: str) -> list[str]:
    problems = []
    for field in NUMERIC_FIELDS:
        if not numbers_agree(expected.fields[field], reported.fields[field]):
            problems.append(f"{field} expected {expected.fields[field]!r} got {reported.fields[field]!r}")
    for field in LABEL_FIELDS:
        if expected.fields[field] != reported.fields[field]:
            problems.append(f"{field} expected {expected.fields[field]!r} got {reported.fields[field]!r}")
    holding = sentence_of(text, expected.start)
    if reported.fields["sentence_id"] != holding:
        problems.append(f"sentence_id expected {holding!r} got {reported.fields['sentence_id']!r}")
    return problems


def overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def describe(mention: Mention) -> str:
    f = mention.fields
    return (f"{f['exact']} @{mention.start} [{f['value']}, {f['lower']}, {f['upper']}, {f['unit']}, {f['kind']}, "
            f"{f['qualifier']!r}]")


def compare(name: str) -> tuple[str, bool]:
    """Match expected and reported mentions by span; return a readable report and whether all agree."""
    text = article_text(name)
    expected = expected_mentions(name)
    _, reported = reported_mentions(name)
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for mention in reported:
        by_span.setdefault((mention.start, mention.end), []).append(mention)

    matched, missing, mismatched = [], [], []
    for want in expected:
        candidates = by_span.get((want.start, want.end))
        if not candidates:
            missing.append(want)
            continue
        got = candidates.pop(0)
        matched.append(got)
        problems = field_disagreements(want, got, text)
        if problems:
            mismatched.append((want, problems))
    extra = [m for spans in by_span.values() for m in spans]
    extra.sort(key=lambda m: (m.start, m.end))

    recall = len(matched) / len(expected) if expected else 1.0
    precision = len(matched) / len(reported) if reported else 1.0
    lines = [
        f"{name}: recall {len(matched)}/{len(expected)} = {recall:.3f}, "
        f"precision {len(matched)}/{len(reported)} = {precision:.3f}, "
        f"field mismatches {len(mismatched)}"
    ]
    if missing:
        lines.append("MISSING (annotated, not reported with this exact span):")
        for want in missing:
            near = [m.exact for m in reported if overlaps(m, want)]
            hint = f"   reported instead: {near}" if near else ""
            lines.append(f"  {sentence_of(text, want.start)} {describe(want)}{hint}")
    if extra:
        lines.append("EXTRA (reported, not annotated):")
        for got in extra:
            lines.append(f"  {got.fields['sentence_id']} {describe(got)}")
    if mismatched:
        lines.append("MISMATCHED FIELDS:")
        for want, problems in mismatched:
            lines.append(f"  {want.exact} @{want.start}: " + "; ".join(problems))
    agree = not missing and not extra and not mismatched
    return "\n".join(lines), agree


# --- the annotation itself follows the conventions ----------------------------------------------

def convention_bounds(row: dict[str, str]) -> tuple[float | None, float | None] | None:
    """The bounds the words state, by the conventions, from value and qualifier (None for an open side
    that no physical limit closes); None where the annotator chooses the step. A magnitude is at least
    0; a share is at most 1."""
    value, qualifier = float(row["value"]), row["qualifier"]
    share = row["unit"] == "fraction" and row["kind"] in ("percent", "tenths") and value <= 1
    ceiling = 1.0 if share else None
    if qualifier in ("", "within", "since", "ago", "top"):
        return value, value
    if qualifier in ("nearly", "less than"):
        return 0.0, value
    if qualifier == "more than":
        return value, ceiling
    if qualifier == "scale":  # the order of magnitude named: 万亿级, 数十
        return value, 10 * value
    if qualifier == "about":
        return 0.0, ceiling
    return None


def last_digit_step(value: float) -> int:
    """One unit of the last significant digit of a whole number: 20 -> 10, 5600 -> 100, 15000 -> 1000."""
    number, step = int(value), 1
    while number and number % 10 == 0:
        number, step = number // 10, step * 10
    return step


@pytest.mark.parametrize("name", ARTICLES)
def test_annotation_follows_the_conventions(name):
    raw = article_path(name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, "fixture must be UTF-8 without BOM, LF"
    header, rows = annotation_rows(name)
    assert list(header) == ANNOTATION_HEADER
    assert len(rows) >= 25
    expected_mentions(name)  # every exact occurs, in order
    problems = []
    for row in rows:
        exact, kind, unit = row["exact"], row["kind"], row["unit"]
        if unit not in KIND_UNITS.get(kind, set()):
            problems.append(f"{exact}: unit {unit!r} does not fit kind {kind!r}")
        if kind in ("date", "period"):
            if any(row[f] for f in NUMERIC_FIELDS) or row["qualifier"]:
                problems.append(f"{exact}: a date or period carries no value or qualifier")
            continue
        value, lower, upper = (float(row[f]) if row[f] else None for f in NUMERIC_FIELDS)
        bounds = convention_bounds(row)
        is_ambiguous_increase = kind == "multiplier" and exact.startswith(INCREASE_VERBS)
        if is_ambiguous_increase:
            bounds = (value, value + 1)  # 增长3倍 reads x3 or x4
        if row["qualifier"] == "and more":
            if not (lower == value and upper == value + last_digit_step(value)):
                problems.append(f"{exact}: 多/余 runs from the value up one step of the last significant digit")
        elif bounds is None:
            problems.append(f"{exact}: unknown qualifier {row['qualifier']!r}")
        elif not all(got is None if want is None else got is not None and math.isclose(got, want, rel_tol=1e-9)
                     for got, want in zip((lower, upper), bounds, strict=True)):
            problems.append(f"{exact}: bounds [{lower}, {upper}] should be {list(bounds)}")
    assert not problems, "\n".join(problems)


# --- the extractor against the annotation -------------------------------------------------------

@pytest.mark.parametrize("name", ARTICLES)
def test_extractor_output_is_well_formed(name):
    header, reported = reported_mentions(name)
    assert header == OUTPUT_HEADER
    text = article_text(name)
    problems = []
    for mention in reported:
        if text[mention.start:mention.end] != mention.exact:
            problems.append(f"{mention.exact} @{mention.start}: text there is {text[mention.start:mention.end]!r}")
        if not SENTENCE_ID.fullmatch(mention.fields["sentence_id"]):
            problems.append(f"{mention.exact} @{mention.start}: bad sentence_id {mention.fields['sentence_id']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ARTICLES)
def test_extractor_matches_annotation(name):
    report, agree = compare(name)
    print(report)
    assert agree, "\n" + report


# --- bad input is refused with a message naming the file ----------------------------------------

SAMPLE = "2024年，全省新能源汽车产量达到86.8万辆，同比增长60.5%。\n"


def assert_refused(path: Path):
    result = run_extractor(path)
    assert result.returncode != 0, f"exit 0 for {path.name}; stdout:\n{result.stdout}"
    assert path.name in result.stderr, f"message does not name {path.name}:\n{result.stderr}"
    assert "Traceback" not in result.stderr, f"crashed instead of reporting:\n{result.stderr}"


def test_gbk_file_is_refused(tmp_path):
    path = tmp_path / "gbk-article.txt"
    path.write_bytes(SAMPLE.encode("gbk"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the sample must really be invalid UTF-8
    assert_refused(path)


def test_utf8_file_with_bom_is_refused(tmp_path):
    path = tmp_path / "bom-article.txt"
    path.write_bytes(SAMPLE.encode("utf-8-sig"))
    assert_refused(path)


def test_missing_file_is_refused(tmp_path):
    assert_refused(tmp_path / "no-such-article.txt")
