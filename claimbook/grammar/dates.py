"""Calendar dates, plan periods and spans of recent time: mentions with an ``iso`` and no value.

Dates are read in the forms newspapers print (2025年6月2日, 2025年06月02日, 二〇二五年六月二日,
2025年底, 6月); “十四五” is the plan period 2021/2025; 2021—2025年 is a period. 近 before a span
of time means *recent* (近三年 = the past three years, DESIGN.md), unless a verb of duration
(历时近三年: it took nearly three years) makes it an approximate length.
"""
from __future__ import annotations

import re

from .mention import Mention, read_each
from .numerals import CN_NUMERAL, DIGIT_VALUES, read_numeral

PLAN_PERIOD_RE = re.compile(r"十(?P<n>[一二三四五六七八九])五(?=”|规划|时期|期间|以来)")
_PART = r"(?P<part>底|末|初|前三季度|上半年|下半年|全年|[一二三四]季度|第[一二三四]季度)"
YEAR_DATE_RE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})年"
    rf"(?:{_PART}|(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[12]\d|3[01]|0?[1-9])日)?)?"
)
CN_YEAR_DATE_RE = re.compile(
    r"(?P<year>(?:一九|二[〇零])[〇零一二三四五六七八九]{2})年"
    rf"(?:{_PART}|(?P<month>十[一二]?|[一二三四五六七八九])月(?:(?P<day>三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])日)?)?"
)
YEAR_RANGE_RE = re.compile(r"(?<!\d)(?P<first>(?:19|20)\d{2})年?(?:[-—–~～至到])(?P<last>(?:19|20)\d{2})年(?![底末初])")
MONTH_DAY_RE = re.compile(r"(?<!\d)(?P<month>1[0-2]|0?[1-9])月(?P<day>[12]\d|3[01]|0?[1-9])日")
MONTH_RE = re.compile(r"(?<![\d.])(?P<month>1[0-2]|0?[1-9])月(?:份)?")
RECENT_RE = re.compile(f"近(?P<num>\\d+|{CN_NUMERAL})(?P<unit>年|个月|周|天)(?P<since>以来|来)?")
DURATION_VERBS = re.compile("(?:历时|用时|耗时|用了|花了|长达|经过|持续|达|仅|只|用)$")
RECENT_UNITS = {"年": "year", "个月": "month", "周": "week", "天": "day"}
YEAR_PARTS = {"底": "{y}-12", "末": "{y}-12", "初": "{y}-01", "前三季度": "{y}-01/{y}-09", "上半年": "{y}-01/{y}-06",
              "下半年": "{y}-07/{y}-12", "全年": "{y}", "一季度": "{y}-01/{y}-03", "二季度": "{y}-04/{y}-06",
              "三季度": "{y}-07/{y}-09", "四季度": "{y}-10/{y}-12"}


def plan_periods(text):
    return read_each(PLAN_PERIOD_RE, text, _plan_period)


def year_ranges(text):
    return read_each(YEAR_RANGE_RE, text, _year_range)


def year_dates(text):
    return read_each(YEAR_DATE_RE, text, _year_date)


def chinese_year_dates(text):
    return read_each(CN_YEAR_DATE_RE, text, _year_date)


def month_days(text):
    return read_each(MONTH_DAY_RE, text, lambda m: _dated(m, "date", f"--{int(m['month']):02d}-{int(m['day']):02d}"))


def months(text):
    return read_each(MONTH_RE, text, lambda m: _dated(m, "date", f"--{int(m['month']):02d}"))


def recent_spans(text):
    """近三年(来): the past three years, a duration stated exactly, qualifier 'since'."""
    return read_each(RECENT_RE, text, _recent_span)


def _plan_period(m: re.Match) -> Mention:
    number = 10 + int(read_numeral(m["n"]))
    first = 1966 + 5 * (number - 3)  # the plans run in unbroken five-year steps since the Third (1966)
    return Mention(m.start(), m.end(), m[0], None, None, None, "period", "period", iso=f"{first}/{first + 4}")


def _year_range(m: re.Match) -> Mention | None:
    return _dated(m, "period", f"{m['first']}/{m['last']}") if int(m["first"]) < int(m["last"]) else None


def _year_date(m: re.Match) -> Mention:
    chinese = m.re is CN_YEAR_DATE_RE
    year = "".join(str(DIGIT_VALUES[c]) for c in m["year"]) if chinese else m["year"]
    if m["part"]:
        return _dated(m, "period", YEAR_PARTS[m["part"].lstrip("第")].format(y=year))
    if m["month"]:
        number = (lambda t: int(read_numeral(t))) if chinese else int
        day = f"-{number(m['day']):02d}" if m["day"] else ""
        return _dated(m, "date", f"{year}-{number(m['month']):02d}{day}")
    return _dated(m, "date", year)


def _recent_span(m: re.Match) -> Mention | None:
    if DURATION_VERBS.search(m.string, max(0, m.start() - 2), m.start()):
        return None  # 历时近三年: nearly three years long, read by the general pass
    value = float(read_numeral(m["num"]))
    return Mention(m.start(), m.end(), m[0], value, value, value, RECENT_UNITS[m["unit"]], "duration", "since")


def _dated(m: re.Match, kind: str, iso: str) -> Mention:
    return Mention(m.start(), m.end(), m[0], None, None, None, "date", kind, iso=iso)
