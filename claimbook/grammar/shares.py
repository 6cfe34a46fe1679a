"""Shares written as words: 百分之八, 三分之一, 1/3, 一半, 半数, 过半, 大半.

百分之X is a percent; N分之M and M/N (M < N) are a fraction of one (kind ``fraction``); 一半 and
半数 are a half; 过半 and 大半 say "more than half", a floor of 0.5 under the ceiling 1 that every
share has (DESIGN.md). 大半年 (most of a year) is a length of time, not a share, and is left alone.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..qualifiers import QUALIFIER_WORDS, bounds
from .mention import Mention, number, read_each
from .numerals import ARABIC, CN_NUMERAL, read_numeral
from .units import BOUNDING_POST_QUALIFIERS, PRE_QUALIFIERS, alternation

_PRE = f"(?P<pre>{alternation(PRE_QUALIFIERS)})?"
_POST = f"(?P<post>{alternation(BOUNDING_POST_QUALIFIERS)})?"
SPOKEN_PERCENT_RE = re.compile(f"{_PRE}百分之(?P<num>{ARABIC}|{CN_NUMERAL}){_POST}")
FRACTION_RE = re.compile(f"{_PRE}(?P<den>{CN_NUMERAL})分之(?P<num>{ARABIC}|{CN_NUMERAL}){_POST}")
ARABIC_FRACTION_RE = re.compile(r"(?<![\d/.,])(?P<num>\d{1,3})/(?P<den>\d{1,4})(?![\d/.])")
HALF_RE = re.compile(f"{_PRE}(?P<word>一大半|一半|半数|(?<![超经通越度不])过半|大半)(?![年天月日个小])" + _POST)
HALF_WORDS = {"一半": "", "半数": "", "过半": "more than", "大半": "more than", "一大半": "more than"}


def spoken_percents(text):
    return read_each(SPOKEN_PERCENT_RE, text, _spoken_percent)


def fractions(text):
    return read_each(FRACTION_RE, text, _fraction)


def arabic_fractions(text):
    return read_each(ARABIC_FRACTION_RE, text, _arabic_fraction)


def halves(text):
    return read_each(HALF_RE, text, lambda m: _share(m, Decimal("0.5"), HALF_WORDS[m["word"]] or _qualifier(m)))


def _spoken_percent(m: re.Match) -> Mention:
    """百分之八 = 8%: the numeral follows its unit. An older form: its bounds follow qualifiers.bounds."""
    return _share(m, read_numeral(m["num"]) * Decimal("0.01"), _qualifier(m), kind="percent")


def _fraction(m: re.Match) -> Mention | None:
    if m["den"] in ("百", "一百"):
        return None  # 百分之X, read as a percent
    return _share(m, read_numeral(m["num"]) / read_numeral(m["den"]), _qualifier(m))


def _arabic_fraction(m: re.Match) -> Mention | None:
    numerator, denominator = int(m["num"]), int(m["den"])
    return _share(m, Decimal(numerator) / Decimal(denominator), "") if 0 < numerator < denominator else None


def _share(m: re.Match, value: Decimal, qualifier: str, kind: str = "fraction") -> Mention:
    lower, upper = bounds(value, qualifier, share=True)
    return Mention(m.start(), m.end(), m[0], number(value), number(lower), number(upper), "fraction", kind,
                   qualifier)


def _qualifier(m: re.Match) -> str:
    word = m["pre"] or m["post"]
    return QUALIFIER_WORDS[word] if word else ""
