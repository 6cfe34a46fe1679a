"""Scoring readings of the labelled corpus, the same way for the extractor and for its peers.

A reading is a dict with ``start``, ``end`` and whatever the system gives of ``value``, ``lower``,
``upper``, ``from_value``, ``iso``, ``direction``. It *finds* an expected row when the spans overlap
(peers cut spans their own way: 16.5 or 16.5%, 20万 or 20万元). A row's value is right when one
overlapping reading has it; a range (no value) is right when one reading gives both ends, or two
readings give one end each (a peer reads 3至5年 as 3 and 5); a date when a reading has its ISO
date; 从A到B when both A and B are read. Bounds count for rows with a qualifier: both ends must be
those the text states (DESIGN.md), an open end as open; two readings that are the two ends of a
range count. Precision counts readings that overlap no expected row as false hits.
"""
from __future__ import annotations

import math
from collections import defaultdict

from ..grammar import Mention
from .corpus import Sentence

METRICS = ("rows", "found", "value_right", "qualified", "bounds_right", "readings", "false_hits", "crashes")


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def overlaps(row: Mention, reading: dict) -> bool:
    return reading["start"] < row.end and row.start < reading["end"]


def overlapping(row: Mention, readings: list[dict]) -> list[dict]:
    return [r for r in readings if overlaps(row, r)]


def value_right(row: Mention, hits: list[dict]) -> bool:
    if row.kind in ("date", "period") and not row.iso:
        return True  # a date labelled without its ISO form (the held-out articles): found is all we can check
    if row.iso:
        return any(r.get("iso") == row.iso for r in hits)
    # a reading with no point value but two ends (JioNLP's 200多万元 = [2e6, 3e6]) states its number as an end
    values = [v for r in hits
              for v in ((r["value"],) if r.get("value") is not None else (r.get("lower"), r.get("upper")))]
    if row.from_value is not None:
        return any(close(r.get("from_value"), row.from_value) and close(r.get("value"), row.value) for r in hits) \
            or (_has(values, row.from_value) and _has(values, row.value))
    if row.value is None:
        return _ends_given(row, hits)
    return _has(values, row.value)


def bounds_right(row: Mention, hits: list[dict]) -> bool:
    if any(close(r.get("lower"), row.lower) and close(r.get("upper"), row.upper) for r in hits):
        return True
    return row.value is None and _ends_given(row, hits)


def _ends_given(row: Mention, hits: list[dict]) -> bool:
    values = [r.get("value") for r in hits]
    together = any(r.get("value") is None and close(r.get("lower"), row.lower) and close(r.get("upper"), row.upper)
                   for r in hits)
    return together or (row.lower is not None and row.upper is not None and _has(values, row.lower)
                        and _has(values, row.upper))


def _has(values, wanted: float | None) -> bool:
    return wanted is not None and any(close(v, wanted) for v in values)


def score(sentences: list[Sentence], readings: dict[int, list[dict] | None]) -> dict[str, dict[str, int]]:
    """Counts per form (and ``all``): ``readings[n]`` is sentence n's readings, None if it crashed."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for sentence in sentences:
        got = readings.get(sentence.number)
        for form in (sentence.form, "all"):
            tally = counts[form]
            tally["rows"] += len(sentence.rows)
            tally["qualified"] += sum(1 for row in sentence.rows if row.qualifier)
            if got is None:
                tally["crashes"] += 1
                continue
            tally["readings"] += len(got)
            tally["false_hits"] += sum(1 for r in got if not any(overlaps(row, r) for row in sentence.rows))
            for row in sentence.rows:
                hits = overlapping(row, got)
                tally["found"] += bool(hits)
                tally["value_right"] += bool(hits) and value_right(row, hits)
                tally["bounds_right"] += bool(hits) and bool(row.qualifier) and bounds_right(row, hits)
    return dict(counts)


def rates(tally: dict[str, int]) -> dict[str, float | None]:
    """Recall, value accuracy, bounds for qualifiers and precision, as fractions (None: nothing to count)."""
    def share(part, whole):
        return tally[part] / tally[whole] if tally[whole] else None

    precision = (tally["readings"] - tally["false_hits"]) / tally["readings"] if tally["readings"] else None
    return {"recall": share("found", "rows"), "values": share("value_right", "rows"),
            "bounds": share("bounds_right", "qualified"), "precision": precision}


def exact_spans(sentences: list[Sentence], readings: dict[int, list[dict]]) -> dict[str, dict[str, int]]:
    """The strict count, per form: rows, readings, and readings whose span is exactly a row's."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"rows": 0, "readings": 0, "matched": 0})
    for sentence in sentences:
        got = readings.get(sentence.number) or []
        spans = {(row.start, row.end) for row in sentence.rows}
        matched = len(spans & {(r["start"], r["end"]) for r in got})
        for form in (sentence.form, "all"):
            counts[form]["rows"] += len(sentence.rows)
            counts[form]["readings"] += len(got)
            counts[form]["matched"] += matched
    return dict(counts)
