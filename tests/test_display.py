"""The reader's text of every number: formats, the rounding rule, dates, escaping, tables."""
from __future__ import annotations

import html.parser
import math
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimbook.derived import evaluate_all
from claimbook.display import (
    QUALIFIERS,
    claim_assumed_text,
    claim_bounds_text,
    format_assumed,
    format_bound,
    format_claim,
    format_date,
    format_derived,
    format_interval,
    format_quantity,
    format_range,
    format_value,
    latex_escape,
    ordinal,
    round_significant,
)
from claimbook.interactive import InteractiveClaims
from claimbook.registry import Registry

from sphinx_run import MINI


@pytest.fixture(scope="module")
def mini() -> Registry:
    return Registry(MINI)


# --- the contract's examples ------------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, expected", [
    ((58670000000, None, None, "yuan", "money", ""), {}, "58.67 billion yuan"),
    ((500000000, 450000000, 500000000, "yuan", "money", "nearly"), {}, "nearly 500 million yuan"),
    ((1.178, None, None, "fraction", "percent", ""), {}, "117.8%"),
    ((0.4, 0.4, 0.44, "fraction", "tenths", "more than"), {}, "more than 40%"),
    ((15, 15, 16, "multiplier", "multiplier", ""), {"readings": {"x15": 15, "x16": 16}}, "15-fold (×15 or ×16)"),
    ((19000, None, None, "count", "count", ""), {}, "19,000"),
    ((9, None, None, "rank", "rank", ""), {}, "9th"),
    ((31, None, None, "ordinal", "ordinal", ""), {}, "31st"),
    ((4, None, None, "year", "duration", "within"), {}, "within 4 years"),
    ((14, None, None, "month", "duration", ""), {}, "14 months"),
    ((None, None, None, "date", "date", ""), {"iso": "--01-13"}, "13 January"),
    ((None, None, None, "date", "period", ""), {"iso": "2025-12"}, "end of 2025"),
    ((1400000000000, None, None, "yuan", "money", ""), {}, "1.4 trillion yuan"),
    ((2000000, 2000000, 3000000, "yuan", "money", "and more"), {}, "over 2 million yuan"),
    ((5600, 5600, 5700, "count", "count", "and more"), {}, "over 5,600"),
    ((1, 0.9, 1, "year", "duration", "less than"), {}, "less than 1 year"),
    ((10, 10, 10, "year", "duration", "ago"), {}, "10 years ago"),
    ((5, 5, 5, "year", "duration", "since"), {}, "the past 5 years"),
    ((10, 10, 10, "rank", "rank", "top"), {}, "top 10"),
    ((1e12, 1e12, None, "yuan", "scale", "scale"), {}, "at the level of 1 trillion yuan"),
    ((0.03, None, None, "fraction", "percentage_points", ""), {}, "3 percentage points"),
    ((0.01, None, None, "fraction", "percentage_points", ""), {}, "1 percentage point"),
    ((0.9914, None, None, "fraction", "percent", ""), {}, "99.14%"),
    ((2557, None, None, "count", "count", ""), {}, "2,557"),
    ((None, None, None, "period", "period", ""), {"iso": "2021/2025"}, "2021–2025"),
    ((None, None, None, "date", "period", ""), {"iso": "2025-01/2025-09"}, "January–September 2025"),
    ((None, None, None, "date", "date", ""), {"iso": "2025"}, "2025"),
    ((2025, None, None, "year", "date", ""), {}, "2025"),  # a calendar year is not "2,025 years"
    # the grammar's newer forms: percentage points, ranges, shares in words, a change from A to B
    ((0.032, 0.032, 0.032, "fraction", "percentage_points", ""), {}, "3.2 percentage points"),
    ((None, 3, 5, "year", "duration", "range"), {}, "3–5 years"),
    ((None, 0.7, 0.8, "fraction", "tenths", "range"), {}, "70–80%"),
    ((None, 1e5, 2e5, "yuan", "money", "range"), {}, "100,000–200,000 yuan"),
    ((1 / 3, 1 / 3, 1 / 3, "fraction", "fraction", ""), {}, "33.3%"),
    ((0.5, 0.5, 1, "fraction", "fraction", "more than"), {}, "more than 50%"),
    ((280000, 280000, 280000, "TEU", "measure", "from"), {"from_value": 0}, "from 0 to 280,000 TEU"),
    ((0.165, 0.165, 0.165, "fraction", "percent", ""), {}, "16.5%"),  # a fall keeps its positive value
])
def test_format_quantity(args, kwargs, expected):
    assert format_quantity(*args, **kwargs) == expected


@pytest.mark.parametrize("iso, kind, expected", [
    ("2025-12", "date", "December 2025"),  # a month the text names is a month, not a year's end
    ("2025-01", "period", "beginning of 2025"),
    ("2025-03-05", "date", "5 March 2025"),
    ("--12", "date", "December"),
    ("2024-11/2025-02", "period", "November 2024–February 2025"),
    ("P4Y", "duration", "4 years"),
    ("P1M", "duration", "1 month"),
])
def test_format_date(iso, kind, expected):
    assert format_date(iso, kind) == expected


@pytest.mark.parametrize("iso", ["2025-13", "13 January", "2025/", "--00-01"])
def test_bad_iso_dates_are_refused(iso):
    with pytest.raises(ValueError):
        format_date(iso)


def test_every_qualifier_of_the_vocabulary_reads():
    for qualifier in QUALIFIERS:
        text = format_quantity(20, 20, 30, "count", "count", qualifier)
        assert "20" in text


@pytest.mark.parametrize("call, message", [
    (lambda: format_quantity(5, None, None, "count", "count", "roughly"), "unknown qualifier"),
    (lambda: format_quantity(None, None, None, "date", "date", ""), "iso"),
    (lambda: format_quantity(9.5, None, None, "rank", "rank", ""), "whole number"),
    (lambda: format_quantity(None, None, None, "yuan", "money", ""), "no value"),
    (lambda: format_quantity(float("nan"), None, None, "yuan", "money", ""), "finite"),
    (lambda: format_interval(3, 2, "count"), "inverted"),
])
def test_bad_values_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]


def test_unknown_units_are_named_after_the_number():
    assert format_quantity(3.5, None, None, "GWh", "measure", "") == "3.5 GWh"
    assert format_quantity(12, None, None, "km2", "measure", "about") == "about 12 km²"


# --- the rounding rule ------------------------------------------------------------------------------

def test_interval_of_derived_figures():
    assert format_interval(26.93e9, 27.04e9, "yuan", "implied") == "26.9–27.0 billion yuan"
    # three figures would merge the ends, so four are used
    assert format_interval(26.931e9, 26.944e9, "yuan", "implied") == "26.93–26.94 billion yuan"
    # ends that agree to four figures read as one number
    assert format_interval(26.93101e9, 26.93102e9, "yuan", "implied") == "26.9 billion yuan"
    assert format_value(0.2895, "fraction", "share") == "29.0%"
    assert format_interval(0.0803, 0.0893, "fraction", "share") == "8.03–8.93%"
    assert format_interval(11.2, 12.444, "multiplier", "ratio") == "11.2–12.4-fold"
    # both ends share one scale word and one decimal position
    assert format_interval(0.9e9, 1.1e9, "yuan", "implied") == "0.90–1.10 billion yuan"
    # ends that round alike even at four figures collapse to one number, on the rounded scale
    assert format_interval(999.6e6, 1000.4e6, "yuan", "implied") == "1.00 billion yuan"


def test_stated_bounds_keep_their_digits():
    assert format_interval(0.4, 0.44, "fraction", "tenths", exact=True) == "40–44%"
    assert format_interval(5.04e9, 5.6e9, "yuan", "money", exact=True) == "5.04–5.6 billion yuan"
    assert format_interval(18000, 20000, "count", "count", exact=True) == "18,000–20,000"


def test_single_rounded_values():
    assert format_value(26937557392.1, "yuan", "implied") == "26.9 billion yuan"
    assert format_value(26997557392.1, "yuan", "implied") == "27.0 billion yuan"  # significant zero kept
    assert format_value(999.7e6, "yuan", "implied") == "1.00 billion yuan"  # rounding moves the scale
    assert format_value(214285.71, "yuan", "per-unit") == "214,000 yuan"
    assert format_value(-0.0312, "fraction", "growth") == "−3.12%"
    assert format_value(6, "count", "aggregate") == "6"
    assert format_value(2392, "count", "implied") == "2,392"  # a computed whole count is exact
    assert format_value(2392.5, "count", "per-unit") == "2,390"
    assert format_interval(2392, 2557, "count", "implied") == "2,392–2,557"
    assert format_value(1.6, "year", "payback") == "1.60 years"


@given(st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False,
                   places=6))
def test_round_significant_keeps_three_figures_within_half_a_step(number):
    (rounded,) = round_significant([number], 3)
    if number == 0:
        assert rounded == 0
        return
    step = Decimal(1).scaleb(abs(number).adjusted() - 2)
    assert abs(rounded - number) <= step / 2
    assert len(rounded.as_tuple().digits) <= 3  # 999.7 → 1.00E+3, never 1000 with four figures


_SCALE = {"": 1, "million": 10**6, "billion": 10**9, "trillion": 10**12}


@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=10))
def test_stated_amounts_read_back_to_the_stored_value(digits, exponent):
    """Every stated digit survives: the text times its scale word is the stored number."""
    value = Decimal(digits).scaleb(exponent)
    text = format_quantity(float(value), None, None, "yuan", "money", "")
    match = re.fullmatch(r"([\d,.]+)(?: (million|billion|trillion))? yuan", text)
    assert match, text
    number = Decimal(match[1].replace(",", "")) * _SCALE[match[2] or ""]
    assert number == value


# --- the real registry ------------------------------------------------------------------------------

def test_every_claim_of_the_book_has_a_reader_text():
    registry = Registry()
    for claim in registry.claim_list:
        text = format_claim(claim)
        assert text and "None" not in text and "e+" not in text.lower(), (claim.claim_id, text)
        claim_bounds_text(claim)


def test_format_claim_names_the_claim_when_it_fails(mini):
    claim = mini.claims["byd-revenue-2025"]
    broken = type(claim)(**{**claim.__dict__, "unit": "date"})
    with pytest.raises(ValueError, match="byd-revenue-2025"):
        format_claim(broken)


def test_derived_figures_read_as_the_range_their_words_state(mini):
    derived = evaluate_all(mini)
    # 近 states a ceiling only: the range is one-sided, rounded up so that it stays true
    assert format_derived(derived["bsc-output-baseline-range"]) == "at most 33.34 million yuan"
    assert format_assumed(derived["bsc-output-baseline-range"]) == "28.1–33.3 million yuan"
    assert format_derived(derived["byd-revenue-prior-year-implied"]) == "26.9 billion yuan"
    assert format_assumed(derived["byd-revenue-prior-year-implied"]) == ""  # nothing assumed, nothing shown
    assert format_derived(derived["px-seed-share"]) == "at least 8.035%"
    assert format_bound(derived["px-seed-share"], "upper") == "no stated upper bound"


@pytest.mark.parametrize("lower, upper, stated, unit, text", [
    (1.6e11, math.inf, (True, False), "yuan", "at least 160 billion yuan"),
    (0, 0.2, (False, True), "fraction", "at most 20%"),
    (0.15000000000000002, 0.15000000000000002, (False, True), "fraction", "at most 15%"),  # float noise
    (1.875e9, math.inf, (True, False), "yuan", "at least 1.875 billion yuan"),  # never rounded up into the range
    (0, 12.444444, (False, True), "multiplier", "at most 12.45-fold"),  # never rounded down into it
    (0, 2e6, (True, True), "yuan", "0.00–2.00 million yuan"),  # a stated zero is a stated end
    (-math.inf, math.inf, (False, False), "count", "no bound stated"),
    (0.03, math.inf, (True, False), "percentage_points", "at least 3 percentage points"),
])
def test_a_range_shows_only_the_ends_that_are_stated(lower, upper, stated, unit, text):
    assert format_range(lower, upper, unit, lower_stated=stated[0], upper_stated=stated[1]) == text


def test_claims_show_their_stated_bounds_and_their_assumed_range_apart(mini):
    output = mini.claims["bsc-output-2025"]
    assert claim_bounds_text(output) == "at most 500 million yuan"
    assert claim_assumed_text(output) == "450–500 million yuan"
    assert claim_bounds_text(mini.claims["byd-revenue-2025"]) == "" \
        == claim_assumed_text(mini.claims["byd-revenue-2025"])
    assert claim_bounds_text(mini.claims["bsc-growth"]) == "15–16-fold"  # both readings


# --- escaping ---------------------------------------------------------------------------------------

HOSTILE = [r"\input{/etc/passwd}", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "50% & $x$ #1 ~a ^b _c [d]"]


@pytest.mark.parametrize("text", HOSTILE)
def test_latex_escape_leaves_no_command_group_math_or_comment(text):
    escaped = latex_escape(text)
    # strip the escapes we produce; nothing active may remain
    residue = re.sub(r"\\(textbackslash|textasciicircum|textasciitilde|textless|textgreater)\{\}", "", escaped)
    residue = re.sub(r"\\[{}$&#_%]|\{\[\}|\{\]\}", "", residue)
    assert not re.search(r"[\\{}$&#^_~%<>\[\]]", residue), escaped


# --- the interactive claims table --------------------------------------------------------------------------------

class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(markup: str):
    collector = _Collector()
    collector.feed(markup)
    return collector.elements


def test_interactive_table_links_every_number(mini):
    frame = InteractiveClaims(mini).frame()
    assert list(frame.columns)[3:6] == ["Stated", "Value", "Stated bounds"]
    rows = {claim.claim_id: row for claim, row in zip(mini.claim_list, frame.itertuples(index=False), strict=True)}
    byd = "".join(rows["byd-revenue-2025"])
    links = [attrs for tag, attrs in _elements(byd) if tag == "a"]
    assert [a["href"] for a in links] == ["source-text.html#claim-byd-revenue-2025"] * 2 + \
        ["source-text.html#sent-p02-s1"]  # stated words, value (no range: exact), sentence
    assert all(a.get("data-claim") == "byd-revenue-2025" for a in links[:2]) and "data-claim" not in links[2]
    assert ">58.67 billion yuan</a>" in byd and links[0]["lang"] == "zh-Hans"
    assert ">at most 500 million yuan</a>" in "".join(rows["bsc-output-2025"])
    markup = "".join("".join(row) for row in rows.values())
    claimed = [a for tag, a in _elements(markup) if tag == "a" and "data-claim" in a]
    assert {a["data-claim"] for a in claimed} == set(mini.claims)
    assert all(a["href"] == "source-text.html#claim-" + a["data-claim"] for a in claimed)
    # the hostile indicator and entity are text, not markup
    assert not any(tag == "img" for tag, _ in _elements(markup))
    assert "&lt;img src=x onerror=alert(document.domain)&gt;" in markup


@pytest.mark.parametrize("value, unit, text", [
    (3_750_000_000, "yuan/year", "3.75 billion yuan per year"),
    (3.4, "count/year", "3.40 per year"),
    (214_285.7, "yuan/firm", "214,000 yuan per firm"),
    (8.0, "multiplier", "8-fold"),
    (2.178, "multiplier", "2.18-fold"),
])
def test_rates_and_whole_multiples(value, unit, text):
    assert format_value(value, unit) == text
