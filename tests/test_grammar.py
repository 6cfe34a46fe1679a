"""Unit and property tests of the quantity grammar and the qualifier rules."""
import math
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimbook.grammar import find_mentions, parse, read_numeral
from claimbook.qualifiers import assumed_bounds, bounds, last_digit_step


def one(text):
    mentions = find_mentions(text)
    assert len(mentions) == 1, [m.exact for m in mentions]
    return mentions[0]


@pytest.mark.parametrize("text, exact, value, lower, upper, unit, kind, qualifier", [
    ("营收586.7亿元、", "586.7亿元", 58_670_000_000, 58_670_000_000, 58_670_000_000, "yuan", "money", ""),
    ("1.9万家科技型", "1.9万家", 19_000, 19_000, 19_000, "count", "count", ""),
    ("规模达到1.4万亿元。", "1.4万亿元", 1.4e12, 1.4e12, 1.4e12, "yuan", "money", ""),
    ("规模超千亿元的", "超千亿元", 1e11, 1e11, None, "yuan", "money", "more than"),
    ("吸引近百家零部件", "近百家", 100, 0, 100, "count", "count", "nearly"),
    ("增至近2万家", "近2万家", 20_000, 0, 20_000, "count", "count", "nearly"),
    ("同比增长117.8%,", "117.8%", 1.178, 1.178, 1.178, "fraction", "percent", ""),
    ("比重超过四成;", "超过四成", 0.4, 0.4, 1, "fraction", "tenths", "more than"),
    ("80%以上重点", "80%以上", 0.8, 0.8, 1, "fraction", "percent", "more than"),
    ("超过85%。", "超过85%", 0.85, 0.85, 1, "fraction", "percent", "more than"),
    ("带动周边20多家提供", "20多家", 20, 20, 30, "count", "count", "and more"),
    ("5600多件全球专利", "5600多件", 5600, 5600, 5700, "count", "count", "and more"),
    ("降了200多万元,", "200多万元", 2_000_000, 2_000_000, 3_000_000, "yuan", "money", "and more"),
    ("引进500多个项目", "500多个", 500, 500, 600, "count", "count", "and more"),
    ("从拿地到投产不到一年的", "不到一年", 1, 0, 1, "year", "duration", "less than"),
    ("约3000人参加", "约3000人", 3000, 0, None, "count", "count", "about"),
    ("增长50%左右", "50%左右", 0.5, 0, 1, "fraction", "percent", "about"),
    ("列全国第9位,", "第9位", 9, 9, 9, "rank", "rank", ""),
    ("第31次打破", "第31次", 31, 31, 31, "ordinal", "ordinal", ""),
    ("成长为第二个产业", "第二个", 2, 2, 2, "ordinal", "ordinal", ""),
    ("装机量前十强企业", "前十强", 10, 10, 10, "rank", "rank", "top"),
    ("“万亿级”产业", "万亿级", 1e12, 1e12, 1e13, "yuan", "scale", "scale"),
    ("四年内连续", "四年内", 4, 4, 4, "year", "duration", "within"),
    ("五年来,公司", "五年来", 5, 5, 5, "year", "duration", "since"),
    ("比10年前增加", "10年前", 10, 10, 10, "year", "duration", "ago"),
    ("14个月就取得", "14个月", 14, 14, 14, "month", "duration", ""),
    ("实现翻番,", "翻番", 2, 2, 2, "multiplier", "multiplier", ""),
    ("翻两番", "翻两番", 4, 4, 4, "multiplier", "multiplier", ""),
    ("增加了3个百分点", "3个百分点", 0.03, 0.03, 0.03, "fraction", "percentage_points", ""),
    ("1,250家企业", "1,250家", 1250, 1250, 1250, "count", "count", ""),
    ("3.5万吨", "3.5万吨", 35_000, 35_000, 35_000, "tonne", "measure", ""),
    ("从百分之八提升", "百分之八", 0.08, 0.08, 0.08, "fraction", "percent", ""),
    ("装机百万千瓦以上的", "百万千瓦以上", 1e6, 1e6, None, "kW", "measure", "more than"),
])
def test_quantities(text, exact, value, lower, upper, unit, kind, qualifier):
    m = one(text)
    assert (m.exact, m.unit, m.kind, m.qualifier) == (exact, unit, kind, qualifier)
    assert text[m.start:m.end] == exact
    for got, want in ((m.value, value), (m.lower, lower), (m.upper, upper)):
        assert got is None if want is None else math.isclose(got, want, rel_tol=1e-12)


@pytest.mark.parametrize("text, assumed_lower, assumed_upper", [
    ("规模超千亿元的", None, 1.1e11),
    ("吸引近百家零部件", 90, None),
    ("从拿地到投产不到一年的", 0.9, None),
    ("超过85%。", None, 0.935),
    ("比重超过95%。", None, 1),  # a share assumed past the whole stops at the whole
    ("约3000人参加", 2850, 3150),
    ("“万亿级”产业", None, None),  # the order of magnitude is the words' own reading: nothing assumed
    ("带动周边20多家提供", None, None),  # 多 states both ends: nothing to assume
    ("营收586.7亿元、", None, None),
])
def test_the_assumed_margin_fills_only_the_sides_the_words_leave_open(text, assumed_lower, assumed_upper):
    m = one(text)
    for got, want in ((m.assumed_lower, assumed_lower), (m.assumed_upper, assumed_upper)):
        assert got is None if want is None else math.isclose(got, want, rel_tol=1e-12)


def test_increase_by_times_keeps_both_readings():
    m = one("增加15倍。")
    assert m.exact == "增加15倍"
    assert m.readings == {"x15": 15.0, "x16": 16.0}
    assert (m.value, m.lower, m.upper) == (15, 15, 16)


def test_plain_multiple_is_not_ambiguous():
    m = one("是全国平均水平的2倍")
    assert (m.exact, m.readings, m.upper) == ("2倍", {}, 2)


def test_verb_is_not_part_of_a_count():
    assert one("同比增加165个。").exact == "165个"


@pytest.mark.parametrize("text, iso, kind", [
    ("1月13日,国内", "--01-13", "date"),
    ("2025年底,江西", "2025-12", "period"),
    ("2025年前三季度,新增", "2025-01/2025-09", "period"),
    ("企业2025年产值", "2025", "date"),
    ("2024年3月5日", "2024-03-05", "date"),
    ("“十四五”期间", "2021/2025", "period"),
    ("“十五五”稳健起步", "2026/2030", "period"),
    ("“十三五”时期", "2016/2020", "period"),
])
def test_dates_and_periods(text, iso, kind):
    m = one(text)
    assert (m.iso, m.kind, m.value) == (iso, kind, None)


def test_two_ranks_in_a_list():
    assert [(m.exact, m.value, m.kind) for m in find_mentions("分别位列全国第三、第四。")] == [
        ("第三", 3, "rank"), ("第四", 4, "rank")]


@pytest.mark.parametrize("text", [
    "一个个振奋人心的故事", "一批国家级创新平台", "6G、量子科技", "“一产一策”专项支持", "“十百千万”工程",
    "“从1到100”快速壮大", "每万人高价值发明专利", "一家制药企业", "一项创新技术", "又一次增资", "全国统一大市场",
    "零部件配套", "一石惊起千层浪", "“政产学研用金”六位一体", "赋能万千企业", "一方面推动",
])
def test_non_quantities(text):
    assert find_mentions(text) == []


def test_full_width_and_ascii_punctuation_give_the_same_values():
    ascii_text = "投入4.5亿元,撬动近56亿元;占比超过85%:"
    full_width = ascii_text.replace(",", "，").replace(";", "；").replace(":", "：")
    assert [(m.exact, m.value, m.upper) for m in find_mentions(ascii_text)] == \
        [(m.exact, m.value, m.upper) for m in find_mentions(full_width)]


def test_parse_needs_the_exact_span_in_its_context():
    assert parse("十四五", "翻开江西“", "”发展成绩单").iso == "2021/2025"
    with pytest.raises(ValueError, match="does not parse"):
        parse("一方面")  # a bare Chinese numeral in a word is not a quantity
    with pytest.raises(ValueError, match="does not parse"):
        parse("5510家、294家")


@pytest.mark.parametrize("numeral, step", [("20", 10), ("5600", 100), ("1.9", "0.1"), ("7", 1), ("586.7", "0.1")])
def test_last_digit_step(numeral, step):
    assert last_digit_step(Decimal(numeral)) == Decimal(str(step))


def test_qualifier_bounds_are_ordered_for_every_qualifier():
    for qualifier in ("", "nearly", "less than", "more than", "about", "scale", "top", "within", "since", "ago"):
        lower, upper = bounds(Decimal(50), qualifier)
        assert (lower is None or lower <= 50) and (upper is None or 50 <= upper)
        low, high = assumed_bounds(Decimal(50), qualifier)
        assert (low is None or low <= 50) and (high is None or 50 <= high)
    assert bounds(Decimal("0.95"), "more than", share=True) == (Decimal("0.95"), Decimal(1))
    with pytest.raises(ValueError):
        bounds(Decimal(20), "and more")


@pytest.mark.parametrize("qualifier, stated", [
    ("nearly", (Decimal(0), Decimal(50))), ("less than", (Decimal(0), Decimal(50))),
    ("more than", (Decimal(50), None)), ("about", (Decimal(0), None)), ("scale", (Decimal(50), Decimal(500))),
    ("top", (Decimal(50), Decimal(50))), ("", (Decimal(50), Decimal(50))),
])
def test_stated_bounds_hold_only_what_the_words_state_and_physical_limits(qualifier, stated):
    assert bounds(Decimal(50), qualifier, kind="count") == stated


def test_a_change_in_percentage_points_may_fall_so_nothing_limits_it_below():
    assert bounds(Decimal("0.03"), "nearly", kind="percentage_points") == (None, Decimal("0.03"))
    assert bounds(Decimal("0.03"), "more than", kind="percentage_points") == (Decimal("0.03"), None)


@pytest.mark.parametrize("margin, expected", [("0.05", "0.95"), ("0.1", "0.9"), ("0.2", "0.8")])
def test_the_assumed_margin_is_a_parameter(margin, expected):
    assert assumed_bounds(Decimal(1), "nearly", margin=Decimal(margin)) == (Decimal(expected), None)


COUNTERS = st.sampled_from(["家", "个", "项", "条", "件", "批", "位", "人", "台"])


@given(st.integers(min_value=2, max_value=99_999_999), COUNTERS)
def test_chinese_numerals_round_trip(number, counter):
    numeral = cn2an.an2cn(number)
    m = one(f"共有{numeral}{counter}企业")
    assert m.value == number and m.exact == numeral + counter


@given(st.integers(min_value=1, max_value=10**7), st.integers(min_value=0, max_value=2),
       st.sampled_from(["", "万", "亿"]), st.sampled_from(["元", "家", "%"]))
def test_arabic_numerals_round_trip(digits, decimals, magnitude, unit):
    numeral = str(Decimal(digits).scaleb(-decimals))
    m = one(f"达到{numeral}{magnitude}{unit},")
    scale = {"": 1, "万": 10**4, "亿": 10**8}[magnitude] * (Decimal("0.01") if unit == "%" else 1)
    assert m.value == float(Decimal(numeral) * scale)
    assert read_numeral(numeral) == Decimal(numeral)


@given(st.integers(min_value=1, max_value=99_999))
def test_and_more_spans_one_step_of_the_last_digit(number):
    m = one(f"{number}多家")
    step = 10 ** (len(str(number)) - len(str(number).rstrip("0")))
    assert (m.lower, m.upper) == (number, number + step)
