"""A quantity mention, and the bounds that the grammar's own forms state.

``lower`` and ``upper`` hold only what the text states (None is an open end), plus the physical
limits that are facts: a share lies in [0, 1], a magnitude is at least 0 (DESIGN.md, "Values and
qualifiers"). Every form applies that rule through :func:`claimbook.qualifiers.bounds`, the one
place it is written. ``assumed_lower`` and ``assumed_upper`` are the method's margins on a side the
words leave open (:func:`claimbook.qualifiers.assumed_bounds`): assumptions, kept apart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from ..qualifiers import assumed_bounds

UNPARSED = "unparsed"  # the kind of a mention the grammar found but cannot read


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    exact: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str
    kind: str
    qualifier: str = ""
    readings: dict[str, float] = field(default_factory=dict)
    iso: str = ""
    # "fall" or "rise" when a verb before the number states the direction of a change (降低16.5%);
    # the value keeps the stated magnitude, never a sign.
    direction: str = ""
    # The start of a change stated with both ends (从0到28万标箱: from 0); value is where it ended.
    from_value: float | None = None

    @property
    def is_unparsed(self) -> bool:
        return self.kind == UNPARSED

    @property
    def assumed_lower(self) -> float | None:
        return self._assumed()[0]

    @property
    def assumed_upper(self) -> float | None:
        return self._assumed()[1]

    def _assumed(self) -> tuple[float | None, float | None]:
        if self.value is None or self.readings:
            return None, None
        low, high = assumed_bounds(Decimal(repr(self.value)), self.qualifier, self.kind)
        return number(low), number(high)


def unparsed(text: str, start: int, end: int) -> Mention:
    """A mention kept with its span and text but no value: one the grammar could not read."""
    return Mention(start, end, text[start:end], None, None, None, "", UNPARSED)


def read_each(regex, text: str, build):
    """``build(match)`` for every match of ``regex`` in ``text``, skipping None. A match that ``build``
    cannot read becomes an unparsed mention over the match: one bad mention never loses the rest."""
    for match in regex.finditer(text):
        try:
            mention = build(match)
        except Exception:  # any failure to read one mention (cn2an, overflow, a grammar gap) is local
            mention = unparsed(text, match.start(), match.end())
        if mention is not None:
            yield mention


def number(value: Decimal | None) -> float | None:
    """A Decimal as the float a Mention holds; a value too large for a float is not a reading."""
    if value is None:
        return None
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{value} is out of range")
    return result
