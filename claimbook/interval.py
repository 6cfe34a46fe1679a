"""Interval arithmetic for derived figures: every number carries the range its words state.

An :class:`Interval` holds ``lower <= point <= upper``. ``point`` follows the stated numbers (the
value a reader would compute by hand); ``lower`` and ``upper`` are the extremes the inputs' bounds
allow, computed from the endpoints of the operands (for products and quotients, the min and max over
all endpoint combinations), so the true result for any choice of inputs inside their intervals lies
inside the result.

**Open ends.** A side the article leaves open is infinite, or holds a physical limit (0 for an
amount, 1 for a share). Each end carries a flag, ``lower_stated``/``upper_stated``: True when the
bound follows from bounds the article states, False when it rests on an open side (an infinite end
is never stated). The flags travel with the arithmetic: an end is stated when the endpoint
combination that gives it uses stated ends only. The rules for infinite ends are those of
extended interval arithmetic:

* ``∞ − ∞`` cannot arise: a finite point keeps ``lower < +∞`` and ``upper > −∞``, so a sum adds ends
  of one sign and a difference subtracts ends of opposite signs.
* ``0 × ∞ = 0``: an end that is exactly zero is reached, and zero times any finite value is zero.
* Division by an interval with zero as one end gives a one-sided result (``1 / [0, 2] = [0.5, +∞)``);
  division by an interval with zero strictly inside it, or whose point is zero, raises
  ``ZeroDivisionError``, since the quotient would be two disjoint rays.

Basic operations (+, -, *, /) are correctly rounded in IEEE arithmetic and so monotone: bounds
from endpoints already contain every float result from inner points. ``pow`` is only accurate to
about half an ulp, so power-based results are widened outward by one ulp when the input range is
not a single point.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

READINGS = ("lower", "point", "upper")
INF = math.inf


@dataclass(frozen=True)
class Interval:
    lower: float
    point: float
    upper: float
    lower_stated: bool = True
    upper_stated: bool = True

    def __post_init__(self):
        for name in READINGS:
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, Real):
                raise TypeError(f"Interval {name} must be a real number, got {number!r}")
            number = float(number)
            if math.isnan(number) or (name == "point" and not math.isfinite(number)):
                raise ValueError(f"Interval {name} must be {'finite' if name == 'point' else 'a number'}, "
                                 f"got {number!r}")
            object.__setattr__(self, name, number)
        if not self.lower <= self.point <= self.upper:
            got = f"{self.lower!r}, {self.point!r}, {self.upper!r}"
            raise ValueError(f"Interval needs lower <= point <= upper, got {got}")
        # An infinite end is an open side, never a stated bound.
        object.__setattr__(self, "lower_stated", bool(self.lower_stated) and math.isfinite(self.lower))
        object.__setattr__(self, "upper_stated", bool(self.upper_stated) and math.isfinite(self.upper))

    # --- constructors -----------------------------------------------------------------------

    @classmethod
    def exact(cls, x: float) -> Interval:
        return cls(x, x, x)

    @classmethod
    def from_claim(cls, claim) -> Interval:
        """The claim's stated value between its stated bounds: an empty bound is an open, infinite
        end; a side its qualifier leaves open (a physical limit there) is marked as not stated."""
        from .qualifiers import stated_sides

        if claim.value is None:
            raise ValueError(f"claim '{claim.claim_id}' has no numeric value")
        lower_stated, upper_stated = stated_sides(claim.qualifier)
        lower = -INF if claim.lower is None else claim.lower
        upper = INF if claim.upper is None else claim.upper
        return cls(lower, claim.value, upper, lower_stated, upper_stated)

    @classmethod
    def hull(cls, point: float, *candidates: float | tuple[float, bool]) -> Interval:
        """The smallest interval holding every candidate bound, with ``point`` kept inside. A
        candidate is a number (stated) or ``(number, stated)``."""
        ends = [c if isinstance(c, tuple) else (c, True) for c in candidates] + [(point, True)]
        return _from_ends(point, ends)

    # --- inspection -------------------------------------------------------------------------

    @property
    def is_exact(self) -> bool:
        return self.lower == self.upper

    @property
    def width(self) -> float:
        return self.upper - self.lower

    def pick(self, reading: str) -> float:
        """``"lower"``, ``"point"`` or ``"upper"``."""
        if reading not in READINGS:
            raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
        return getattr(self, reading)

    def contains(self, x: float | Interval) -> bool:
        other = as_interval(x)
        return self.lower <= other.lower and other.upper <= self.upper

    def overlaps(self, other: float | Interval) -> bool:
        other = as_interval(other)
        return self.lower <= other.upper and other.lower <= self.upper

    def certainly_less(self, other: float | Interval) -> bool:
        """True when every value in this interval is below every value in the other."""
        return self.upper < as_interval(other).lower

    def certainly_greater(self, other: float | Interval) -> bool:
        return self.lower > as_interval(other).upper

    def contains_zero(self) -> bool:
        return self.lower <= 0 <= self.upper

    # --- arithmetic -------------------------------------------------------------------------

    def __neg__(self) -> Interval:
        return Interval(-self.upper, -self.point, -self.lower, self.upper_stated, self.lower_stated)

    def __pos__(self) -> Interval:
        return self

    def __add__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        return Interval(self.lower + other.lower, self.point + other.point, self.upper + other.upper,
                        self.lower_stated and other.lower_stated, self.upper_stated and other.upper_stated)

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        return Interval(self.lower - other.upper, self.point - other.point, self.upper - other.lower,
                        self.lower_stated and other.upper_stated, self.upper_stated and other.lower_stated)

    def __rsub__(self, other):
        other = _coerce(other)
        return other if other is NotImplemented else other - self

    def __mul__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        corners = [(_times(a, b), sa and sb) for a, sa in self.ends for b, sb in other.ends]
        return _from_ends(self.point * other.point, corners)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        if other.point == 0 or other.lower < 0 < other.upper or other.lower == other.upper == 0:
            raise ZeroDivisionError(
                f"division by an interval that contains zero: [{other.lower!r}, {other.upper!r}]"
            )
        # Zero can only be an end of the divisor here: the quotient runs to infinity on that side.
        side = 1.0 if other.lower >= 0 else -1.0
        corners = [(_over(a, b, side), sa and sb) for a, sa in self.ends for b, sb in other.ends]
        return _from_ends(self.point / other.point, corners)

    def __rtruediv__(self, other):
        other = _coerce(other)
        return other if other is NotImplemented else other / self

    def __pow__(self, exponent):
        if isinstance(exponent, Interval):
            if not exponent.is_exact:
                raise TypeError("Interval ** needs a constant exponent; use power() for an interval exponent")
            exponent = exponent.point
        if isinstance(exponent, bool) or not isinstance(exponent, Real):
            return NotImplemented
        return power(self, Interval.exact(exponent))

    @property
    def ends(self) -> tuple[tuple[float, bool], tuple[float, bool]]:
        """((lower, stated), (upper, stated))."""
        return (self.lower, self.lower_stated), (self.upper, self.upper_stated)


def _times(a: float, b: float) -> float:
    """a × b with 0 × ∞ = 0: an end that is exactly zero is reached, and zero times anything finite is zero."""
    return 0.0 if a == 0 or b == 0 else a * b


def _over(a: float, b: float, side: float) -> float:
    """a / b where ``b`` may be the zero end of a divisor lying on ``side`` (+1: above zero, −1: below):
    a / 0 runs to ±∞ with the sign of a, and 0 / anything is 0."""
    if a == 0:
        return 0.0
    if b == 0:
        return math.copysign(INF, a * side)
    return a / b


def _from_ends(point: float, ends: list[tuple[float, bool]]) -> Interval:
    """The interval from its candidate ends ``(value, stated)``: an end is stated when any candidate
    that reaches it is. ∞/∞ corners (NaN) are never extremes when other corners exist, so they drop."""
    values = [(v, s) for v, s in ends if not math.isnan(v)]
    if not values:
        raise ValueError("the result is undefined at every end of its inputs")
    lower = min(v for v, _ in values)
    upper = max(v for v, _ in values)
    return Interval(min(lower, point), point, max(upper, point),
                    any(s for v, s in values if v == lower) if lower <= point else True,
                    any(s for v, s in values if v == upper) if upper >= point else True)


def _coerce(x):
    if isinstance(x, Interval):
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        return Interval.exact(x)
    return NotImplemented


def as_interval(x: float | Interval) -> Interval:
    coerced = _coerce(x)
    if coerced is NotImplemented:
        raise TypeError(f"expected a number or an Interval, got {x!r}")
    return coerced


def _widen(interval: Interval, *inputs: Interval, floor: float = -INF) -> Interval:
    """Move the bounds one ulp outward unless every input was a single point (see module doc).

    ``floor`` is a bound the true result cannot cross (0 for a power that cannot be negative),
    so widening never invents a sign the mathematics rules out.
    """
    if all(i.is_exact for i in inputs):
        return interval
    lower = max(math.nextafter(interval.lower, -INF), min(floor, interval.lower))
    return Interval(lower, interval.point, math.nextafter(interval.upper, INF),
                    interval.lower_stated, interval.upper_stated)


def _pow_scalar(base: float, exponent: float) -> float:
    if base == 0 and exponent < 0:
        raise ZeroDivisionError("zero raised to a negative power")
    if exponent == 0:
        return 1.0
    result = base ** exponent
    if isinstance(result, complex):
        raise ValueError(f"{base!r} ** {exponent!r} is not a real number")
    return float(result)


def power(base: float | Interval, exponent: float | Interval) -> Interval:
    """``base ** exponent`` over intervals.

    For a fixed exponent, x**e is monotone on each side of zero; for a positive base and a fixed
    x, it is monotone in e. So the extremes lie at the endpoints, plus x = 0 when an even or
    positive power of a range that crosses zero is taken. A non-integer exponent needs a base
    that is not negative; a negative exponent needs a base range that excludes zero.
    """
    base, exponent = as_interval(base), as_interval(exponent)
    if exponent.is_exact and exponent.point == 0:
        return Interval.exact(1.0)
    integral = exponent.is_exact and float(exponent.point).is_integer()
    if not integral and base.lower < 0:
        raise ValueError(
            f"a fractional or interval power needs a base that is not negative, got [{base.lower!r}, {base.upper!r}]"
        )
    if exponent.lower < 0 and base.contains_zero():
        raise ZeroDivisionError(
            f"a negative power of an interval that contains zero: [{base.lower!r}, {base.upper!r}]"
        )
    candidates = [(_pow_scalar(b, e), sb and se) for b, sb in base.ends for e, se in exponent.ends]
    if base.lower < 0 < base.upper:  # the turning point of an even power (harmless for odd powers)
        candidates.append((0.0, base.lower_stated and base.upper_stated))
    point = _pow_scalar(base.point, exponent.point)
    even = integral and exponent.point % 2 == 0
    floor = 0.0 if base.lower >= 0 or even else -INF
    return _widen(Interval.hull(point, *candidates), base, exponent, floor=floor)


def root(x: float | Interval, n: float | Interval) -> Interval:
    """The n-th root of x (x >= 0, n > 0); increasing in x."""
    x, n = as_interval(x), as_interval(n)
    if n.lower <= 0:
        raise ValueError(f"root degree must be positive, got [{n.lower!r}, {n.upper!r}]")
    if x.lower < 0:
        raise ValueError(f"root of a negative number: [{x.lower!r}, {x.upper!r}]")
    return power(x, Interval.exact(1.0) / n)


def cagr(ratio: float | Interval, years: float | Interval) -> Interval:
    """Compound annual growth rate ``ratio ** (1 / years) - 1`` for an end/start ratio.

    Increasing in the ratio; for a ratio above 1, decreasing in the number of years (for a
    shrinking ratio, the other way round). :func:`power` takes the extremes over all endpoint
    combinations, so both directions are handled.
    """
    ratio, years = as_interval(ratio), as_interval(years)
    if years.lower <= 0:
        raise ValueError(f"years must be positive, got [{years.lower!r}, {years.upper!r}]")
    if ratio.lower < 0:
        raise ValueError(f"a growth ratio cannot be negative, got [{ratio.lower!r}, {ratio.upper!r}]")
    return power(ratio, Interval.exact(1.0) / years) - 1


def _elementwise(values, choose) -> Interval:
    intervals = [as_interval(v) for v in values]
    if not intervals:
        raise ValueError(f"{choose.__name__}() needs at least one value")

    def end(pairs):
        best = choose(v for v, _ in pairs)
        return best, any(s for v, s in pairs if v == best)

    lower, lower_stated = end([i.ends[0] for i in intervals])
    upper, upper_stated = end([i.ends[1] for i in intervals])
    return Interval(lower, choose(i.point for i in intervals), upper, lower_stated, upper_stated)


def interval_min(*values: float | Interval) -> Interval:
    """Element-wise minimum; min is increasing in each argument, so bounds go to bounds."""
    return _elementwise(values, min)


def interval_max(*values: float | Interval) -> Interval:
    return _elementwise(values, max)
