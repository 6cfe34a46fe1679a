"""Scholarly metadata on every page of the published book, as Zotero and Google Scholar read it:
Highwire tags, schema.org JSON-LD and OpenGraph, from CITATION.cff and the data package."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimbook import citation
from claimbook.audit import content_pages, parse_html

REPO = Path(__file__).resolve().parent.parent
CFF = citation.load_citation(REPO / "CITATION.cff")
RELEASED = citation.release_date(CFF)  # "2026-12-01"
ROOT_PAGE = "chapters/intro.html"


def head_of(path: Path):
    return parse_html(path.read_text(encoding="utf-8")).find("head")


def metas(head, attribute: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in head.iter("meta"):
        if meta.get(attribute):
            found.setdefault(meta.get(attribute), []).append(meta.get("content"))
    return found


def json_ld(head) -> list[dict]:
    scripts = [s.text for s in head.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    document = json.loads(scripts[0])
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


def resolves(page: Path, url: str) -> bool:
    return (page.parent / url).resolve().is_file()


def page_title(path: Path) -> str:
    article = parse_html(path.read_text(encoding="utf-8")).xpath("//article//h1")[0]
    return "".join(t for t in article.itertext() if t != "#").strip()


@pytest.fixture(scope="module")
def pages(book_html) -> list[Path]:
    found = content_pages(book_html)
    assert len(found) > 10
    return found


def test_every_page_carries_highwire_tags_for_zotero_and_scholar(book_html, pages):
    for page in pages:
        tags = metas(head_of(page), "name")
        name = page.relative_to(book_html).as_posix()
        is_book = name == ROOT_PAGE
        assert tags["citation_title"] == [str(CFF["title"]) if is_book else page_title(page)], name
        assert tags["citation_author"] == ["The claimbook team"], name
        assert tags["citation_publication_date"] == [RELEASED.replace("-", "/")], name
        (pdf,) = tags["citation_pdf_url"]
        assert pdf.endswith("book.pdf") and resolves(page, pdf), name
        if is_book:
            assert "citation_inbook_title" not in tags
        else:
            assert tags["citation_inbook_title"] == [str(CFF["title"])], name


def test_every_page_describes_itself_in_json_ld(book_html, pages):
    for page in pages:
        graph = json_ld(head_of(page))
        name = page.relative_to(book_html).as_posix()
        if name == ROOT_PAGE:
            book, dataset = graph
            assert book["@type"] == "Book" and dataset["@type"] == "Dataset"
            assert book["name"] == str(CFF["title"]) and book["version"] == str(CFF["version"])
            assert book["datePublished"] == RELEASED
            downloads = {d["encodingFormat"]: d["contentUrl"] for d in dataset["distribution"]}
            assert set(downloads) == {"application/zip", "application/json"}
            assert all(resolves(page, url) for url in downloads.values())
            package = json.loads((book_html / "data" / "datapackage.json").read_text(encoding="utf-8"))
            assert dataset["name"] == package["title"] and dataset["license"] == package["licenses"][0]["path"]
        else:
            (chapter,) = graph
            assert chapter["@type"] == "Chapter" and chapter["name"] == page_title(page), name
            assert chapter["isPartOf"]["@type"] == "Book" and chapter["isPartOf"]["name"] == str(CFF["title"])
            assert resolves(page, chapter["isPartOf"]["encoding"]["contentUrl"])


def test_every_page_has_opengraph_tags(book_html, pages):
    for page in pages:
        tags = metas(head_of(page), "property")
        name = page.relative_to(book_html).as_posix()
        assert tags["og:site_name"] == [str(CFF["title"])], name
        assert tags["og:type"] == ["book" if name == ROOT_PAGE else "article"], name
        assert tags["og:title"][0] and tags["og:description"][0] and tags["og:url"][0], name

