"""The harder forms of the genre (issue 13), one unit test each, and the promise that no text
makes the grammar raise: arbitrary strings, and random mixes of numerals, units, qualifiers and
punctuation, give well-formed mentions."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimbook.extract import extraction_rows
from claimbook.grammar import UNPARSED, find_mentions, parse

OPEN = None


def one(text):
    mentions = find_mentions(text)
    assert len(mentions) == 1, [m.exact for m in mentions]
    return mentions[0]


def same(got, want):
    return got is None and want is None or (got is not None and want is not None and math.isclose(got, want))


@pytest.mark.parametrize("text, exact, value, lower, upper, unit, kind, qualifier", [
    # approximate numerals: two neighbouring digits state both ends; 几/数 the order of magnitude
    ("八九十家企业", "八九十家", None, 80, 90, "count", "count", "range"),
    ("两三年时间", "两三年", None, 2, 3, "year", "duration", "range"),
    ("三五个人", "三五个", None, 3, 5, "count", "count", "range"),
    ("十二三岁的孩子", "十二三岁", None, 12, 13, "year", "age", "range"),
    ("七八成的社员", "七八成", None, 0.7, 0.8, "fraction", "tenths", "range"),
    ("三四十万元", "三四十万元", None, 300_000, 400_000, "yuan", "money", "range"),
    ("十几家院所", "十几家", 10, 10, 20, "count", "count", "and more"),
    ("二十几个村", "二十几个", 20, 20, 30, "count", "count", "and more"),
    ("几十台机器人", "几十台", 10, 10, 100, "count", "count", "scale"),
    ("数十亿元资本", "数十亿元", 1e9, 1e9, 1e10, "yuan", "money", "scale"),
    ("好几百名志愿者", "几百名", 100, 100, 1000, "count", "count", "scale"),
    ("上百家企业", "上百家", 100, 100, OPEN, "count", "count", "more than"),
    ("营收过万亿元", "过万亿元", 1e12, 1e12, OPEN, "yuan", "money", "more than"),
    # fractions and halves: shares, under the ceiling 1
    ("约占三分之一", "三分之一", 1 / 3, 1 / 3, 1 / 3, "fraction", "fraction", ""),
    ("全省1/3的县", "1/3", 1 / 3, 1 / 3, 1 / 3, "fraction", "fraction", ""),
    ("千分之五的概率", "千分之五", 0.005, 0.005, 0.005, "fraction", "fraction", ""),
    ("三分之二以上的企业", "三分之二以上", 2 / 3, 2 / 3, 1, "fraction", "fraction", "more than"),
    ("百分之八十", "百分之八十", 0.8, 0.8, 0.8, "fraction", "percent", ""),
    ("一半的包裹", "一半", 0.5, 0.5, 0.5, "fraction", "fraction", ""),
    ("一半以上的村", "一半以上", 0.5, 0.5, 1, "fraction", "fraction", "more than"),
    ("贡献了过半的税收", "过半", 0.5, 0.5, 1, "fraction", "fraction", "more than"),
    ("半数企业", "半数", 0.5, 0.5, 0.5, "fraction", "fraction", ""),
    ("大半村民", "大半", 0.5, 0.5, 1, "fraction", "fraction", "more than"),
    # percentage points: their own kind
    ("提高3.2个百分点", "3.2个百分点", 0.032, 0.032, 0.032, "fraction", "percentage_points", ""),
    # ranges: both ends, a scale word shared
    ("需要3至5年", "3至5年", None, 3, 5, "year", "duration", "range"),
    ("培育3-5家", "3-5家", None, 3, 5, "count", "count", "range"),
    ("建设3~5个", "3~5个", None, 3, 5, "count", "count", "range"),
    ("奖励10万—20万元", "10万—20万元", None, 1e5, 2e5, "yuan", "money", "range"),
    ("授信5—10亿元", "5—10亿元", None, 5e8, 1e9, "yuan", "money", "range"),
    ("补贴1000—2万元", "1000—2万元", None, 1000, 20_000, "yuan", "money", "range"),
    ("再降10%-15%", "10%-15%", None, 0.1, 0.15, "fraction", "percent", "range"),
    ("三至六个月", "三至六个月", None, 3, 6, "month", "duration", "range"),
    # 多 after 倍 or a span of time: one unit more at most; 半 adds a half
    ("是十年前的4倍多", "4倍多", 4, 4, 5, "multiplier", "multiplier", "and more"),
    ("坚守了6年多", "6年多", 6, 6, 7, "year", "duration", "and more"),
    ("用了1个多月", "1个多月", 1, 1, 2, "month", "duration", "and more"),
    ("用了一年半", "一年半", 1.5, 1.5, 1.5, "year", "duration", ""),
    # 近 before a span of time: the recent past, unless a verb makes it a length
    ("近三年，全省", "近三年", 3, 3, 3, "year", "duration", "since"),
    ("近十年来", "近十年来", 10, 10, 10, "year", "duration", "since"),
])
def test_hard_forms(text, exact, value, lower, upper, unit, kind, qualifier):
    m = next(m for m in find_mentions(text) if m.exact == exact)
    assert (m.unit, m.kind, m.qualifier) == (unit, kind, qualifier)
    assert same(m.value, value) and same(m.lower, lower) and same(m.upper, upper), (m.value, m.lower, m.upper)


def test_a_change_from_a_to_b_keeps_both_ends():
    m = one("吞吐量从0到28万标箱。")
    assert (m.exact, m.value, m.from_value, m.unit, m.qualifier) == ("从0到28万标箱", 280_000, 0, "TEU", "from")


def test_a_unitless_from_to_stays_a_figure_of_speech():
    assert find_mentions("“从1到100”快速壮大") == []


@pytest.mark.parametrize("text, directions", [
    ("能耗下降5.2%。", ["fall"]),
    ("审批事项减少120项。", ["fall"]),
    ("运营成本降低16.1%。", ["fall"]),
    ("分别压减68%和80%。", ["fall", "fall"]),
    ("就减少各类检查超过30%。", ["fall"]),
    ("营收增长8.6%，利润下降3.1%。", ["rise", "fall"]),
    ("使用量降至12万吨。", [""]),  # the level reached, not the change
    ("新增企业2557个。", [""]),
    ("下降的企业有30家。", [""]),
])
def test_the_direction_of_a_change_is_its_own_column_and_the_value_stays_positive(text, directions):
    mentions = find_mentions(text)
    assert [m.direction for m in mentions] == directions
    assert all(m.value > 0 for m in mentions)


@pytest.mark.parametrize("text, iso, kind", [
    ("2025年06月02日，首趟班列", "2025-06-02", "date"),
    ("2025年6月，新厂房", "2025-06", "date"),
    ("二〇二五年六月二日", "2025-06-02", "date"),
    ("二〇二四年十二月三十一日", "2024-12-31", "date"),
    ("今年6月，园区", "--06", "date"),
    ("2021—2025年，全省", "2021/2025", "period"),
    ("2021-2025年", "2021/2025", "period"),
])
def test_dates_as_newspapers_print_them(text, iso, kind):
    m = one(text)
    assert (m.iso, m.kind, m.value) == (iso, kind, None)


def test_near_with_a_verb_of_duration_is_an_approximate_length():
    m = one("工程历时近两年完工")
    assert (m.exact, m.qualifier, m.upper) == ("近两年", "nearly", 2)


@pytest.mark.parametrize("text", [
    "市县两级联动", "省市县三级", "“一产一策”专项支持", "6G、量子科技", "千方百计稳就业", "送到千家万户",
    "坚持“两个确立”", "驻村第一书记", "发展第三产业", "三三两两的游客", "三五成群", "共建“一带一路”",
    "一二线城市", "大半年过去", "半导体产业", "经过半年", "几十年如一日", "数据显示", "人数众多", "线上线下",
])
def test_things_that_are_not_quantities(text):
    assert find_mentions(text) == []


@pytest.mark.parametrize("text, exact", [("共有九九八十一家", "九九八十一家"),
                                         ("一百二十三四十家", "一百二十三四十家")])
def test_a_numeral_the_grammar_cannot_read_is_kept_unparsed(text, exact):
    m = one(text)
    assert (m.exact, m.kind, m.value, m.lower, m.upper) == (exact, UNPARSED, None, None, None)


def test_parse_reads_the_new_forms_in_context():
    assert parse("八九十家", "集聚了", "配套企业").lower == 80
    assert parse("16.5%", "平均降低", "，运营").direction == "fall"


# --- no text makes it raise ---------------------------------------------------------------------

PIECES = st.sampled_from([
    "一", "二", "两", "三", "五", "七", "八", "九", "十", "百", "千", "万", "亿", "零", "〇", "几", "数", "半", "分之",
    "百分之", "0", "1", "3", "12", "2025", "1.5", "1,250", ".", ",", "/", "-", "—", "~", "至", "到", "从", "年", "月",
    "日", "个", "家", "元", "%", "％", "倍", "成", "个百分点", "级", "岁", "标箱", "多", "余", "近", "超过", "以上",
    "左右", "不到", "约", "上", "过", "第", "前", "来", "内", "降低", "增长", "压减", "和", "、", "，", "。", "“", "”",
    "G", "十四五", "一半", "过半", "大半", "\n", " ",
])
MIXES = st.lists(PIECES, max_size=40).map("".join)


def assert_well_formed(text):
    for m in find_mentions(text):
        assert 0 <= m.start < m.end <= len(text)
        assert m.exact == text[m.start:m.end]
        for number in (m.value, m.lower, m.upper, m.from_value):
            assert number is None or math.isfinite(number)
        if m.kind != UNPARSED and None not in (m.lower, m.upper):
            assert m.lower <= m.upper


@settings(max_examples=400, deadline=None)
@given(MIXES)
def test_random_mixes_of_numerals_units_and_qualifiers_never_raise(text):
    assert_well_formed(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_raises(text):
    assert_well_formed(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join))
def test_the_extractor_rows_of_any_text_are_well_formed(text):
    for row in extraction_rows(text):
        start, end = int(row["start"]), int(row["end"])
        assert start < end and row["exact"] == text[start:end]
