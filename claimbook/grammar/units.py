"""Units, counters, magnitudes and the words around a numeral that the passes share.

A unit maps to (kind, base unit, factor to the base unit); a counter (家, 个, 项…) makes a count.
Alternations are written longest first, so 个百分点 wins over 个 and 千瓦时 over 千瓦.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..qualifiers import QUALIFIER_WORDS

MAGNITUDES = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8,
              "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4}

UNITS: dict[str, tuple[str, str, Decimal]] = {
    "个百分点": ("percentage_points", "fraction", Decimal("0.01")),
    "百分点": ("percentage_points", "fraction", Decimal("0.01")),
    "%": ("percent", "fraction", Decimal("0.01")), "％": ("percent", "fraction", Decimal("0.01")),
    "美元": ("money", "usd", Decimal(1)), "元": ("money", "yuan", Decimal(1)),
    "成": ("tenths", "fraction", Decimal("0.1")),
    "倍": ("multiplier", "multiplier", Decimal(1)),
    "级": ("scale", "yuan", Decimal(1)),
    "强": ("rank", "rank", Decimal(1)),
    "个多月": ("duration", "month", Decimal(1)), "个半月": ("duration", "month", Decimal(1)),
    "个月": ("duration", "month", Decimal(1)), "周年": ("duration", "year", Decimal(1)),
    "年": ("duration", "year", Decimal(1)), "周": ("duration", "week", Decimal(1)),
    "天": ("duration", "day", Decimal(1)), "小时": ("duration", "hour", Decimal(1)),
    "岁": ("age", "year", Decimal(1)),
    "平方公里": ("measure", "km2", Decimal(1)), "平方米": ("measure", "m2", Decimal(1)),
    "公顷": ("measure", "hectare", Decimal(1)), "亩": ("measure", "mu", Decimal(1)),
    "千瓦时": ("measure", "kWh", Decimal(1)), "千瓦": ("measure", "kW", Decimal(1)),
    "兆瓦": ("measure", "MW", Decimal(1)), "吉瓦": ("measure", "GW", Decimal(1)),
    "公里": ("measure", "km", Decimal(1)), "千米": ("measure", "km", Decimal(1)),
    "吨": ("measure", "tonne", Decimal(1)), "标箱": ("measure", "TEU", Decimal(1)),
}
COUNTERS = ("人次", "家", "个", "项", "条", "件", "批", "次", "位", "名", "人", "户", "座", "所", "台", "辆",
            "种", "类", "款", "部", "架", "艘", "套", "处", "场", "届", "期", "轮", "篇", "份", "张",
            "大", "只", "颗", "枚", "支")
RANK_COUNTERS = ("位", "名")

# Where each word of qualifiers.QUALIFIER_WORDS stands. After the number: the words that bound it
# (20家以上) and those that qualify a span of time (四年内, 五年来, 10年前). Inside the numeral: 多 and
# 余 (20多家, read by the general pattern's own groups). Before the number: every other word (近20家).
BOUNDING_POST_QUALIFIERS = ("以上", "以下", "左右")
SPAN_QUALIFIERS = ("within", "since", "ago")
POST_QUALIFIERS = BOUNDING_POST_QUALIFIERS + tuple(w for w, q in QUALIFIER_WORDS.items() if q in SPAN_QUALIFIERS)
PRE_QUALIFIERS = tuple(w for w, q in QUALIFIER_WORDS.items() if w not in POST_QUALIFIERS and q != "and more")
INCREASE_VERBS = ("增加", "增长", "提升", "提高", "扩大", "增至")


def alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


UNIT_OR_COUNTER = alternation(list(UNITS) + list(COUNTERS))
MAGNITUDE = alternation(MAGNITUDES)


def kind_and_unit(unit_text: str, ordinal: str | None = None) -> tuple[str, str, Decimal]:
    """(kind, base unit, factor) of what follows a numeral; 第 makes a rank or an ordinal."""
    if ordinal == "第":
        if not unit_text or unit_text in RANK_COUNTERS:
            return "rank", "rank", Decimal(1)
        return "ordinal", "ordinal", Decimal(1)
    if ordinal == "前" and unit_text in ("强", "名", "位"):
        return "rank", "rank", Decimal(1)
    if unit_text in UNITS:
        return UNITS[unit_text]
    if unit_text in COUNTERS:
        return "count", "count", Decimal(1)
    return "number", "", Decimal(1)
