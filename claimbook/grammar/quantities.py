"""The general quantity pattern: [verb][qualifier][第/前]numeral[多][magnitude][多][unit][多/半][qualifier].

It runs last, on what the other passes left. Its rules: a bare Chinese numeral is a word (一方面);
一 with a counter alone is an article (一家企业); a verb belongs to the sentence, except before 倍,
where 增加15倍 reads ×15 or ×16 and keeps both readings; 多 after 倍 or a span of time (4倍多,
6年多) runs one unit up (DESIGN.md: "n and a bit"); 级 makes an order of magnitude only after a
magnitude word (万亿级), not after a small numeral (市县两级).
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..qualifiers import QUALIFIER_WORDS, bounds, last_digit_step
from .mention import Mention, number, read_each
from .numerals import ARABIC_RE, NUMERAL, read_numeral
from .units import (
    BOUNDING_POST_QUALIFIERS,
    INCREASE_VERBS,
    MAGNITUDE,
    MAGNITUDES,
    POST_QUALIFIERS,
    PRE_QUALIFIERS,
    UNIT_OR_COUNTER,
    alternation,
    kind_and_unit,
)

QUANTITY_RE = re.compile(
    f"(?P<verb>{alternation(INCREASE_VERBS)})?"
    f"(?P<pre>{alternation(PRE_QUALIFIERS)})?"
    f"(?P<ord>第|前)?"
    f"(?P<num>{NUMERAL})"  # required: an optional numeral would make the pattern match everywhere
    f"(?P<approx1>多|余)?"
    f"(?P<mag>{MAGNITUDE})?"
    f"(?P<approx2>多|余)?"
    f"(?P<unit>{UNIT_OR_COUNTER})?"
    # 多 after 倍 or a time unit, unless it starts the next word (3年多次, 5倍多家)
    f"(?:(?<=[倍年月天时周])(?P<approx3>多|余)(?![次家个项种名位人元方地年条批轮样部门只件万亿]))?"
    f"(?:(?<=[倍年天时])(?P<half>半)(?![导岛径]))?"
    f"(?P<post>{alternation(POST_QUALIFIERS)})?"
)
DOUBLING_RE = re.compile(r"翻(?:了)?(?P<times>一|两|二|三|四)?番")


def doublings(text):
    return read_each(DOUBLING_RE, text, _doubling)


def quantities(text):
    return read_each(QUANTITY_RE, text, _quantity)


def _doubling(m: re.Match) -> Mention:
    times = int(read_numeral(m["times"])) if m["times"] else 1
    value = float(2 ** times)
    return Mention(m.start(), m.end(), m[0], value, value, value, "multiplier", "multiplier")


def _quantity(m: re.Match) -> Mention | None:
    unit_text = m["unit"] or ""
    numeral = m["num"]
    if numeral in ("零", "〇"):
        return None
    if not unit_text and m["ord"] != "第" and not ARABIC_RE.fullmatch(numeral):
        return None  # a bare Chinese numeral (一方面, 万物) is a word, not a quantity
    if numeral[0] in "百千万亿" and m.string[m.start("num") - 1:m.start("num")] in ("多", "余"):
        return None  # …多万元: the digit of 20多万 is elided; 万 alone here is no numeral
    if unit_text == "级" and not (m["mag"] or set(numeral) <= set("十百千万亿")):
        return None  # 市县两级, 三级医院: a level, not an order of magnitude
    start, end = m.start(), m.end()
    verb, ordinal, post = m["verb"], m["ord"], m["post"]
    kind, unit, factor = kind_and_unit(unit_text, ordinal)
    if verb and kind != "multiplier":
        start += len(verb)  # 增加165个: the verb belongs to the sentence, not the quantity
        verb = None
    if ordinal == "前" and kind != "rank":
        start += 1
        ordinal = None
    if post and not _post_fits(post, kind):
        end -= len(post)
        post = None
    if _is_indefinite_article(m, kind, ordinal, post):
        return None
    magnitude = MAGNITUDES.get(m["mag"] or "", 1)
    stated = read_numeral(numeral)
    value = stated * magnitude * factor
    if m["half"] or unit_text == "个半月":
        value += Decimal("0.5")  # 一年半, 两倍半, 一个半月
    qualifier = _qualifier(m, ordinal, kind, post)
    step = None
    if m["approx1"] or m["approx2"]:
        step = last_digit_step(stated) * factor * magnitude
    elif m["approx3"] or unit_text == "个多月":
        qualifier, step = QUALIFIER_WORDS["多"], Decimal(1)  # 4倍多, 6年多: one unit more at most
    lower, upper = bounds(value, qualifier, step, kind=kind)
    readings = {}
    if verb:  # 增加15倍 reads as ×15 (colloquial) or ×16 (increase *by* fifteen times)
        readings = {f"x{_plain(value)}": float(value), f"x{_plain(value + 1)}": float(value + 1)}
        upper = None if upper is None else max(upper, value + 1)  # 增加超过15倍 stays open above
    return Mention(start, end, m.string[start:end], number(value), number(lower), number(upper), unit, kind,
                   qualifier, readings)


def _post_fits(post: str, kind: str) -> bool:
    if post in BOUNDING_POST_QUALIFIERS:
        return True
    return kind == "duration"  # 内 / 来 / 以来 / 前 qualify a span of time: 四年内, 五年来, 10年前


def _is_indefinite_article(m: re.Match, kind: str, ordinal, post) -> bool:
    """一家企业, 一批平台, 又一次: 一 with a counter and nothing else is an article, not a count."""
    return (m["num"] == "一" and kind == "count" and not (m["pre"] or ordinal or post or m["mag"]
                                                            or m["approx1"] or m["approx2"]))


def _qualifier(m: re.Match, ordinal, kind: str, post) -> str:
    if kind == "scale":
        return "scale"
    if ordinal == "前":
        return "top"
    for word in (m["pre"], m["approx1"], m["approx2"], m["approx3"], post):
        if word:
            return QUALIFIER_WORDS[word]
    return ""


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
