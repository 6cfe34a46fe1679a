"""What each qualifier states, and what the method assumes where it states nothing: the one place
where these rules are written.

A stated number keeps its ``value``. Its qualifier sets two different things, kept apart:

* the **stated bounds** (:func:`bounds`, columns ``lower``/``upper``): only what the words say, plus
  the physical limits that are facts (:func:`physical_limits`). ``None`` is an open end.
* the **assumed bounds** (:func:`assumed_bounds`, columns ``assumed_lower``/``assumed_upper``): the
  method's conventional margin on each side the words leave open. They are assumptions, used only
  by the sensitivity analysis and by sentences that say they assume.

==========================  ============  ===========================  =============================
Chinese                     qualifier     stated bounds for X          assumed where the words are open
==========================  ============  ===========================  =============================
(none)                      ``""``        [X, X]                       nothing
近 将近 接近                nearly        at most X                    at least X·(1−MARGIN)
不到 不足 以下 低于         less than     at most X                    at least X·(1−MARGIN)
超 超过 逾 以上 多于        more than     at least X                   at most X·(1+MARGIN)
多 余 (after the numeral)   and more      [X, X + step)                nothing
约 大约 左右                about         none                         X·(1±ABOUT)
N级 (万亿级) 几十 数百      scale         [X, 10·X): the order named   nothing
前N强 / 前N名               top           [X, X]: the group's size     nothing
N年内 / N年来 / 近N年 / N年前  within, since, ago  [X, X]: the span  nothing
A至B, 八九十 (no value)     range         [A, B]                       nothing
从A到B                      from          [B, B]: where it ended       nothing
==========================  ============  ===========================  =============================

``step`` is one unit of X's last significant digit (20多 → [20, 30)). Physical limits close an open
side where a fact closes it: every quantity the grammar reads is a magnitude written without a sign,
so it is at least 0 (except a change in percentage points, which may fall); a percentage of at most
100% qualified by 超/以上 is read as a share of a whole, so it is at most 1.
"""
from __future__ import annotations

from decimal import Decimal

MARGIN = Decimal("0.1")
ABOUT = Decimal("0.05")
SCALE_STEP = Decimal(10)  # 万亿级, 数十: up to the next order of magnitude, the book's reading of 级 and 数
# The margins the sensitivity analysis tries (chapters/manifest.yml runs one scenario per margin).
SENSITIVITY_MARGINS = (Decimal("0.05"), MARGIN, Decimal("0.2"))

QUALIFIER_WORDS = {
    "近": "nearly", "将近": "nearly", "接近": "nearly",
    "不到": "less than", "不足": "less than", "以下": "less than", "低于": "less than",
    "超": "more than", "超过": "more than", "逾": "more than", "以上": "more than", "多于": "more than",
    "多": "and more", "余": "and more",
    "约": "about", "大约": "about", "左右": "about",
    "内": "within", "来": "since", "以来": "since", "前": "ago",
}
QUALIFIERS = ("", "nearly", "less than", "more than", "and more", "about", "scale", "top", "within", "since", "ago",
              "range", "from")
# Which sides a qualifier states: (lower, upper). A side it leaves open holds a physical limit or nothing.
STATED_SIDES = {
    "nearly": (False, True), "less than": (False, True), "more than": (True, False), "about": (False, False),
}
# Kinds of quantity that may be negative: a change in percentage points can fall.
SIGNED_KINDS = ("percentage_points", "number")
SHARE_KINDS = ("percent", "tenths", "fraction")


def stated_sides(qualifier: str) -> tuple[bool, bool]:
    """(lower stated, upper stated) under ``qualifier``; both for an exact or a 多/余 number."""
    return STATED_SIDES.get(qualifier, (True, True))


def is_share(value: Decimal, kind: str) -> bool:
    """A percentage or 成 of at most the whole is read as a share of a whole."""
    return kind in SHARE_KINDS and value <= 1


def physical_limits(value: Decimal, kind: str = "", share: bool = False) -> tuple[Decimal | None, Decimal | None]:
    """The bounds that facts give every quantity of ``kind``: magnitudes are not negative, shares not
    above the whole (``share`` marks a share when ``kind`` does not). ``None`` where no fact limits
    the side."""
    lower = None if kind in SIGNED_KINDS else Decimal(0)
    upper = Decimal(1) if (share and value <= 1) or is_share(value, kind) else None
    return lower, upper


def bounds(value: Decimal, qualifier: str, step: Decimal | None = None, share: bool = False,
           kind: str = "") -> tuple[Decimal | None, Decimal | None]:
    """Lower and upper bound that the words state for ``value`` (see the table above); an open side
    holds the physical limit of ``kind`` (see :func:`physical_limits`), or ``None``."""
    if qualifier == "and more":
        if step is None:
            raise ValueError("'and more' (多/余) needs the step of the last significant digit")
        return value, value + step
    if qualifier == "scale":
        return value, value * SCALE_STEP
    lower_stated, upper_stated = stated_sides(qualifier)
    floor, ceiling = physical_limits(value, kind, share)
    return (value if lower_stated else floor), (value if upper_stated else ceiling)


def assumed_bounds(value: Decimal, qualifier: str, kind: str = "", margin: Decimal = MARGIN,
                   about: Decimal = ABOUT, share: bool = False) -> tuple[Decimal | None, Decimal | None]:
    """The method's assumption on each side that ``qualifier`` leaves open; ``None`` on a side the
    words state (there the stated bound holds) or where the method assumes nothing."""
    lower_stated, upper_stated = stated_sides(qualifier)
    width = about if qualifier == "about" else margin
    lower = None if lower_stated else value * (1 - width)
    if upper_stated:
        upper = None
    else:
        upper = value * (1 + width)
        ceiling = physical_limits(value, kind, share)[1]
        if ceiling is not None:
            upper = min(upper, ceiling)
    return lower, upper


def last_digit_step(numeral: Decimal) -> Decimal:
    """One unit of the last significant digit as written: 20 → 10, 5600 → 100, 1.9 → 0.1, 7 → 1."""
    sign, digits, exponent = numeral.normalize().as_tuple()
    return Decimal(1).scaleb(exponent)


def method_constants() -> dict[str, tuple[Decimal, str, str]]:
    """The named constants prose may show (the {constant} role): name → (value, unit, meaning)."""
    narrow, _, wide = SENSITIVITY_MARGINS
    return {
        "MARGIN": (MARGIN, "fraction", "The margin the method assumes on the open side of 近 (nearly), "
                                       "不到 (less than) and 超 (more than), as a share of the stated value. "
                                       "An assumption, not a statement of the article."),
        "ABOUT": (ABOUT, "fraction", "The margin the method assumes either side of a number qualified by 约 "
                                     "or 左右 (about). An assumption, not a statement of the article."),
        "MARGIN_NARROW": (narrow, "fraction", "The narrowest margin the sensitivity analysis assumes."),
        "MARGIN_WIDE": (wide, "fraction", "The widest margin the sensitivity analysis assumes."),
        # a plain number, so that prose reads "up to 10 times it"
        "SCALE_STEP": (SCALE_STEP, "count", "The book's reading of a scale word (级, 几十, 数百): from the value "
                                            "it names up to this many times that value."),
    }
