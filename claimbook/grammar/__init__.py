"""The quantity grammar: find every quantity mention in a Chinese text and normalise it.

A mention is a numeral (Arabic or Chinese) with the words around it that change its meaning: a
magnitude (万, 亿), a unit or counter (元, %, 家, 倍, 年…), and qualifiers (近, 超过, 多, 以上…) that
become bounds. Matching runs in passes, each claiming its span so that later passes cannot take
it again, in the order of :data:`PASSES`: non-quantities first (:mod:`.nonquantities`), then dates
and periods (:mod:`.dates`), ranges (:mod:`.ranges`), approximate numerals (:mod:`.approximate`),
shares in words (:mod:`.shares`), and the general pattern last (:mod:`.quantities`). A last step
adds the direction of a change (:mod:`.direction`).

Reading never raises: a pass that finds a mention it cannot read (a numeral cn2an refuses, a
number too large for a float) yields it with kind ``unparsed``, span and text kept, no value.
"""
from __future__ import annotations

import re
from dataclasses import replace

from . import approximate, dates, quantities, ranges, shares
from .direction import with_directions
from .mention import UNPARSED, Mention
from .nonquantities import NON_QUANTITIES, WORDS_NOT_QUANTITIES, non_quantity_spans
from .numerals import read_numeral

__all__ = ["find_mentions", "parse", "typed_number", "Mention", "UNPARSED", "non_quantity_spans", "NON_QUANTITIES",
           "WORDS_NOT_QUANTITIES", "read_numeral", "PASSES", "DIGIT"]

DIGIT = re.compile(r"\d")  # a digit typed into text that readers see as prose

# (pass, characters one of which its matches must contain): a pass whose characters are absent from
# the text cannot match, and a test for a character is far cheaper than a scan by its pattern.
PASSES = (
    (dates.plan_periods, "五"), (dates.year_ranges, "年"), (dates.year_dates, "年"), (dates.chinese_year_dates, "年"),
    (dates.month_days, "日"), (dates.months, "月"), (dates.recent_spans, "近"),
    (ranges.ranges, "至到-~～〜—–－"), (approximate.digit_pairs, "一两二三四五六七八九"),
    (approximate.tens_and_a_few, "几"), (approximate.some_places, "几数"), (approximate.reaching, "上过破"),
    (quantities.doublings, "番"), (shares.spoken_percents, "之"), (shares.fractions, "之"),
    (shares.arabic_fractions, "/"), (shares.halves, "半"), (quantities.quantities, None),
)
_TRIGGERS = {finder: re.compile(f"[{re.escape(chars)}]") for finder, chars in PASSES if chars}


def find_mentions(text: str) -> list[Mention]:
    """Every quantity mention in ``text``, in order of position. Never raises."""
    taken = bytearray(len(text))
    mentions: list[Mention] = []

    def claim(start: int, end: int) -> bool:
        if start >= end or any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True

    for start, end, _why in non_quantity_spans(text):
        claim(start, end)
    for finder, chars in PASSES:
        if chars and not _TRIGGERS[finder].search(text):
            continue
        for mention in finder(text):
            if claim(mention.start, mention.end):
                mentions.append(mention)
    return with_directions(text, sorted(mentions, key=lambda m: m.start))


def parse(exact: str, prefix: str = "", suffix: str = "") -> Mention:
    """The one mention that spans all of ``exact``, read in its context (a TextQuoteSelector's
    prefix and suffix: “十四五” is a plan period only between its quotes); ValueError otherwise."""
    start, end = len(prefix), len(prefix) + len(exact)
    found = find_mentions(prefix + exact + suffix)
    for mention in found:
        if (mention.start, mention.end) == (start, end):
            return replace(mention, start=0, end=len(exact))
    inside = ", ".join(repr(m.exact) for m in found if m.start < end and m.end > start) or "no quantity"
    raise ValueError(f"'{exact}' does not parse as one quantity in its context (found {inside})")


def typed_number(text: str) -> str | None:
    """The first number typed into ``text`` (a digit, or a quantity in Chinese numerals), if any:
    text a reader sees as prose may hold none, since every number shown must be traced."""
    digit = DIGIT.search(text)
    if digit:  # the digit test alone settles most texts
        return digit.group()
    mentions = find_mentions(text)
    return mentions[0].exact if mentions else None
