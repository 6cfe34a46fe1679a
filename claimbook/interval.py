"""Interval arithmetic for derived figures: every number carries the range its qualifier allows.

An :class:`Interval` holds ``lower <= point <= upper``. ``point`` follows the stated numbers
(the value a reader would compute by hand); ``lower`` and ``upper`` are the extremes the inputs'
bounds allow. Bounds are computed from the endpoints of the operands (for products and
quotients, the min and max over all endpoint combinations), so the true result for any choice
of inputs inside their intervals lies inside the result.

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


@dataclass(frozen=True)
class Interval:
    lower: float
    point: float
    upper: float

    def __post_init__(self):
        for name in READINGS:
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, Real):
                raise TypeError(f"Interval {name} must be a real number, got {number!r}")
            number = float(number)
            if not math.isfinite(number):
                raise ValueError(f"Interval {name} must be finite, got {number!r}")
            object.__setattr__(self, name, number)
        if not self.lower <= self.point <= self.upper:
            got = f"{self.lower!r}, {self.point!r}, {self.upper!r}"
            raise ValueError(f"Interval needs lower <= point <= upper, got {got}")

    # --- constructors -----------------------------------------------------------------------

    @classmethod
    def exact(cls, x: float) -> "Interval":
        return cls(x, x, x)

    @classmethod
    def from_claim(cls, claim) -> "Interval":
        """The claim's stated value with its qualifier's bounds; a missing bound is the value itself."""
        if claim.value is None:
            raise ValueError(f"claim '{claim.claim_id}' has no numeric value")
        lower = claim.value if claim.lower is None else claim.lower
        upper = claim.value if claim.upper is None else claim.upper
        return cls(lower, claim.value, upper)

    @classmethod
    def hull(cls, point: float, *candidates: float) -> "Interval":
        """The smallest interval holding every candidate bound, with ``point`` kept inside."""
        return cls(min(point, *candidates), point, max(point, *candidates))

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

    def contains(self, x: "float | Interval") -> bool:
        other = as_interval(x)
        return self.lower <= other.lower and other.upper <= self.upper

    def overlaps(self, other: "float | Interval") -> bool:
        other = as_interval(other)
        return self.lower <= other.upper and other.lower <= self.upper

    def certainly_less(self, other: "float | Interval") -> bool:
        """True when every value in this interval is below every value in the other."""
        return self.upper < as_interval(other).lower

    def certainly_greater(self, other: "float | Interval") -> bool:
        return self.lower > as_interval(other).upper

    def contains_zero(self) -> bool:
        return self.lower <= 0 <= self.upper

    # --- arithmetic -------------------------------------------------------------------------

    def __neg__(self) -> "Interval":
        return Interval(-self.upper, -self.point, -self.lower)

    def __pos__(self) -> "Interval":
        return self

    def __add__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        return Interval(self.lower + other.lower, self.point + other.point, self.upper + other.upper)

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        return Interval(self.lower - other.upper, self.point - other.point, self.upper - other.lower)

    def __rsub__(self, other):
        other = _coerce(other)
        return other if other is NotImplemented else other - self

    def __mul__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        corners = [a * b for a in (self.lower, self.upper) for b in (other.lower, other.upper)]
        return Interval(min(corners), self.point * other.point, max(corners))

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        other = _coerce(other)
        if other is NotImplemented:
            return other
        if other.contains_zero():
            raise ZeroDivisionError(
                f"division by an interval that contains zero: [{other.lower!r}, {other.upper!r}]"
            )
        corners = [a / b for a in (self.lower, self.upper) for b in (other.lower, other.upper)]
        return Interval(min(corners), self.point / other.point, max(corners))

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


def _coerce(x):
    if isinstance(x, Interval):
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        return Interval.exact(x)
    return NotImplemented


def as_interval(x: "float | Interval") -> Interval:
    coerced = _coerce(x)
    if coerced is NotImplemented:
        raise TypeError(f"expected a number or an Interval, got {x!r}")
    return coerced


def pick(interval: Interval, reading: str) -> float:
    """The lower bound, the point or the upper bound of ``interval``."""
    return interval.pick(reading)


def _widen(interval: Interval, *inputs: Interval, floor: float = -math.inf) -> Interval:
    """Move the bounds one ulp outward unless every input was a single point (see module doc).

    ``floor`` is a bound the true result cannot cross (0 for a power that cannot be negative),
    so widening never invents a sign the mathematics rules out.
    """
    if all(i.is_exact for i in inputs):
        return interval
    lower = max(math.nextafter(interval.lower, -math.inf), min(floor, interval.lower))
    return Interval(lower, interval.point, math.nextafter(interval.upper, math.inf))


def _pow_scalar(base: float, exponent: float) -> float:
    if base == 0 and exponent < 0:
        raise ZeroDivisionError("zero raised to a negative power")
    result = base ** exponent
    if isinstance(result, complex):
        raise ValueError(f"{base!r} ** {exponent!r} is not a real number")
    return float(result)


def power(base: "float | Interval", exponent: "float | Interval") -> Interval:
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
    candidates = [_pow_scalar(b, e) for b in (base.lower, base.upper) for e in (exponent.lower, exponent.upper)]
    if base.lower < 0 < base.upper:
        candidates.append(0.0)  # the turning point of an even power (harmless for odd powers)
    point = _pow_scalar(base.point, exponent.point)
    even = integral and exponent.point % 2 == 0
    floor = 0.0 if base.lower >= 0 or even else -math.inf
    return _widen(Interval.hull(point, *candidates), base, exponent, floor=floor)


def root(x: "float | Interval", n: "float | Interval") -> Interval:
    """The n-th root of x (x >= 0, n > 0); increasing in x."""
    x, n = as_interval(x), as_interval(n)
    if n.lower <= 0:
        raise ValueError(f"root degree must be positive, got [{n.lower!r}, {n.upper!r}]")
    if x.lower < 0:
        raise ValueError(f"root of a negative number: [{x.lower!r}, {x.upper!r}]")
    return power(x, Interval.exact(1.0) / n)


def cagr(ratio: "float | Interval", years: "float | Interval") -> Interval:
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


def interval_min(*values: "float | Interval") -> Interval:
    """Element-wise minimum; min is increasing in each argument, so bounds go to bounds."""
    intervals = [as_interval(v) for v in values]
    if not intervals:
        raise ValueError("min() needs at least one value")
    return Interval(min(i.lower for i in intervals), min(i.point for i in intervals), min(i.upper for i in intervals))


def interval_max(*values: "float | Interval") -> Interval:
    intervals = [as_interval(v) for v in values]
    if not intervals:
        raise ValueError("max() needs at least one value")
    return Interval(max(i.lower for i in intervals), max(i.point for i in intervals), max(i.upper for i in intervals))
