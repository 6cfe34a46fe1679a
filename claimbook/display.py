"""How numbers read in the book: the one place that turns a stored value into English text.

Stated numbers (claims) are shown with every digit the article gave and none it did not:
586.7亿元 is stored as 58670000000 yuan and reads "58.67 billion yuan". Derived numbers are
computed, so they are rounded by one rule (:func:`round_significant`): three significant figures,
four when three would make both ends of an interval look the same; both ends of an interval are
rounded at the same decimal position, and zeros that are significant stay ("27.0 billion yuan").
A computed whole count is exact and shown whole: 2557 − 165 reads "2,392", not "2,390".

A range shows only what its ends state (:func:`format_range`). An end the article leaves open
(infinite, or a physical limit such as 0) is not shown: the range reads "at least 160 billion
yuan" or "at most 20%", never a closed range the article does not give; a one-sided bound is
rounded outward (a floor down, a ceiling up), so the text stays true. A change in percentage
points (个百分点) reads in percentage points, never in per cent.

Everything here is deterministic and independent of the locale: month names, scale words and
separators are spelled out below, and decimal arithmetic keeps float noise out of the text.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .derived import readable_formula
from .qualifiers import QUALIFIERS

# Short-scale words, largest first. Amounts of a million or more take a word, smaller ones
# are written out with thousands separators ("19,000").
SCALES = ((12, "trillion"), (9, "billion"), (6, "million"))
# Units that read as an amount: (singular, plural) of the word after the number, '' for none.
AMOUNT_UNITS = {
    "yuan": ("yuan", "yuan"),
    "usd": ("US dollars", "US dollars"),
    "count": ("", ""),
    "": ("", ""),
    "km2": ("km²", "km²"), "m2": ("m²", "m²"), "km": ("km", "km"),
    "hectare": ("hectare", "hectares"), "mu": ("mu", "mu"), "tonne": ("tonne", "tonnes"),
    "kWh": ("kWh", "kWh"), "kW": ("kW", "kW"), "MW": ("MW", "MW"), "GW": ("GW", "GW"),
}
DURATION_UNITS = {
    "year": ("year", "years"), "month": ("month", "months"), "day": ("day", "days"),
    "hour": ("hour", "hours"), "week": ("week", "weeks"), "quarter": ("quarter", "quarters"),
}
# Units of things counted one by one: a computed whole count is exact, never rounded.
COUNT_UNITS = ("count", "")
# Units whose value is a share of one: shown in per cent.
FRACTION_UNITS = ("fraction",)
# A change in percentage points (个百分点): stored as a fraction, read in points, never in per cent.
POINTS = "percentage_points"
# Kinds of a 'year' value that name a calendar year rather than a duration.
CALENDAR_KINDS = ("date", "period", "calendar")
ORDINAL_UNITS = ("rank", "ordinal")

# How each qualifier (column `qualifier` of claims.csv) reads around the formatted number.
QUALIFIER_TEMPLATES = {
    "": "{}",
    "nearly": "nearly {}",          # 近
    "more than": "more than {}",    # 超, 超过, 以上
    "and more": "over {}",          # 多, 余: "20多家" is twenty and a bit
    "less than": "less than {}",    # 不到, 不足
    "about": "about {}",            # 约, 左右
    "within": "within {}",          # N年内
    "since": "since {}",            # 以来 after a date; "the past N years" after a duration
    "ago": "{} ago",                # N年前
    "scale": "at the level of {}",  # 万亿级: at least the stated order of magnitude
    "top": "top {}",                # 前十强: the size of the top group
    "range": "{}",                  # 3至5年, 八九十家: no value, both ends shown ("3–5 years")
    "from": "to {}",                # 从0到28万标箱: where the change ended ("from 0 to …" with its start)
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
EN_DASH = "–"
MINUS = "−"
SIGNIFICANT_FIGURES = 3
MAX_SIGNIFICANT_FIGURES = 4


# --- numbers ----------------------------------------------------------------------------------------

def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """The shortest decimal that reads back as ``value`` (no binary noise: 0.1 stays 0.1)."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = Decimal(value.strip())
    elif isinstance(value, numbers.Integral):
        number = Decimal(int(value))
    else:  # float, numpy float: repr of a Python float is the shortest exact text
        number = Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def round_significant(numbers: Sequence[Decimal], digits: int = SIGNIFICANT_FIGURES) -> list[Decimal]:
    """Round every number at one decimal position: that of the ``digits``-th significant digit of
    the largest in magnitude. One number is rounded to ``digits`` significant figures; the two ends
    of an interval keep the same number of decimals ("26.9–27.0"). Halves round away from zero."""
    largest = max((abs(n) for n in numbers), default=Decimal(0))
    if largest == 0:
        return [Decimal(0) for _ in numbers]
    quantum = Decimal(1).scaleb(largest.adjusted() - (digits - 1))
    rounded = [n.quantize(quantum, rounding=ROUND_HALF_UP) for n in numbers]
    carried = max(abs(n) for n in rounded)
    if carried.adjusted() > largest.adjusted():  # 999.7 → 1000: count figures from the new first digit
        quantum = Decimal(1).scaleb(carried.adjusted() - (digits - 1))
        rounded = [n.quantize(quantum, rounding=ROUND_HALF_UP) for n in rounded]
    return rounded


def _plain(number: Decimal, separators: bool = True) -> str:
    """Fixed-point text: no exponent, thousands separators, a real minus sign."""
    text = format(abs(number), ",f" if separators else "f")
    return (MINUS if number < 0 else "") + text


def _normalized(number: Decimal) -> Decimal:
    """Drop trailing zeros: a stated 5亿 is "500", not "500.00000000"."""
    return number.normalize() if number != 0 else Decimal(0)


def _scale_of(numbers: Iterable[Decimal]) -> tuple[int, str]:
    largest = max((abs(n) for n in numbers), default=Decimal(0))
    for exponent, word in SCALES:
        if largest >= Decimal(1).scaleb(exponent):
            return exponent, word
    return 0, ""


def ordinal(number: int) -> str:
    """9 → "9th", 31 → "31st", 12 → "12th"."""
    if number % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _integer(number: Decimal, what: str) -> int:
    if number != number.to_integral_value():
        raise ValueError(f"a {what} must be a whole number, got {number}")
    return int(number)


# --- units ------------------------------------------------------------------------------------------

def _whole_counts(numbers: Sequence[Decimal], unit: str) -> bool:
    """Whole counts and multiples: exact results (sums, differences, readings), never rounded."""
    return unit in (*COUNT_UNITS, "multiplier") and all(n == n.to_integral_value() for n in numbers)


def _in_per_cent(unit: str, kind: str) -> bool:
    """A fraction or a difference of shares: the reader sees it in per cent (0.25 reads 25%)."""
    return unit in FRACTION_UNITS or POINTS in (unit, kind)


def _unit_texts(numbers: Sequence[Decimal], unit: str, kind: str, exact: bool) -> tuple[list[str], str]:
    """Texts of ``numbers`` in ``unit``, sharing one scale, and the suffix they share
    (unit word, "%", "-fold"). ``exact`` keeps every stated digit; otherwise the rounding rule applies,
    except to whole counts, which computation gives exactly (sums and differences of counts)."""
    if "/" in unit:  # a rate: "yuan/year" reads "3.75 billion yuan per year"
        amount, per = unit.split("/", 1)
        texts, suffix = _unit_texts(numbers, amount, kind, exact)
        return texts, f"{suffix} per {per}"
    if _whole_counts(numbers, unit):
        exact = True
    if _in_per_cent(unit, kind):
        numbers = [n * 100 for n in numbers]
    if POINTS in (unit, kind):
        texts = _number_texts(numbers, exact, separators=False)
        one = len(numbers) == 1 and abs(numbers[0]) == 1
        return texts, " percentage point" + ("" if one else "s")
    if unit in FRACTION_UNITS:
        if kind == "fraction":  # 三分之一 states no digits: its per cent is rounded by the rule
            exact = exact and all(n == n.quantize(Decimal("0.01")) for n in numbers)
        return _number_texts(numbers, exact, separators=False), "%"  # 个百分点 (POINTS) returned above
    if unit == "percent":  # derived figures computed in per cent already
        return _number_texts(numbers, exact, separators=False), "%"
    if unit == "multiplier":
        return _number_texts(numbers, exact, separators=False), "-fold"
    if unit in ORDINAL_UNITS:
        return [ordinal(_integer(n, unit)) for n in numbers], ""
    if unit == "year" and kind in CALENDAR_KINDS:  # a calendar year without its iso: "2025"
        return [_plain(_normalized(n), separators=False) for n in numbers], ""
    if unit in DURATION_UNITS:
        texts = _number_texts(numbers, exact, separators=True)
        singular, plural = DURATION_UNITS[unit]
        word = singular if len(numbers) == 1 and abs(numbers[0]) == 1 else plural
        return texts, " " + word
    if unit in AMOUNT_UNITS:
        rounded = numbers if exact else _rounded(numbers)
        exponent, word = _scale_of(rounded)
        scaled = [n.scaleb(-exponent) for n in rounded]
        texts = [_plain(_normalized(n)) if exact else _plain(n) for n in scaled]
        singular, plural = AMOUNT_UNITS[unit]
        unit_word = plural if (word or len(numbers) > 1 or abs(numbers[0]) != 1) else singular
        suffix = " ".join(part for part in (word, unit_word) if part)
        return texts, (" " + suffix if suffix else "")
    if unit.strip():
        # An unknown unit still reads correctly: the number, then the unit as stored.
        return _number_texts(numbers, exact, separators=True), " " + unit
    raise ValueError(f"no reading for unit {unit!r}")


def _rounded(numbers: Sequence[Decimal]) -> list[Decimal]:
    """The rounding rule: 3 significant figures, 4 if 3 would merge two different ends."""
    rounded = round_significant(numbers, SIGNIFICANT_FIGURES)
    if len(set(rounded)) < len(set(numbers)):
        rounded = round_significant(numbers, MAX_SIGNIFICANT_FIGURES)
    return rounded


def _number_texts(numbers: Sequence[Decimal], exact: bool, separators: bool) -> list[str]:
    if exact:
        return [_plain(_normalized(n), separators) for n in numbers]
    return [_plain(n, separators) for n in _rounded(numbers)]


# --- dates ------------------------------------------------------------------------------------------

_ISO_PART = re.compile(r"(?P<year>\d{4})?(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?")
_ISO_NO_YEAR = re.compile(r"--(?P<month>\d{2})(?:-(?P<day>\d{2}))?")
_ISO_DURATION = re.compile(r"P(?P<number>\d+(?:\.\d+)?)(?P<unit>[YMWD])")
_DURATION_LETTERS = {"Y": "year", "M": "month", "W": "week", "D": "day"}


def _date_parts(text: str) -> tuple[int | None, int | None, int | None]:
    match = _ISO_NO_YEAR.fullmatch(text) or _ISO_PART.fullmatch(text)
    if not match or not (match.re is _ISO_NO_YEAR or match["year"]):
        raise ValueError(f"'{text}' is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD)")
    year = int(match["year"]) if match.re is _ISO_PART else None
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month}")
    if day is not None and not 1 <= day <= 31:
        raise ValueError(f"'{text}' has no day {day}")
    return year, month, day


def format_date(iso: str, kind: str = "date") -> str:
    """English text of an ISO 8601 date, interval or duration.

    "2025" → "2025", "2025-03" → "March 2025", "2025-03-05" → "5 March 2025", "--01-13" → "13 January",
    "2021/2025" → "2021–2025", "2025-01/2025-09" → "January–September 2025", "P4Y" → "4 years".
    For kind 'period' (a part of a year: 年底, 年初) "2025-12" reads "end of 2025" and "2025-01"
    "beginning of 2025", as the grammar stores 年底/年末 and 年初 that way."""
    iso = iso.strip()
    duration = _ISO_DURATION.fullmatch(iso)
    if duration:
        number = to_decimal(duration["number"])
        singular, plural = DURATION_UNITS[_DURATION_LETTERS[duration["unit"]]]
        return f"{_plain(_normalized(number))} {singular if number == 1 else plural}"
    if "/" in iso:
        first, _, last = iso.partition("/")
        return _date_range(_date_parts(first), _date_parts(last))
    year, month, day = _date_parts(iso)
    if kind == "period" and day is None and month in (1, 12) and year is not None:
        return f"{'end' if month == 12 else 'beginning'} of {year}"
    return _one_date(year, month, day)


def _one_date(year, month, day) -> str:
    words = []
    if day is not None:
        words.append(str(day))
    if month is not None:
        words.append(MONTHS[month - 1])
    if year is not None:
        words.append(str(year))
    return " ".join(words)


def _date_range(first, last) -> str:
    (y1, m1, d1), (y2, m2, d2) = first, last
    if y1 == y2 and d1 is None and d2 is None and m1 is not None and m2 is not None:
        return f"{MONTHS[m1 - 1]}{EN_DASH}{MONTHS[m2 - 1]} {y1}"
    return f"{_one_date(y1, m1, d1)}{EN_DASH}{_one_date(y2, m2, d2)}"


# --- public formatting ------------------------------------------------------------------------------

def format_quantity(value, lower=None, upper=None, unit: str = "", kind: str = "", qualifier: str = "",
                    *, readings: Mapping[str, float] | None = None, iso: str = "", from_value=None) -> str:
    """A stated quantity as a reader sees it, every stated digit kept.

    58670000000 yuan → "58.67 billion yuan"; 500000000 yuan 'nearly' → "nearly 500 million yuan";
    1.178 fraction → "117.8%"; 15 multiplier with readings x15, x16 → "15-fold (×15 or ×16)";
    a date or period (``iso`` set) → :func:`format_date`. With no value but both bounds, the bounds
    are shown as a range. ``lower`` and ``upper`` are otherwise carried by the qualifier's words."""
    if qualifier not in QUALIFIER_TEMPLATES:
        raise ValueError(f"unknown qualifier {qualifier!r}; known: {', '.join(repr(q) for q in QUALIFIERS)}")
    if iso:
        text = format_date(iso, kind)
        return _qualified(text, qualifier, unit, kind)
    if unit in ("date", "period"):
        raise ValueError(f"a {unit} needs its iso column (e.g. 2025-12, --01-13, 2021/2025)")
    if value is None:
        if lower is None or upper is None:
            raise ValueError("no value and no bounds to show")
        return _qualified(format_interval(lower, upper, unit, kind, exact=True), qualifier, unit, kind)
    number = to_decimal(value)
    if qualifier == "top":
        return "top " + _plain(_normalized(number))
    if qualifier == "from" and from_value is not None:  # 从0到28万标箱: "from 0 to 280,000 TEU"
        texts, suffix = _unit_texts([to_decimal(from_value), number], unit, kind, exact=True)
        return f"from {texts[0]} to {texts[1]}{suffix}"
    texts, suffix = _unit_texts([number], unit, kind, exact=True)
    text = _qualified(texts[0] + suffix, qualifier, unit, kind)
    if readings and len(readings) > 1:
        text += " (" + " or ".join(_reading_text(v, unit, kind) for v in readings.values()) + ")"
    return text


def _qualified(text: str, qualifier: str, unit: str, kind: str) -> str:
    if qualifier == "since" and (unit in DURATION_UNITS and kind not in CALENDAR_KINDS):
        return f"the past {text}"  # 五年来: over the past five years
    return QUALIFIER_TEMPLATES[qualifier].format(text)


def _reading_text(value: float, unit: str, kind: str) -> str:
    number = to_decimal(value)
    if unit == "multiplier":
        return "×" + _plain(_normalized(number), separators=False)
    texts, suffix = _unit_texts([number], unit, kind, exact=True)
    return texts[0] + suffix


def format_claim(claim) -> str:
    """The reader's text of one :class:`claimbook.registry.Claim`."""
    try:
        return format_quantity(claim.value, claim.lower, claim.upper, claim.unit, claim.kind, claim.qualifier,
                               readings=claim.readings, iso=claim.iso)
    except ValueError as exc:
        raise ValueError(f"claim '{claim.claim_id}' (claims.csv row {claim.row}): {exc}") from None


def format_interval(lower, upper, unit: str = "", kind: str = "", *, exact: bool = False) -> str:
    """A range as "26.9–27.0 billion yuan": one scale and one unit for both ends.

    Rounded by the rule of :func:`round_significant` unless ``exact`` (stated bounds keep their
    digits). When both ends read the same after rounding, the single value is shown."""
    ends = [to_decimal(lower), to_decimal(upper)]
    if ends[0] > ends[1]:
        raise ValueError(f"interval is inverted: {lower} > {upper}")
    if ends[0] == ends[1]:
        return format_value(lower, unit, kind, exact=exact)
    texts, suffix = _unit_texts(ends, unit, kind, exact)
    if texts[0] == texts[1]:
        return format_value(ends[0] if exact else (ends[0] + ends[1]) / 2, unit, kind, exact=exact)
    return f"{texts[0]}{EN_DASH}{texts[1]}{suffix}"


def format_value(value, unit: str = "", kind: str = "", *, exact: bool = False) -> str:
    """One number in its unit, rounded by the rule unless ``exact``: 26970000000 yuan → "27 billion yuan"."""
    texts, suffix = _unit_texts([to_decimal(value)], unit, kind, exact)
    return texts[0] + suffix


def format_range(lower, upper, unit: str = "", kind: str = "", *, lower_stated: bool = True,
                 upper_stated: bool = True, exact: bool = False) -> str:
    """A range as the article supports it: "26.9–27.0 billion yuan" when both ends are stated,
    "at least 160 billion yuan" or "at most 20%" when one end is open (infinite, or a physical
    limit), "no bound stated" when both are. A one-sided bound is rounded outward unless ``exact``."""
    lower_stated = lower_stated and lower is not None and math.isfinite(lower)
    upper_stated = upper_stated and upper is not None and math.isfinite(upper)
    if lower_stated and upper_stated:
        return format_interval(lower, upper, unit, kind, exact=exact)
    if lower_stated:
        return "at least " + _one_side(lower, unit, kind, exact, ROUND_FLOOR)
    if upper_stated:
        return "at most " + _one_side(upper, unit, kind, exact, ROUND_CEILING)
    return OPEN_RANGE


OPEN_RANGE = "no bound stated"


def _one_side(value, unit: str, kind: str, exact: bool, rounding: str) -> str:
    """One bound, never rounded into the range it closes (``rounding``: ROUND_FLOOR for a floor):
    three significant figures when the usual rounding already errs on the safe side, else four,
    rounded outward."""
    number = to_decimal(f"{float(value):.12g}")  # float noise (1 − 0.85) must not tip the rounding
    if exact or _whole_counts([number], unit) or number == 0:
        return format_value(number, unit, kind, exact=True)
    per_cent = _in_per_cent(unit, kind)
    shown = number * 100 if per_cent else number  # round the digits the reader sees

    def rounded(digits: int, mode: str) -> Decimal:
        return shown.quantize(Decimal(1).scaleb(shown.adjusted() - (digits - 1)), rounding=mode)

    usual = rounded(SIGNIFICANT_FIGURES, ROUND_HALF_UP)
    safe = usual <= shown if rounding == ROUND_FLOOR else usual >= shown
    chosen = usual if safe else rounded(MAX_SIGNIFICANT_FIGURES, rounding)
    return format_value(chosen / 100 if per_cent else chosen, unit, kind, exact=True)


def derived_text(derived) -> str:
    """A :class:`claimbook.derived.DerivedValue` as its value reads (the chapter's reading, rounded)."""
    return format_value(derived.value, derived.unit, derived.kind)


def format_derived(derived) -> str:
    """A derived figure as the range its inputs' stated bounds allow (rounded), one number when
    the range rounds to one, or the one side that is stated."""
    return format_range(derived.lower, derived.upper, derived.unit, derived.kind,
                        lower_stated=derived.lower_stated, upper_stated=derived.upper_stated)


def derived_range_text(derived) -> str:
    """The range a derived figure's stated bounds allow, or '' when it reads the same as its value
    (then there is no range to show)."""
    spread = format_derived(derived)
    return "" if spread == derived_text(derived) else spread


def format_assumed(derived) -> str:
    """The range of a derived figure under the method's assumed margins, or '' when the margins
    change nothing (its inputs state both ends of every range)."""
    if derived.assumed_lower is None or derived.assumed_upper is None:
        return ""
    text = format_interval(derived.assumed_lower, derived.assumed_upper, derived.unit, derived.kind)
    return "" if text == format_derived(derived) else text


def format_bound(derived, bound: str) -> str:
    """One end of a derived figure's stated range ("lower" or "upper"), or the words for an open end."""
    value, stated = getattr(derived, bound), getattr(derived, f"{bound}_stated")
    if not stated or not math.isfinite(value):
        return f"no stated {bound} bound"
    return format_value(value, derived.unit, derived.kind)


def format_change(percent: float) -> str:
    """A change in per cent of a reference value, signed, to one decimal: "+12.5%", "-4.0%"."""
    return f"{percent:+.1f}%"


NO_RANGE = "—"  # shown where an exact number has no range


def claim_bounds_text(claim) -> str:
    """The bounds a claim's words state ("at most 500 million yuan", "20–30"), or '' when they add
    nothing to the value."""
    from .qualifiers import stated_sides

    if claim.iso or (claim.value is None and (claim.lower is None or claim.upper is None)):
        return ""
    if claim.lower == claim.upper == claim.value:
        return ""
    lower_stated, upper_stated = stated_sides(claim.qualifier)  # a range (八九十) states both ends
    return format_range(claim.lower, claim.upper, claim.unit, claim.kind, lower_stated=lower_stated,
                        upper_stated=upper_stated, exact=True)


def claim_assumed_text(claim) -> str:
    """The range the method assumes for a claim whose words leave a side open, or ''."""
    if claim.value is None or (claim.assumed_lower is None and claim.assumed_upper is None):
        return ""
    return format_interval(*claim.assumed_ends, claim.unit, claim.kind)


# --- tooltips ---------------------------------------------------------------------------------------

def claim_tip_lines(claim) -> list[str]:
    """What a claim's tooltip says beyond its sentence: the kind of statement, who states it, its
    period, the bounds its words state and the range the method assumes (marked as assumed)."""
    from .meaning import meaning_lines

    lines = meaning_lines(claim)
    bounds = claim_bounds_text(claim)
    if bounds:
        lines.append(f"Stated bounds: {bounds}")
    assumed = claim_assumed_text(claim)
    if assumed:
        lines.append(f"Assumed by the method, not stated: {assumed}")
    return lines


def derived_tip_lines(derived, claims: Mapping, figures: Mapping) -> list[str]:
    """A derived figure's tooltip: its formula, each input with its value and who states it, the
    range its inputs' stated bounds allow, and the range under the method's assumed margins."""
    from .meaning import voice_text

    lines = ["= " + readable_formula(derived.formula)]
    for ref in derived.inputs:
        if ref in claims:
            claim = claims[ref]
            voice = voice_text(claim)
            lines.append(f"{ref} = {format_claim(claim)} ({claim.sentence_id}{', ' + voice if voice else ''})")
        else:
            inner = figures[ref]
            lines.append(f"{ref} = {derived_text(inner)} (derived)")
    spread = derived_range_text(derived)
    if spread:
        lines.append(f"range the stated bounds allow: {spread}")
    assumed = format_assumed(derived)
    if assumed:
        lines.append(f"range assuming the method's margins: {assumed}")
    return lines


# --- escaping ---------------------------------------------------------------------------------------

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%",
    "[": "{[}", "]": "{]}", "<": r"\textless{}", ">": r"\textgreater{}",
    "\n": " ", "\r": " ", "\t": " ",
}
_LATEX_TABLE = str.maketrans(LATEX_SPECIALS)


def latex_escape(text: str) -> str:
    """Text from the data made inert for LaTeX: no command, group, comment or math can start."""
    return str(text).translate(_LATEX_TABLE)
