"""Numerals that are no quantity: names, slogans, set phrases and idioms that merely contain one.

The first pass of :func:`claimbook.grammar.find_mentions` claims these spans, so no later pass can
read a number there; the book and the audit use the same spans to leave such numerals alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .numerals import ARABIC, CN_DIGITS, CN_NUMERAL
from .units import UNIT_OR_COUNTER, alternation

# Four-character idioms and slogans whose numerals count nothing (千家万户 is "every household").
SET_PHRASES = (
    "千家万户", "万家灯火", "百家争鸣", "千方百计", "千军万马", "万人空巷", "成千上万", "成百上千", "数以万计",
    "数以千计", "数以百计", "九牛一毛", "一举两得", "三令五申", "四面八方", "五湖四海", "七上八下", "十全十美",
    "万无一失", "一五一十", "千差万别", "千变万化", "千姿百态", "百花齐放", "三番五次", "三心二意", "五花八门",
    "接二连三", "三三两两", "独一无二", "一石二鸟", "两全其美", "万众一心", "百尺竿头", "千里之行", "三五成群",
    "一带一路", "两个确立", "两个维护", "四个意识", "四个自信", "四个全面", "三个代表", "三大攻坚战", "第一书记",
    "双十一", "双11", "一二线", "三四线", "五四运动", "九九归一", "一传十", "十传百", "几十年如一日",
)

# Numerals inside these are names, slogans or set phrases, not quantities: (pattern, why, example).
NON_QUANTITIES = [
    (re.compile(r"\d+(?:\.\d+)?(?=[A-Za-z])|(?<=[A-Za-z])\d+(?:\.\d+)?"), "a numeral inside a name", "6G"),
    (re.compile(f"从(?:{ARABIC})到(?:{ARABIC})(?![\\d{CN_DIGITS}万亿.]|{UNIT_OR_COUNTER})"),
     "a unitless range used as a figure of speech", "从1到100"),
    (re.compile(f"{CN_NUMERAL}位一体"), "a set phrase", "六位一体"),
    (re.compile("十百千万"), "a programme name", "“十百千万”工程"),
    (re.compile("每[十百千万]+人"), "the denominator of a rate", "每万人"),
    (re.compile("[省市县区乡镇村]{2,4}[一二两三四五]级"), "administrative levels", "市县两级"),
    (re.compile("第[一二三]产业|[一二三]产(?=[融联])|[一二三四]线城市"), "a name of a sector or a tier", "第一产业"),
    (re.compile(alternation(SET_PHRASES)), "an idiom or slogan", "千家万户"),
]


@lru_cache(maxsize=1 << 14)
def non_quantity_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Where ``text`` holds numerals that are no quantity (6G, 从1到100), with the reason; cached,
    since the book, the audit and the grammar itself scan the same sentences again and again."""
    return tuple(sorted((m.start(), m.end(), why)
                        for pattern, why, _ in NON_QUANTITIES for m in pattern.finditer(text)))


# Rules applied inside the general pattern (see quantities.py), listed for the methods chapter.
WORDS_NOT_QUANTITIES = [
    ("一 with a counter and nothing else is an indefinite article", "一批, 一家企业, 又一次, 一个个"),
    ("a Chinese numeral without a unit or counter is part of a word", "一方面, 万物, 一石惊起千层浪"),
    ("零 alone is part of a word", "零部件"),
    ("级 after a numeral other than a magnitude is a level, not an order of magnitude", "两级, 三级"),
]
