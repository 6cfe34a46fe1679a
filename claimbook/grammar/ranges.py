"""Ranges (3至5年, 3-5家, 3~5个, 10万—20万元, 10%-20%) and changes with both ends (从0到28万标箱).

A range states both ends: no value, ``lower`` and ``upper``, qualifier ``range``. A scale word or
unit written once, after the second end, applies to both (5—10亿元 is 5亿 to 10亿), unless that
would put the first end above the second (1000—2万元 is 1000 to 20000). A dash between numerals
is a range only with a unit after it; 3-5 alone may be a section number or a score.

从A到B states where a change started and ended: ``value`` is B (where it ended), ``from_value`` A.
"""
from __future__ import annotations

import re

from .mention import Mention, number, read_each
from .numerals import NUMERAL, read_numeral
from .units import MAGNITUDE, MAGNITUDES, UNIT_OR_COUNTER, kind_and_unit

RANGE_RE = re.compile(
    f"(?P<from>从)?(?P<a>{NUMERAL})(?P<amag>{MAGNITUDE})?(?P<aunit>{UNIT_OR_COUNTER})?"
    r"(?P<sep>至|到|[-~～〜—–－](?![-—～~]))"
    f"(?P<b>{NUMERAL})(?P<bmag>{MAGNITUDE})?(?P<unit>{UNIT_OR_COUNTER})?(?![多余几])(?P<post>之间)?"
)


def ranges(text):
    return read_each(RANGE_RE, text, _range)


def _range(m: re.Match) -> Mention | None:
    unit_text = m["unit"] or ""
    if not (unit_text or m["bmag"]) or (m["aunit"] and m["aunit"] != unit_text):
        return None
    if m["b"][0] == "0" and not m["b"].startswith("0."):
        return None  # 0791-8888: a telephone number, not a range
    kind, unit, factor = kind_and_unit(unit_text)
    second = read_numeral(m["b"]) * MAGNITUDES.get(m["bmag"] or "", 1) * factor
    first = read_numeral(m["a"]) * factor
    if m["amag"]:
        first *= MAGNITUDES[m["amag"]]
    elif first * MAGNITUDES.get(m["bmag"] or "", 1) < second:
        first *= MAGNITUDES.get(m["bmag"] or "", 1)  # 5—10亿元: the scale word is shared
    start, end = m.start(), m.end()
    if m["from"] and m["sep"] == "到":
        value = number(second)
        return Mention(start, end, m[0], value, value, value, unit, kind, "from", from_value=number(first))
    if m["from"]:
        start += 1  # 从3至5年: the range without the preposition
    if not first < second:
        return None
    if kind in ("date", "period") or (unit_text == "年" and _looks_like_years(m)):
        return None  # 2021—2025年 is a period, read by the date pass
    return Mention(start, end, m.string[start:end], None, number(first), number(second), unit, kind, "range")


def _looks_like_years(m: re.Match) -> bool:
    return all(len(side) == 4 and side.isdigit() and side[:2] in ("19", "20") for side in (m["a"], m["b"]))
