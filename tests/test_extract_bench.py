"""The extractor benchmark: the peers' readings normalised, the table, and the book's page."""
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from claimbook.errors import DataError
from claimbook.extractbench import peers
from claimbook.extractbench.corpus import load_held_out
from claimbook.extractbench.run import cpu_rate, table
from claimbook.grammar import find_mentions

RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "extract.json"


def test_peer_dates_are_read_at_the_granularity_they_state():
    assert peers._iso_of("2025-06-02 00:00:00", "2025-06-02 23:59:59") == "2025-06-02"
    assert peers._iso_of("2025-06-01 00:00:00", "2025-06-30 23:59:59") == "2025-06"
    assert peers._iso_of("2025-01-01 00:00:00", "2025-12-31 23:59:59") == "2025"
    assert peers._iso_of("2021-01-01 00:00:00", "2025-12-31 23:59:59") == "2021/2025"
    assert peers._timex("XXXX-06", {}) == {"iso": "--06"}
    assert peers._timex("(2023-12-01,2026-12-01,P3Y)", {"start": "2023-12-01", "end": "2026-12-01"}) == \
        {"value": 3.0, "iso": ""}


def test_peer_amounts_keep_both_ends_of_an_interval():
    assert peers._amount(["2000000.00", "3000000.00"]) == {"value": None, "lower": 2e6, "upper": 3e6}
    assert peers._amount("586.7") == {"value": 586.7, "lower": 586.7, "upper": 586.7}
    assert peers._recognizers_value("percentage", {"value": "16.5%"}) == {"value": 0.165}


def test_the_held_out_articles_are_located_in_order():
    articles = load_held_out()
    for article in articles:
        assert all(article.text[row.start:row.end] == row.exact for row in article.rows)
        assert [row.start for row in article.rows] == sorted(row.start for row in article.rows)


def test_a_held_out_row_not_in_its_article_is_named(tmp_path):
    genre = Path(__file__).resolve().parent / "fixtures" / "genre"
    copy = tmp_path / "tests" / "fixtures" / "genre"
    shutil.copytree(genre, copy)
    labelled = copy / "anhui-nev.expected.csv"
    lines = labelled.read_text(encoding="utf-8").split("\n")
    lines[2] = "不在文中," + lines[2].split(",", 1)[1]  # the second row's words are not in the article
    labelled.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match=r"anhui-nev.expected.csv, row 3, column 'exact': '不在文中' is not in"):
        load_held_out(("anhui-nev",), root=tmp_path)


def test_speed_is_measured_in_characters_per_cpu_second():
    assert cpu_rate(find_mentions, ["增长5%，近三年。"]) > 0


def test_the_table_names_every_system_and_form():
    report = json.loads(RESULTS.read_text(encoding="utf-8"))
    text = table(report)
    for name in report["systems"]:
        assert name in text
    for form in report["corpus"]["forms"]:
        assert f"\n{form} |" in text


def test_the_book_shows_the_committed_extractor_results(book_html):
    report = json.loads(RESULTS.read_text(encoding="utf-8"))
    soup = BeautifulSoup((book_html / "chapters" / "extractor-benchmark.html").read_text(encoding="utf-8"),
                         "html.parser")
    measures = {span.get_text() for span in soup.select("span.cb-measure")}
    ours = report["systems"]["claimbook"]
    assert f"{ours['article_chars_per_second']:,}" in measures
    assert f"{100 * ours['forms']['all']['recall']:.0f}%" in measures
    assert {"Recognizers-Text", "JioNLP"} <= set(report["systems"])
