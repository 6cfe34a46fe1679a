"""Interval arithmetic: exact examples, error cases, and the containment property under hypothesis."""
from __future__ import annotations

import math
import operator
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimbook.interval import Interval, cagr, interval_max, interval_min, power, root

# --- strategies ---------------------------------------------------------------------------------

def _intervals(low: float, high: float):
    """Intervals inside [low, high] with a point somewhere between their bounds."""
    # "+ 0.0" turns -0.0 into 0.0, so that st.floats(lower, upper) below is never asked for [0.0, -0.0]
    number = st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False).map(lambda v: v + 0.0)
    return st.lists(number, min_size=3, max_size=3).map(sorted).map(lambda t: Interval(*t))


def _inside(interval: Interval):
    return st.floats(min_value=interval.lower, max_value=interval.upper, allow_nan=False)


@st.composite
def interval_and_member(draw, low=-1e6, high=1e6):
    interval = draw(_intervals(low, high))
    return interval, draw(_inside(interval))


@st.composite
def divisor_and_member(draw):
    """A divisor interval wholly on one side of zero."""
    interval = draw(_intervals(1e-3, 1e6))
    if draw(st.booleans()):
        interval = -interval
    return interval, draw(_inside(interval))


ARITHMETIC = [operator.add, operator.sub, operator.mul]


# --- construction -------------------------------------------------------------------------------

def test_bounds_must_enclose_the_point():
    with pytest.raises(ValueError, match="lower <= point <= upper"):
        Interval(2, 1, 3)
    with pytest.raises(ValueError, match="lower <= point <= upper"):
        Interval(1, 4, 3)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_the_point_must_be_finite(bad):
    with pytest.raises(ValueError, match="point must be finite"):
        Interval(-math.inf, bad, math.inf)


def test_no_bound_may_be_nan():
    with pytest.raises(ValueError, match="must be a number"):
        Interval(0, 0, math.nan)


def test_an_infinite_end_is_open_and_never_stated():
    open_above = Interval(1, 2, math.inf)
    assert open_above.upper == math.inf and not open_above.upper_stated and open_above.lower_stated
    assert not Interval(-math.inf, 0, 0, lower_stated=True).lower_stated


def test_non_numbers_are_rejected():
    with pytest.raises(TypeError):
        Interval("1", 1, 1)
    with pytest.raises(TypeError):
        Interval(True, 1, 1)


def test_values_are_stored_as_floats_and_the_interval_is_immutable():
    interval = Interval(1, 2, 3)
    assert (interval.lower, interval.point, interval.upper) == (1.0, 2.0, 3.0)
    assert all(type(v) is float for v in (interval.lower, interval.point, interval.upper))
    with pytest.raises(AttributeError):
        interval.point = 5


def test_exact():
    assert Interval.exact(4) == Interval(4, 4, 4)
    assert Interval.exact(4).is_exact and not Interval(3, 4, 5).is_exact


def _claim(value, lower=None, upper=None, qualifier=""):
    return SimpleNamespace(claim_id="c", value=value, lower=lower, upper=upper, qualifier=qualifier)


def test_from_claim_keeps_stated_bounds_and_opens_the_sides_the_words_leave_open():
    nearly = Interval.from_claim(_claim(5e8, lower=0, upper=5e8, qualifier="nearly"))
    assert (nearly.lower, nearly.point, nearly.upper) == (0, 5e8, 5e8)
    assert not nearly.lower_stated and nearly.upper_stated  # 0 is a physical limit, not the article's
    more = Interval.from_claim(_claim(1e10, lower=1e10, qualifier="more than"))
    assert (more.lower, more.upper, more.lower_stated, more.upper_stated) == (1e10, math.inf, True, False)
    assert Interval.from_claim(_claim(5600, 5600, 5700, "and more")) == Interval(5600, 5600, 5700)
    assert Interval.from_claim(_claim(7, 7, 7)) == Interval.exact(7)
    with pytest.raises(ValueError, match="no numeric value"):
        Interval.from_claim(_claim(None))


def test_pick():
    interval = Interval(1, 2, 3)
    assert [interval.pick(r) for r in ("lower", "point", "upper")] == [1, 2, 3]
    with pytest.raises(ValueError, match="reading must be one of"):
        interval.pick("middle")


# --- examples -----------------------------------------------------------------------------------

def test_arithmetic_examples():
    a, b = Interval(-2, 1, 3), Interval(-5, 2, 4)
    assert a + b == Interval(-7, 3, 7)
    assert a - b == Interval(-6, -1, 8)
    assert a * b == Interval(-15, 2, 12)
    assert -a == Interval(-3, -1, 2)
    assert a + 1 == 1 + a == Interval(-1, 2, 4)
    assert 10 - a == Interval(7, 9, 12)
    assert 2 * a == Interval(-4, 2, 6)
    assert Interval(1, 2, 4) / Interval(2, 4, 8) == Interval(0.125, 0.5, 2)
    assert 1 / Interval(2, 4, 8) == Interval(0.125, 0.25, 0.5)
    assert Interval(6, 6, 6) / Interval(-3, -2, -1) == Interval(-6, -3, -2)


def test_division_by_an_interval_containing_zero_inside_raises():
    with pytest.raises(ZeroDivisionError, match=r"contains zero: \[-1.0, 2.0\]"):
        Interval.exact(1) / Interval(-1, 1, 2)
    with pytest.raises(ZeroDivisionError):
        5 / Interval.exact(0)
    with pytest.raises(ZeroDivisionError, match="contains zero"):
        Interval.exact(1) / Interval(0, 0, 2)  # the point reading itself divides by zero


# --- open ends ----------------------------------------------------------------------------------

def test_division_by_an_interval_with_zero_as_one_end_is_one_sided():
    assert Interval.exact(1) / Interval(0, 1, 2) == Interval(0.5, 1, math.inf, True, False)
    assert Interval.exact(1) / Interval(-2, -1, 0) == Interval(-math.inf, -1, -0.5, False, True)
    assert Interval(0, 1, 5) / Interval(0, 1, 2) == Interval(0, 1, math.inf)  # 0 / anything is 0
    both = Interval(-1, 1, 1) / Interval(0, 1, 2)
    assert (both.lower, both.upper) == (-math.inf, math.inf)


def test_infinity_minus_infinity_cannot_arise():
    floor, ceiling = Interval(1, 2, math.inf), Interval(-math.inf, 3, 4)
    assert floor - floor == Interval(-math.inf, 0, math.inf)
    assert floor + floor == Interval(2, 4, math.inf)
    assert ceiling - floor == Interval(-math.inf, 1, 3)
    assert floor - ceiling == Interval(-3, -1, math.inf)


def test_zero_times_infinity_is_zero():
    assert Interval(0, 1, 2) * Interval(3, 4, math.inf) == Interval(0, 4, math.inf)
    assert Interval(-1, 0, 0) * Interval(3, 4, math.inf) == Interval(-math.inf, 0, 0)


def test_a_floor_times_a_count_is_a_floor_and_one_less_a_floor_is_a_ceiling():
    threshold = Interval(1e10, 1e10, math.inf)
    assert 16 * threshold == Interval(1.6e11, 1.6e11, math.inf, True, False)
    share = Interval(0.8, 0.8, 1, True, False)  # 80%以上: a stated floor, the whole as a physical limit
    rest = 1 - share
    assert (rest.lower, rest.upper) == pytest.approx((0, 0.2))
    assert not rest.lower_stated and rest.upper_stated


def test_an_end_is_stated_when_a_stated_corner_reaches_it():
    total = Interval(0, 5.6e9, 5.6e9, False, True)  # 近56亿元
    leverage = total / 4.5e8
    assert (leverage.lower_stated, leverage.upper_stated) == (False, True)
    share = 4.5e8 / total
    assert (share.lower_stated, share.upper_stated) == (True, False) and share.upper == math.inf
    assert interval_min(Interval(1, 2, 3), Interval(1, 2, 5, False, False)).lower_stated


@st.composite
def open_interval_and_member(draw):
    """An interval open on one side (infinite, or a limit marked as not stated), with a finite member."""
    interval, member = draw(interval_and_member(-1e6, 1e6))
    side = draw(st.sampled_from(["lower", "upper", "none"]))
    if side == "lower":
        interval = Interval(-math.inf, interval.point, interval.upper)
        member = draw(st.floats(min_value=-1e9, max_value=interval.upper, allow_nan=False))
    elif side == "upper":
        interval = Interval(interval.lower, interval.point, math.inf)
        member = draw(st.floats(min_value=interval.lower, max_value=1e9, allow_nan=False))
    return interval, member


@settings(max_examples=300, deadline=None)
@given(open_interval_and_member(), open_interval_and_member(), st.sampled_from(ARITHMETIC))
def test_arithmetic_with_open_ends_contains_every_pointwise_result(left, right, op):
    (a, x), (b, y) = left, right
    assert op(a, b).contains(op(x, y))


def _close(a: Interval, b: Interval) -> bool:
    """Equal up to the one-ulp outward widening of power-based bounds."""
    return all(getattr(a, r) == pytest.approx(getattr(b, r), rel=1e-15, abs=0) for r in ("lower", "point", "upper"))


def test_powers():
    assert _close(Interval(-2, 1, 3) ** 2, Interval(0, 1, 9))
    assert (Interval(-2, 1, 3) ** 2).lower == 0  # widening never makes a square negative
    assert (Interval(0, 1, 3) ** 0.5).lower == 0
    assert _close(Interval(-3, -2, -1) ** 2, Interval(1, 4, 9))
    assert _close(Interval(-2, 1, 3) ** 3, Interval(-8, 1, 27))
    assert _close(Interval(2, 4, 8) ** -1, Interval(0.125, 0.25, 0.5))
    assert Interval(-2, 1, 3) ** 0 == Interval.exact(1)
    assert Interval.exact(9) ** 0.5 == Interval.exact(3)  # a single point is not widened
    with pytest.raises(ValueError, match="not negative"):
        Interval(-1, 1, 4) ** 0.5
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Interval(-1, 1, 4) ** -2
    with pytest.raises(TypeError, match="constant exponent"):
        Interval.exact(2) ** Interval(1, 2, 3)


def test_root_and_cagr_examples():
    assert root(Interval.exact(27), 3).point == pytest.approx(3)
    assert root(16, 4).point == pytest.approx(2)
    # 增加15倍 read as x16 over 10 years
    assert cagr(16, 10).point == pytest.approx(16 ** 0.1 - 1)
    assert cagr(Interval.exact(2), Interval.exact(1)) == Interval.exact(1)
    rate = cagr(Interval(15, 15.5, 16), Interval.exact(10))
    assert rate.lower == pytest.approx(15 ** 0.1 - 1) and rate.upper == pytest.approx(16 ** 0.1 - 1)
    # more years → slower growth for the same ratio
    slower = cagr(Interval.exact(16), Interval(9, 10, 11))
    assert slower.lower == pytest.approx(16 ** (1 / 11) - 1) and slower.upper == pytest.approx(16 ** (1 / 9) - 1)
    # a shrinking ratio declines more slowly over more years
    shrink = cagr(Interval.exact(0.5), Interval(1, 2, 4))
    assert shrink.lower == pytest.approx(-0.5) and shrink.upper == pytest.approx(0.5 ** 0.25 - 1)
    with pytest.raises(ValueError, match="years must be positive"):
        cagr(2, Interval(0, 1, 2))
    with pytest.raises(ValueError, match="cannot be negative"):
        cagr(Interval(-1, 1, 2), 3)
    with pytest.raises(ValueError, match="degree must be positive"):
        root(4, 0)
    with pytest.raises(ValueError, match="negative"):
        root(Interval(-1, 0, 1), 2)


def test_comparison_helpers():
    a = Interval(1, 2, 3)
    assert a.contains(2) and a.contains(Interval(1.5, 2, 3)) and not a.contains(Interval(0, 2, 3))
    assert a.overlaps(Interval(3, 4, 5)) and not a.overlaps(Interval(3.5, 4, 5))
    assert a.certainly_less(Interval(3.5, 4, 5)) and not a.certainly_less(Interval(3, 4, 5))
    assert Interval(4, 5, 6).certainly_greater(a) and not a.certainly_greater(a)
    assert a.width == 2


def test_min_and_max():
    a, b = Interval(1, 5, 9), Interval(2, 3, 4)
    assert interval_min(a, b) == Interval(1, 3, 4)
    assert interval_max(a, b) == Interval(2, 5, 9)
    with pytest.raises(ValueError):
        interval_min()


# --- the containment property ---------------------------------------------------------------------

@pytest.mark.parametrize("op", ARITHMETIC, ids=lambda f: f.__name__)
@given(left=interval_and_member(), right=interval_and_member())
def test_arithmetic_contains_every_pointwise_result(op, left, right):
    (a, x), (b, y) = left, right
    result = op(a, b)
    assert result.contains(op(x, y))
    assert result.point == op(a.point, b.point)


@given(left=interval_and_member(), right=divisor_and_member())
def test_division_contains_every_pointwise_result(left, right):
    (a, x), (b, y) = left, right
    result = a / b
    assert result.contains(x / y)
    assert result.point == a.point / b.point


@given(item=interval_and_member())
def test_negation_contains_every_pointwise_result(item):
    a, x = item
    assert (-a).contains(-x)


@given(item=interval_and_member(-100, 100), exponent=st.integers(min_value=0, max_value=5))
def test_integer_powers_contain_every_pointwise_result(item, exponent):
    a, x = item
    assert (a ** exponent).contains(x ** exponent)


@given(item=interval_and_member(1e-3, 1e3), exponent=st.floats(min_value=-3, max_value=3, allow_nan=False))
def test_real_powers_of_positive_intervals_contain_every_pointwise_result(item, exponent):
    a, x = item
    result = a ** exponent
    assert result.contains(x ** exponent)
    assert result.point == a.point ** exponent or exponent == 0


@given(base=interval_and_member(1e-3, 1e3), exponent=interval_and_member(-3, 3))
def test_interval_powers_contain_every_pointwise_result(base, exponent):
    (a, x), (e, f) = base, exponent
    assert power(a, e).contains(x ** f)


@given(item=interval_and_member(0, 1e6), degree=interval_and_member(1, 10))
def test_root_contains_every_pointwise_result(item, degree):
    (a, x), (n, m) = item, degree
    assert root(a, n).contains(x ** (1 / m))


@given(ratio=interval_and_member(1e-3, 1e3), years=interval_and_member(0.5, 50))
def test_cagr_contains_every_pointwise_result(ratio, years):
    (r, x), (t, y) = ratio, years
    result = cagr(r, t)
    assert result.contains(x ** (1 / y) - 1)
    assert result.point == r.point ** (1 / t.point) - 1


@given(
    ratio=st.floats(min_value=1.001, max_value=1e3),
    bigger=st.floats(min_value=1.001, max_value=10),
    years=st.floats(min_value=1, max_value=50),
    more=st.floats(min_value=1.001, max_value=10),
)
@settings(max_examples=200)
def test_cagr_is_increasing_in_ratio_and_decreasing_in_years(ratio, bigger, years, more):
    base = cagr(ratio, years).point
    assert cagr(ratio * bigger, years).point >= base
    assert cagr(ratio, years * more).point <= base


@given(left=interval_and_member(), right=interval_and_member())
def test_min_max_contain_every_pointwise_result(left, right):
    (a, x), (b, y) = left, right
    assert interval_min(a, b).contains(min(x, y))
    assert interval_max(a, b).contains(max(x, y))


@given(item=interval_and_member())
def test_pick_returns_a_value_inside(item):
    a, _ = item
    assert a.lower == a.pick("lower") <= a.pick("point") <= a.pick("upper") == a.upper
