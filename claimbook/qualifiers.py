"""The bound that each qualifier implies: the one place where these rules are written.

A stated number keeps its ``value``; the qualifier sets ``lower`` and ``upper``.

=========================  ============  =====================================================
Chinese                    qualifier     bounds for a stated X
=========================  ============  =====================================================
(none)                     ``""``        [X, X]
近 将近 接近               nearly        [X·(1−MARGIN), X]
不到 不足 以下 低于        less than     [X·(1−MARGIN), X]
超 超过 逾 以上 多于       more than     [X, X·(1+MARGIN)], shares (fractions ≤ 1) capped at 1
多 余 (after the numeral)  and more      [X, X + step), step = one unit of X's last significant digit
约 大约 左右               about         [X·(1−ABOUT), X·(1+ABOUT)]
N级 (万亿级)               scale         [X, 10·X): the order of magnitude
前N强 / 前N名              top           [X, X]: the size of the top group
N年内 / N年来 / N年前      within / since / ago   [X, X]: the duration as stated
=========================  ============  =====================================================

近, 超 and 不到 have no fixed width in Chinese usage; MARGIN is our documented choice, and the
sensitivity chapter shows how every derived figure moves between the bounds it implies.
"""
from __future__ import annotations

from decimal import Decimal

MARGIN = Decimal("0.1")
ABOUT = Decimal("0.05")

QUALIFIER_WORDS = {
    "近": "nearly", "将近": "nearly", "接近": "nearly",
    "不到": "less than", "不足": "less than", "以下": "less than", "低于": "less than",
    "超": "more than", "超过": "more than", "逾": "more than", "以上": "more than", "多于": "more than",
    "多": "and more", "余": "and more",
    "约": "about", "大约": "about", "左右": "about",
    "内": "within", "来": "since", "以来": "since", "前": "ago",
}
QUALIFIERS = ("", "nearly", "less than", "more than", "and more", "about", "scale", "top", "within", "since", "ago")


def bounds(value: Decimal, qualifier: str, step: Decimal | None = None, share: bool = False) -> tuple[Decimal, Decimal]:
    """Lower and upper bound of a stated value under its qualifier (see the table above)."""
    if qualifier in ("nearly", "less than"):
        return value * (1 - MARGIN), value
    if qualifier == "more than":
        upper = value * (1 + MARGIN)
        return value, min(upper, Decimal(1)) if share and value <= 1 else upper
    if qualifier == "and more":
        if step is None:
            raise ValueError("'and more' (多/余) needs the step of the last significant digit")
        return value, value + step
    if qualifier == "about":
        return value * (1 - ABOUT), value * (1 + ABOUT)
    if qualifier == "scale":
        return value, value * 10
    return value, value


def last_digit_step(numeral: Decimal) -> Decimal:
    """One unit of the last significant digit as written: 20 → 10, 5600 → 100, 1.9 → 0.1, 7 → 1."""
    sign, digits, exponent = numeral.normalize().as_tuple()
    return Decimal(1).scaleb(exponent)
