"""The quantity grammar: find every quantity mention in a Chinese text and normalise it.

A mention is a numeral (Arabic or Chinese; cn2an reads the Chinese numeral itself) with the words
around it that change its meaning: a magnitude (万, 亿, 万亿), a unit or counter (元, %, 家, 倍, 年…),
and qualifiers (近, 超过, 多, 以上, 不到, 约…) that become bounds (see :mod:`claimbook.qualifiers`).

Matching runs in passes, each claiming its span so that later passes cannot take it again:
non-quantities (set phrases and names that merely contain numerals), plan periods (“十四五”),
calendar dates, doubling phrases (翻番), then the general quantity pattern.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from .qualifiers import QUALIFIER_WORDS, bounds, last_digit_step

CN_DIGITS = "零〇一二两三四五六七八九十百千"
ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
# cn2an reads 万 and 亿 inside (一万零一, 三亿五千万); 千 that begins a unit (千瓦, 千米) is the unit's.
CN_NUMERAL = f"(?:(?!千瓦|千米|千克)[{CN_DIGITS}万亿])+"
MAGNITUDES = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8,
              "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4}

# unit text → (kind, base unit, factor to base unit). Longest alternatives are tried first.
UNITS: dict[str, tuple[str, str, Decimal]] = {
    "个百分点": ("percentage_points", "fraction", Decimal("0.01")),
    "%": ("percent", "fraction", Decimal("0.01")), "％": ("percent", "fraction", Decimal("0.01")),
    "美元": ("money", "usd", Decimal(1)), "元": ("money", "yuan", Decimal(1)),
    "成": ("tenths", "fraction", Decimal("0.1")),
    "倍": ("multiplier", "multiplier", Decimal(1)),
    "级": ("scale", "yuan", Decimal(1)),
    "强": ("rank", "rank", Decimal(1)),
    "个月": ("duration", "month", Decimal(1)), "年": ("duration", "year", Decimal(1)),
    "天": ("duration", "day", Decimal(1)), "小时": ("duration", "hour", Decimal(1)),
    "平方公里": ("measure", "km2", Decimal(1)), "平方米": ("measure", "m2", Decimal(1)),
    "公顷": ("measure", "hectare", Decimal(1)), "亩": ("measure", "mu", Decimal(1)),
    "千瓦时": ("measure", "kWh", Decimal(1)), "千瓦": ("measure", "kW", Decimal(1)),
    "兆瓦": ("measure", "MW", Decimal(1)), "吉瓦": ("measure", "GW", Decimal(1)),
    "公里": ("measure", "km", Decimal(1)), "千米": ("measure", "km", Decimal(1)),
    "吨": ("measure", "tonne", Decimal(1)),
}
COUNTERS = ("人次", "家", "个", "项", "条", "件", "批", "次", "位", "名", "人", "户", "座", "所", "台", "辆",
            "种", "类", "款", "部", "架", "艘", "套", "处", "场", "届", "期", "轮", "篇", "份", "张",
            "大", "只", "颗", "枚", "支")
ORDINAL_COUNTERS = ("个", "次", "批", "届", "期", "轮", "项", "家", "条", "件", "种", "款", "部", "场", "大")
RANK_COUNTERS = ("位", "名")

PRE_QUALIFIERS = ("将近", "接近", "超过", "不到", "不足", "多于", "低于", "大约", "近", "超", "逾", "约")
POST_QUALIFIERS = ("以上", "以下", "左右", "以来", "内", "来", "前")
INCREASE_VERBS = ("增加", "增长", "提升", "提高", "扩大", "增至")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


QUANTITY_RE = re.compile(
    f"(?P<verb>{_alternation(INCREASE_VERBS)})?"
    f"(?P<pre>{_alternation(PRE_QUALIFIERS)})?"
    f"(?P<ord>第|前)?"
    f"(?P<num>{ARABIC}|{CN_NUMERAL})?"
    f"(?P<approx1>多|余)?"
    f"(?P<mag>{_alternation(MAGNITUDES)})?"
    f"(?P<approx2>多|余)?"
    f"(?P<unit>{_alternation(list(UNITS) + list(COUNTERS))})?"
    f"(?P<post>{_alternation(POST_QUALIFIERS)})?"
)

# Numerals inside these are names, slogans or set phrases, not quantities: (pattern, why, example).
NON_QUANTITIES = [
    (re.compile(r"\d+(?:\.\d+)?(?=[A-Za-z])|(?<=[A-Za-z])\d+(?:\.\d+)?"), "a numeral inside a name", "6G"),
    (re.compile(f"从(?:{ARABIC})到(?:{ARABIC})(?![{CN_DIGITS}万亿]|{_alternation(list(UNITS) + list(COUNTERS))})"),
     "a unitless range used as a figure of speech", "从1到100"),
    (re.compile(f"{CN_NUMERAL}位一体"), "a set phrase", "六位一体"),
    (re.compile("十百千万"), "a programme name", "“十百千万”工程"),
    (re.compile("每[十百千万]+人"), "the denominator of a rate", "每万人"),
    (re.compile(f"[数几若干]+[{CN_DIGITS}]+"), "a vague amount", "数十家"),
]


@lru_cache(maxsize=1 << 14)
def non_quantity_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Where ``text`` holds numerals that are no quantity (6G, 从1到100), with the reason; cached,
    since the book, the audit and the grammar itself scan the same sentences again and again."""
    return tuple(sorted((m.start(), m.end(), why) for pattern, why, _ in NON_QUANTITIES for m in pattern.finditer(text)))
# Rules applied inside the general pattern (see _quantity), listed for the methods chapter.
WORDS_NOT_QUANTITIES = [
    ("一 with a counter and nothing else is an indefinite article", "一批, 一家企业, 又一次, 一个个"),
    ("a Chinese numeral without a unit or counter is part of a word", "一方面, 万物, 一石惊起千层浪"),
    ("零 alone is part of a word", "零部件"),
]
PLAN_PERIOD_RE = re.compile(r"十(?P<n>[一二三四五六七八九])五(?=”|规划|时期|期间|以来)")
YEAR_DATE_RE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})年"
    r"(?:(?P<part>底|末|初|前三季度|上半年|下半年|全年|[一二三四]季度|第[一二三四]季度)"
    r"|(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[12]\d|3[01]|0?[1-9])日)?)?"
)
MONTH_DAY_RE = re.compile(r"(?<!\d)(?P<month>1[0-2]|0?[1-9])月(?P<day>[12]\d|3[01]|0?[1-9])日")
SPOKEN_PERCENT_RE = re.compile(
    f"(?P<pre>{_alternation(PRE_QUALIFIERS)})?百分之(?P<num>{ARABIC}|{CN_NUMERAL})(?P<post>以上|以下|左右)?")
DOUBLING_RE = re.compile(r"翻(?:了)?(?P<times>一|两|二|三|四)?番")
YEAR_PARTS = {"底": "{y}-12", "末": "{y}-12", "初": "{y}-01", "前三季度": "{y}-01/{y}-09", "上半年": "{y}-01/{y}-06",
              "下半年": "{y}-07/{y}-12", "全年": "{y}", "一季度": "{y}-01/{y}-03", "二季度": "{y}-04/{y}-06",
              "三季度": "{y}-07/{y}-09", "四季度": "{y}-10/{y}-12"}


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


def read_numeral(text: str) -> Decimal:
    """An Arabic or Chinese numeral as a Decimal. A leading bare 百/千 means one hundred/thousand."""
    if re.fullmatch(ARABIC, text):
        return Decimal(text.replace(",", ""))
    if text[0] in "百千万亿":
        text = "一" + text
    # Imported on first use: importing cn2an compiles its patterns (~0.3 s), a cost the Sphinx
    # build, which imports this module and reads no Chinese numeral, would pay for nothing.
    import cn2an

    return Decimal(cn2an.cn2an(text, "normal"))


def find_mentions(text: str) -> list[Mention]:
    """Every quantity mention in ``text``, in order of position."""
    taken = [False] * len(text)
    mentions: list[Mention] = []

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = [True] * (end - start)
        return True

    for start, end, _why in non_quantity_spans(text):
        claim(start, end)
    for finder in (_plan_periods, _year_dates, _month_days, _doublings, _spoken_percents, _quantities):
        for mention in finder(text):
            if claim(mention.start, mention.end):
                mentions.append(mention)
    return sorted(mentions, key=lambda m: m.start)


def parse(exact: str, prefix: str = "", suffix: str = "") -> Mention:
    """The one mention that spans all of ``exact``, read in its context (a TextQuoteSelector's
    prefix and suffix: “十四五” is a plan period only between its quotes); ValueError otherwise."""
    start, end = len(prefix), len(prefix) + len(exact)
    for mention in find_mentions(prefix + exact + suffix):
        if (mention.start, mention.end) == (start, end):
            return replace(mention, start=0, end=len(exact))
    inside = [m.exact for m in find_mentions(prefix + exact + suffix) if m.start < end and m.end > start]
    found = ", ".join(repr(e) for e in inside) or "no quantity"
    raise ValueError(f"'{exact}' does not parse as one quantity in its context (found {found})")


def _plan_periods(text):
    for m in PLAN_PERIOD_RE.finditer(text):
        number = 10 + int(read_numeral(m["n"]))
        first = 1966 + 5 * (number - 3)  # the plans run in unbroken five-year steps since the Third (1966)
        yield Mention(m.start(), m.end(), m[0], None, None, None, "period", "period", iso=f"{first}/{first + 4}")


def _year_dates(text):
    for m in YEAR_DATE_RE.finditer(text):
        year = m["year"]
        if m["part"]:
            iso, kind = YEAR_PARTS[m["part"].lstrip("第")].format(y=year), "period"
        elif m["month"]:
            iso, kind = f"{year}-{int(m['month']):02d}" + (f"-{int(m['day']):02d}" if m["day"] else ""), "date"
        else:
            iso, kind = year, "date"
        yield Mention(m.start(), m.end(), m[0], None, None, None, "date", kind, iso=iso)


def _month_days(text):
    for m in MONTH_DAY_RE.finditer(text):
        iso = f"--{int(m['month']):02d}-{int(m['day']):02d}"
        yield Mention(m.start(), m.end(), m[0], None, None, None, "date", "date", iso=iso)


def _doublings(text):
    for m in DOUBLING_RE.finditer(text):
        times = int(read_numeral(m["times"])) if m["times"] else 1
        value = float(2 ** times)
        yield Mention(m.start(), m.end(), m[0], value, value, value, "multiplier", "multiplier")


def _spoken_percents(text):
    """百分之八 = 8%: the numeral follows its unit."""
    for m in SPOKEN_PERCENT_RE.finditer(text):
        value = read_numeral(m["num"]) * Decimal("0.01")
        qualifier = QUALIFIER_WORDS[m["pre"] or m["post"]] if (m["pre"] or m["post"]) else ""
        lower, upper = bounds(value, qualifier, share=True)
        yield Mention(m.start(), m.end(), m[0], float(value), float(lower), float(upper), "fraction", "percent",
                      qualifier)


def _quantities(text):
    for m in QUANTITY_RE.finditer(text):
        mention = _quantity(text, m)
        if mention is not None:
            yield mention


def _quantity(text: str, m: re.Match) -> Mention | None:
    unit_text = m["unit"] or ""
    numeral = m["num"] or ""
    if not numeral or numeral in ("零", "〇"):
        return None
    if not unit_text and m["ord"] != "第" and not re.fullmatch(ARABIC, numeral):
        return None  # a bare Chinese numeral (一方面, 万物) is a word, not a quantity
    start, end = m.start(), m.end()
    verb, ordinal, post = m["verb"], m["ord"], m["post"]
    kind, unit, factor = _kind_and_unit(unit_text, ordinal)
    if verb and kind != "multiplier":
        start += len(verb)  # 增加165个: the verb belongs to the sentence, not the quantity
        verb = None
    if ordinal == "前" and kind != "rank":
        start += 1
        ordinal = None
    if post and not _post_fits(post, kind, text, end):
        end -= len(post)
        post = None
    if _is_indefinite_article(m, kind, ordinal, post):
        return None
    value = (read_numeral(numeral) if numeral else Decimal(1)) * MAGNITUDES.get(m["mag"] or "", 1) * factor
    qualifier = _qualifier(m, ordinal, kind, post)
    step = None
    if m["approx1"] or m["approx2"]:
        step = last_digit_step(read_numeral(numeral)) * factor * MAGNITUDES.get(m["mag"] or "", 1)
    lower, upper = bounds(value, qualifier, step, share=kind in ("percent", "tenths"))
    readings = {}
    if verb:  # 增加15倍 reads as ×15 (colloquial) or ×16 (increase *by* fifteen times)
        readings = {f"x{_plain(value)}": float(value), f"x{_plain(value + 1)}": float(value + 1)}
        lower, upper = min(lower, value), max(upper, value + 1)
    return Mention(start, end, text[start:end], float(value), float(lower), float(upper), unit, kind,
                   qualifier, readings)


def _kind_and_unit(unit_text: str, ordinal: str | None) -> tuple[str, str, Decimal]:
    if ordinal == "第":
        if not unit_text or unit_text in RANK_COUNTERS:
            return "rank", "rank", Decimal(1)
        return "ordinal", "ordinal", Decimal(1)
    if ordinal == "前" and unit_text in ("强", "名", "位"):
        return "rank", "rank", Decimal(1)
    if unit_text in UNITS:
        return UNITS[unit_text]
    if unit_text in COUNTERS:
        return "count", "count", Decimal(1)
    return "number", "", Decimal(1)


def _post_fits(post: str, kind: str, text: str, end: int) -> bool:
    if post in ("以上", "以下", "左右"):
        return True
    return kind == "duration"  # 内 / 来 / 以来 / 前 qualify a span of time: 四年内, 五年来, 10年前


def _is_indefinite_article(m: re.Match, kind: str, ordinal, post) -> bool:
    """一家企业, 一批平台, 又一次: 一 with a counter and nothing else is an article, not a count."""
    return (m["num"] == "一" and kind == "count" and not (m["pre"] or ordinal or post or m["mag"]
                                                            or m["approx1"] or m["approx2"]))


def _qualifier(m: re.Match, ordinal, kind: str, post) -> str:
    if kind == "scale":
        return "scale"
    if ordinal == "前":
        return "top"
    for word in (m["pre"], m["approx1"], m["approx2"], post):
        if word:
            return QUALIFIER_WORDS[word]
    return ""


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
