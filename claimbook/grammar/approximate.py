"""Approximate numerals: 八九十, 两三, 三五, 七八成, 十几, 几十, 数十, 上百, 过万.

Each states what it states, and no more (DESIGN.md):

==================  ====================================  ===========================
form                reading                               value, bounds, qualifier
==================  ====================================  ===========================
八九十, 两三, 三五    two neighbouring digits: one or the    no value; [80, 90]; range
七八成, 十五六        other
十几, 二十几          ten and a few, like 十多                10; [10, 20); and more
几十, 数十, 数百万    some tens: the order of magnitude      10; [10, 100); scale
上百, 过万, 破百      reaching a hundred: a floor            100; [100, open); more than
==================  ====================================  ===========================

A bare form (no unit, counter or magnitude after it) is a word, as a bare Chinese numeral is.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..qualifiers import bounds, last_digit_step
from .mention import Mention, number, read_each
from .numerals import DIGIT_VALUES, PLACE_VALUES, read_numeral
from .units import MAGNITUDE, MAGNITUDES, UNIT_OR_COUNTER, kind_and_unit

_TAIL = f"(?P<mag>{MAGNITUDE})?(?P<unit>{UNIT_OR_COUNTER})?"
# Two digits in a row, the second one or two more than the first: 八九(十), 两三, 三五, 十五六.
DIGIT_PAIR_RE = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿\d第])(?P<head>[二三四五六七八九]?十)?"
    r"(?P<a>[一两二三四五六七八九])(?P<b>[两二三四五六七八九])(?P<place>十|百|千)?" + _TAIL)
TENS_AND_A_FEW_RE = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万亿\d])"
    r"(?P<n>[一二两三四五六七八九]?十|[一二两三四五六七八九][百千])几" + _TAIL)
SOME_PLACE_RE = re.compile(
    r"(?:(?<=好)|(?<![指总人次件户份倍系分函变参常基序页层位岁天个数无多少\d]))[几数]"
    r"(?P<place>十万|百万|千万|十亿|百亿|千亿|十|百|千|万|亿)(?![余多几])" + _TAIL)
REACHING_RE = re.compile(
    r"(?:(?<![线网以之向往北南东西楼地天手早晚马路身])上|(?<![超经通越度跨渡不])过|破)"
    r"(?P<place>万亿|十万|百万|千万|十亿|百亿|千亿|百|千|万|亿)(?![余多几])" + _TAIL)


def digit_pairs(text):
    return read_each(DIGIT_PAIR_RE, text, _digit_pair)


def tens_and_a_few(text):
    return read_each(TENS_AND_A_FEW_RE, text, _tens_and_a_few)


def some_places(text):
    return read_each(SOME_PLACE_RE, text, _some_place)


def reaching(text):
    return read_each(REACHING_RE, text, _reaching)


def _digit_pair(m: re.Match) -> Mention | None:
    a, b = DIGIT_VALUES[m["a"]], DIGIT_VALUES[m["b"]]
    if b - a not in (1, 2) or (m["head"] and m["place"]) or not (m["unit"] or m["mag"] or m["place"]):
        return None
    head = read_numeral(m["head"]) if m["head"] else Decimal(0)
    scale, kind, unit = _scale(m, PLACE_VALUES.get(m["place"] or "", 1))
    return _mention(m, None, (head + a) * scale, (head + b) * scale, unit, kind, "range")


def _tens_and_a_few(m: re.Match) -> Mention | None:
    if not (m["unit"] or m["mag"]):
        return None
    stated = read_numeral(m["n"])
    scale, kind, unit = _scale(m, 1)
    value = stated * scale
    return _mention(m, value, *bounds(value, "and more", last_digit_step(stated) * scale), unit, kind, "and more")


def _some_place(m: re.Match) -> Mention | None:
    if not (m["unit"] or m["mag"] or PLACE_VALUES[m["place"]] >= 10**4):
        return None  # 几十 alone is a word (几十年如一日 has its unit); 数百万 alone is a number
    scale, kind, unit = _scale(m, PLACE_VALUES[m["place"]])
    return _mention(m, scale, *bounds(scale, "scale"), unit, kind, "scale")


def _reaching(m: re.Match) -> Mention | None:
    if not (m["unit"] or m["mag"]) and m["place"] in ("百", "千"):
        return None  # 上百 alone is rare as a number and common inside words
    value, kind, unit = _scale(m, PLACE_VALUES[m["place"]])
    return _mention(m, value, *bounds(value, "more than", kind=kind), unit, kind, "more than")


def _scale(m: re.Match, place: int) -> tuple[Decimal, str, str]:
    """The factor that one stated unit of the numeral stands for, with the kind and base unit."""
    kind, unit, factor = kind_and_unit(m["unit"] or "")
    return Decimal(place) * MAGNITUDES.get(m["mag"] or "", 1) * factor, kind, unit


def _mention(m, value, lower, upper, unit, kind, qualifier) -> Mention:
    return Mention(m.start(), m.end(), m[0], number(value), number(lower), number(upper), unit, kind, qualifier)
