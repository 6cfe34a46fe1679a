"""Evaluate derived figures at the corners of their inputs' box: a check the interval arithmetic
can fail, and the swing each input gives a figure.

A derived figure is a formula over claims (through other derived figures). Each claim it reaches
(a *leaf*) lies in a range, so the leaves span a box. The formula is evaluated with plain floats at
the corners of that box: at every corner when the figure has at most :data:`ALL_CORNERS_UP_TO`
leaves, at a seeded sample of corners beyond that. Interval arithmetic promises a range that holds
every value the formula takes in the box, so every corner value must lie inside the interval the
book computes (:func:`enclosure_failures`); a wrong rule of the arithmetic breaks that promise at
some corner. The *swing* of a leaf (:func:`swings`) is how far the figure moves when that leaf goes
from one end of its range to the other and every other leaf stays at its stated value: the input
that drives the figure's range.
"""
from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .derived import Algebra, Formula, evaluate_node, leaf_claims
from .interval import Interval
from .registry import Registry

ALL_CORNERS_UP_TO = 10  # leaves; 2**10 corners at most
SAMPLED_CORNERS = 1024  # corners drawn beyond that, with a fixed seed
SEED = 20260113
TOLERANCE = 1e-12  # relative: the float evaluation and the interval ends round alike


def _cagr(ratio: float, years: float) -> float:
    return ratio ** (1.0 / years) - 1


def _root(x: float, n: float) -> float:
    return x ** (1.0 / n)


FLOATS = Algebra(float, lambda base, exponent: base ** exponent,
                 {"cagr": _cagr, "root": _root, "min": min, "max": max})


@dataclass(frozen=True)
class Corner:
    """One evaluation outside its interval: the figure, the leaves' values and what came out."""
    derived_id: str
    at: dict[str, float]
    value: float
    interval: Interval

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {v!r}" for k, v in self.at.items())
        return (f"{self.derived_id} is {self.value!r} at ({where}), outside its interval "
                f"[{self.interval.lower!r}, {self.interval.upper!r}]")


class Figures:
    """The formulas of a registry, evaluated as floats for any values of their leaf claims."""

    def __init__(self, registry: Registry, formulas: list[Formula]):
        self.registry = registry
        self.by_id = {f.derived_id: f for f in formulas}

    def value(self, derived_id: str, at: dict[str, float]) -> float:
        """The figure as a float, its leaf claims at ``at``."""
        memo: dict[str, float] = {}

        def lookup(ref: str) -> float:
            if ref in self.by_id:
                if ref not in memo:
                    formula = self.by_id[ref]
                    memo[ref] = evaluate_node(formula.expression.body, dict(formula.names),
                                              self.registry, lookup, FLOATS)
                return memo[ref]
            return at[ref]

        return lookup(derived_id)


def corners(box: dict[str, Interval], seed: int = SEED) -> Iterator[dict[str, float]]:
    """Every corner of ``box`` (leaf → range), or a seeded sample of :data:`SAMPLED_CORNERS` corners
    when it has more than :data:`ALL_CORNERS_UP_TO` leaves. Exact leaves have one end, not two."""
    names = list(box)
    ends = [sorted({box[n].lower, box[n].upper}) for n in names]
    if len(names) <= ALL_CORNERS_UP_TO:
        for choice in itertools.product(*ends):
            yield dict(zip(names, choice, strict=True))
        return
    draw = random.Random(seed)
    for _ in range(SAMPLED_CORNERS):
        yield {n: draw.choice(e) for n, e in zip(names, ends, strict=True)}


def _inside(value: float, interval: Interval) -> bool:
    slack = TOLERANCE * max(1.0, abs(value))
    return interval.lower - slack <= value <= interval.upper + slack


def _leaf_box(figures: Figures, derived_id: str,
              claim_range: Callable[[object], Interval]) -> tuple[dict[str, Interval], dict[str, float]]:
    """The range of each leaf claim of a figure, and each leaf at its point."""
    box = {ref: claim_range(figures.registry.claims[ref]) for ref in leaf_claims(derived_id, figures.by_id)}
    return box, {ref: r.point for ref, r in box.items()}


def enclosure_failures(figures: Figures, intervals: dict[str, Interval],
                       claim_range: Callable[[object], Interval]) -> tuple[int, list[Corner]]:
    """(corner evaluations made, those outside their figure's interval, points included): the
    check of the interval arithmetic. ``claim_range`` gives each leaf claim's range."""
    checked, outside = 0, []
    for derived_id, interval in intervals.items():
        box, points = _leaf_box(figures, derived_id, claim_range)
        point = figures.value(derived_id, points)
        checked += 1
        if not math.isclose(point, interval.point, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
            outside.append(Corner(derived_id, points, point, Interval.exact(interval.point)))
        for at in corners(box):
            checked += 1
            try:
                value = figures.value(derived_id, at)
            except (ZeroDivisionError, ValueError, OverflowError):
                continue  # a corner outside the formula's domain has no value to enclose
            if not _inside(value, interval):
                outside.append(Corner(derived_id, at, value, interval))
    return checked, outside


@dataclass(frozen=True)
class Swing:
    claim_id: str
    low: float  # the figure with this leaf at the lower end of its range
    high: float  # … at the upper end

    @property
    def size(self) -> float:
        return abs(self.high - self.low)


def swings(figures: Figures, derived_id: str, claim_range: Callable[[object], Interval]) -> list[Swing]:
    """Each leaf's swing of the figure, largest first (ties in leaf order)."""
    box, points = _leaf_box(figures, derived_id, claim_range)
    found = []
    for ref, span in box.items():
        low = figures.value(derived_id, {**points, ref: span.lower})
        high = figures.value(derived_id, {**points, ref: span.upper})
        found.append(Swing(ref, low, high))
    order = {ref: index for index, ref in enumerate(box)}
    return sorted(found, key=lambda s: (-s.size, order[s.claim_id]))
