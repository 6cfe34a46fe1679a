"""The prose holds no doubled word and no typed digit, and a chart's alt text speaks its figures' units."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html

from claimbook.chapter import Chapter
from claimbook.charts import Bar
from claimbook.prose import doubled_words, typed_digits

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
# Blocks a reader reads as one run of text; table cells are separate, so a column of "holds" is no double.
BLOCKS = ".//p|.//li|.//td|.//th|.//figcaption|.//dt|.//dd|.//h1|.//h2|.//h3|.//caption"


@pytest.mark.parametrize("text, found", [
    ("in the the past five years", ["the the"]),
    ("at least 1.5 billion yuan per round† per round", ["per round per round"]),
    ("The The", ["The The"]),
    ("on average 3.75 billion yuanp24.s1 a year", []),
    ("reporters Li Xingwen, Li Jinfeng and Fan Fan", []),  # a name, not a slip
    ("he said that that was all", []),
])
def test_doubled_words(text, found):
    assert doubled_words(text) == found


def test_typed_digits_ignores_roles_code_labels_list_markers_and_names():
    markdown = "\n".join([
        "(chapter-x)=", "# Title", "1. **Step.** The sha256 of W3C text, `p07.s2`,",
        "{claim}`byd-fuzhou-revenue-2025` and {constant}`MARGIN`.", "```{source-quote} p24.s2", "```",
        "A figure of 12 typed by hand, and 3.5 more.",
    ])
    assert typed_digits(markdown) == [(7, "12"), (7, "3.5")]


def _sources():
    for path in sorted(CHAPTERS.glob("*.md")):
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                yield f"{path.name} {cell['id']}", "".join(cell["source"])


@pytest.mark.parametrize("where, markdown", list(_sources()), ids=lambda v: v if " " in v or v.endswith("md") else "")
def test_no_chapter_types_a_digit_into_its_prose(where, markdown):
    assert typed_digits(markdown) == [], where


def test_no_page_of_the_built_book_doubles_a_word(book_html):
    found = []
    for page in sorted((book_html / "chapters").glob("*.html")):
        article = html.parse(str(page)).getroot().xpath('//article[contains(@class,"bd-article")]')[0]
        for hidden in article.xpath('.//*[contains(@class,"cb-tip")]|.//pre|.//code'):
            hidden.getparent().remove(hidden)
        for block in article.xpath(BLOCKS):
            found += [(page.name, d) for d in doubled_words(block.text_content())]
    assert found == []


def test_an_alt_text_speaks_the_units_of_its_figures():
    chapter = Chapter("xinhua-2026-jiangxi", "ecosystem")
    shares = [chapter.bar("battery-top-ten-share-in-jiangxi", "Battery makers"),
              chapter.bar("jiangxi-techrenovation-share-of-industrial-investment", "Technical renovation")]
    text = chapter.alt_text("Two shares", shares)
    assert "60.0%" in text and "more than" not in text and "at least 40%" in text
    with pytest.raises(ValueError, match="unit 'yuan' is not the unit of 'Battery makers'"):
        chapter.alt_text("Two shares", shares, "yuan")
    floor = chapter.bar("electronics-big-firms-revenue-floor", "Electronics firms")
    assert chapter.alt_text("Revenue", [floor]) == ("Revenue: Electronics firms, 160 billion yuan "
                                                    "(at least 160 billion yuan).")
    assert Bar("x", 1, 1, 1).unit == ""  # a bar built by hand keeps the caller's unit


SCALED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)? (?:million|billion|trillion)")


def test_no_recorded_alt_text_writes_a_scaled_number_in_full(book_html):
    cache = book_html.parent / "cache"
    texts = [alt for path in sorted(cache.glob("*.json"))
             for alt in json.loads(path.read_text(encoding="utf-8")).get("figures", {}).values()]
    assert texts, f"no recorded figure in {cache}"
    assert [t for t in texts if SCALED_NUMBER.search(t)] == []
