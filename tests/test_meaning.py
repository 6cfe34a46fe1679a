"""What kind of statement a number is, who states it and for when: the rules, and where a reader sees them."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from claimbook.meaning import (
    expected_attribution,
    expected_modality,
    in_quoted_speech,
    meaning_lines,
    speaker_name,
    statement_text,
    states_time,
)
from claimbook.qualitative import problems as qualitative_problems
from claimbook.registry import Registry


def test_a_cue_before_the_number_in_its_clause_sets_the_modality():
    sentence = "继电子信息后,有色金属有望成长为第二个“万亿级”产业,全省规上工业企业规模增至近2万家"
    assert expected_modality(sentence, sentence.index("第二个")) == ("expectation", "有望")
    assert expected_modality(sentence, sentence.index("近2万家")) == ("fact", "")  # another clause
    assert expected_modality("力争到2030年产值达到100亿元", 12) == ("target", "力争")
    assert expected_modality("计划投资5亿元", 4) == ("plan", "计划")


def test_the_words_naming_a_source_are_the_latest_and_longest_before_the_number():
    sentence = "根据对全省7500家投资完成数智化改造的企业统计数据显示,产品不良率平均降低16.5%"
    assert expected_attribution(sentence, sentence.index("16.5%")) == "统计数据显示"
    assert expected_attribution(sentence, sentence.index("7500家")) == ""
    assert expected_attribution("据统计,16家企业", 4) == "据统计"


def test_quoted_speech_is_a_quoted_sentence_not_a_quoted_name():
    paragraph = "公司总经理施军说:“企业2025年产值近5亿元,比10年前增加15倍。”"
    assert in_quoted_speech(paragraph, paragraph.index("近5亿元"))
    named = "实现“十四五”顺利收官"
    assert not in_quoted_speech(named, named.index("十四五"))
    assert speaker_name("施军, general manager") == "施军"


def test_a_stated_period_needs_a_time_in_its_sentence():
    assert states_time("数据显示,目前江西省80%以上重点研发计划由企业参与实施", [])
    assert states_time("16家企业营收超100亿元", ["some-date"])
    assert not states_time("1.9万家科技型中小企业相继涌现", [])


def test_the_register_reads_as_the_article_states_it(registry):
    claims = registry.claims
    assert "expectation" in meaning_lines(claims["nonferrous-industry-scale"])[0]
    assert statement_text(claims["baoshunchang-output-2025"]).startswith("according to 施军")
    assert statement_text(claims["jiangxi-electronics-firm-revenue-threshold"]).startswith("the article cites 据统计")
    assert statement_text(claims["jiangxi-tech-smes"]) == "narrator"
    assert meaning_lines(claims["jiangxi-tech-smes"]) == ["Period: not stated"]
    assert "inferred, not stated" in meaning_lines(claims["jinko-cell-efficiency-record"])[-1]
    assert [c.claim_id for c in claims.values() if c.modality != "fact"] == [
        "nonferrous-trillion-industry-ordinal", "nonferrous-industry-scale"]


def test_every_superlative_and_first_of_the_article_is_registered_as_a_qualitative_claim(registry, tmp_path):
    import shutil

    assert qualitative_problems(registry) == []
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", data)
    rows = (data / "qualitative.csv").read_text(encoding="utf-8").splitlines()
    (data / "qualitative.csv").write_text("\n".join(r for r in rows if "全球首次" not in r) + "\n", encoding="utf-8")
    found = [str(p) for p in qualitative_problems(Registry(data))]
    assert any("'首次' in p37.s1" in p and "no row registers" in p for p in found), found


def _tip(soup, link):
    return soup.find(id=link["aria-describedby"]).get_text(" ")


def test_tooltips_say_what_kind_of_statement_and_who_states_it(book_html):
    ecosystem = BeautifulSoup((book_html / "chapters" / "ecosystem.html").read_text(encoding="utf-8"), "html.parser")
    scale = ecosystem.find("a", attrs={"data-claim": "nonferrous-industry-scale"})
    assert "An expectation" in _tip(ecosystem, scale)
    firms = BeautifulSoup((book_html / "chapters" / "firms.html").read_text(encoding="utf-8"), "html.parser")
    tips = [_tip(firms, a) for a in firms.find_all("a", attrs={"data-claim": "baoshunchang-output-2025"})
            if a.get("aria-describedby")]
    assert len(tips) > 3
    for tip in tips:  # in the prose, the quoted sentence, the caption and the table alike
        assert "According to 施军" in tip and "Period: 2025 (stated)" in tip
        assert "Stated bounds: at most 500 million yuan" in tip and "Assumed by the method, not stated: 450–500" in tip
    per_year = firms.find("a", attrs={"data-derived": "jinko-rd-investment-per-year"})
    assert "according to 陈康平" in _tip(firms, per_year)
