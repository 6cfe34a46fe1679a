"""Each figure of the book has its own downloads, clicked in a real browser.

Under every chart a reader finds "Download this figure: data (CSV) · SVG · PNG". Each link is
clicked in Debian's Chromium (see conftest.py) and the file that arrives must be what it claims to
be: the CSV the plotted rows, each naming the claims, sentences and bounds it comes from, and
agreeing with the figure's alt text; the SVG an SVG drawing; the PNG a PNG picture.
"""
from __future__ import annotations

import csv
import io
import math
import re
import struct
from pathlib import Path
from xml.etree import ElementTree

from claimbook.derived import evaluate_all
from claimbook.registry import format_number

from tools import download

CSV_COLUMNS = ["label", "id", "type", "value", "lower", "upper", "unit", "claim_ids", "sentence_ids"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def figure_pages(book_html: Path) -> list[str]:
    return sorted(p.stem for p in (book_html / "chapters").glob("*.html")
                  if "<figure" in p.read_text(encoding="utf-8"))


def test_every_figure_of_the_book_has_its_three_downloads(book_html):
    pages = figure_pages(book_html)
    assert {"headline", "ecosystem", "innovation", "business", "firms", "sensitivity"} <= set(pages)
    for page in pages:
        text = (book_html / "chapters" / f"{page}.html").read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="cb-figure[^"]*" id="(fig-[^"]+)"', text)
        assert figures and len(figures) == text.count("<figure"), f"{page}: a figure not made by Chapter.figure"
        numbers = re.findall(r'<span class="caption-number">Fig\. ([\d.]+) </span>', text)
        assert len(numbers) == len(figures), f"{page}: a figure without its number"
        for name in figures:
            stem = name.removeprefix("fig-")
            for suffix in ("csv", "svg", "png"):
                assert re.search(rf'download="" href="[^"]*/{re.escape(stem)}\.{suffix}"', text), f"{name}.{suffix}"


def check_csv(content: bytes, alt: str, registry, derived) -> int:
    """The plotted rows: each named in the alt text; a bar's row names its claim or derived figure,
    the claims behind it, their sentences and the stated bounds; other charts' rows name the ids they
    come from."""
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert rows and rows[0]["label"]
    for row in rows:
        assert row["label"] in alt, f"{row['label']!r} is plotted but the alt text does not name it"
        if list(row) != CSV_COLUMNS:  # the robustness chapter's charts: figures and inputs by id
            assert row.get("derived_id") in derived
            assert not row.get("claim_id") or row["claim_id"] in registry.claims
            continue
        if row["type"] == "claim":
            claim = registry.claims[row["id"]]
            assert row["claim_ids"] == claim.claim_id
            assert row["sentence_ids"] == f"{claim.source_id}:{claim.sentence_id}"
            assert (row["lower"], row["upper"]) == (bound(claim.lower), bound(claim.upper))
        elif row["type"] == "derived":
            assert row["id"] in derived and row["claim_ids"]
            for claim_id in row["claim_ids"].split(";"):
                claim = registry.claims[claim_id]
                assert f"{claim.source_id}:{claim.sentence_id}" in row["sentence_ids"].split(";")
        float(row["value"])
    return len(rows)


def bound(value) -> str:
    """A stated bound as the CSV writes it; an open side is empty."""
    return "" if value is None or math.isinf(value) else format_number(value)


def check_svg(content: bytes) -> None:
    root = ElementTree.fromstring(content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def check_png(content: bytes) -> None:
    assert content[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", content[16:24])  # the IHDR chunk
    assert width > 300 and height > 100, (width, height)


def test_clicking_each_figures_downloads_delivers_its_data_and_pictures(browser_page, book_url, book_html,
                                                                           registry):
    derived = evaluate_all(registry, "point")
    checked = 0
    for name in figure_pages(book_html):
        browser_page.goto(f"{book_url}/chapters/{name}.html")
        for figure in browser_page.locator("figure.cb-figure").all():
            alt = figure.locator("img").get_attribute("alt")
            links = figure.locator("xpath=following-sibling::p[1]").locator("a.cb-download")
            assert [links.nth(i).inner_text() for i in range(links.count())] == ["data (CSV)", "SVG", "PNG"]
            rows = check_csv(download(browser_page, links.nth(0)), alt, registry, derived)
            check_svg(download(browser_page, links.nth(1)))
            check_png(download(browser_page, links.nth(2)))
            assert rows >= 1
            checked += 1
    assert checked >= 9, f"only {checked} figures checked"
