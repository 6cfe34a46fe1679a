"""Every internal link of the published HTML resolves: the file exists, and so does the #fragment.

Runs on ``_build/html`` of this repository, which ``make test`` builds first (it depends on
``make book``). External links (http:, mailto:, …) are not followed.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

HTML = Path(__file__).resolve().parent.parent / "_build" / "html"


class LinksAndIds(HTMLParser):
    """The hrefs and the ids (and legacy ``name`` anchors) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[tuple[int, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        if tag in ("a", "link", "area") and attributes.get("href") is not None:
            self.hrefs.append((self.getpos()[0], attributes["href"]))
        # index.html is a redirect: <meta http-equiv="Refresh" content="0; url=chapters/intro.html">
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            _, _, url = (attributes.get("content") or "").partition("url=")
            if url:
                self.hrefs.append((self.getpos()[0], url.strip()))

    handle_startendtag = handle_starttag


def parse(page: Path) -> LinksAndIds:
    parser = LinksAndIds()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def is_internal(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc


@pytest.fixture(scope="module")
def pages() -> dict[Path, LinksAndIds]:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} holds no built book: run `make book` (or `make test`, which builds it first)")
    # _static/ holds the theme's assets, among them Jinja macro files named *.html: not pages.
    return {page: parse(page) for page in sorted(HTML.rglob("*.html"))
            if page.relative_to(HTML).parts[0] != "_static"}


def broken_links(pages: dict[Path, LinksAndIds]) -> list[str]:
    problems = []
    ids_of = {page: parsed.ids for page, parsed in pages.items()}
    for page, parsed in pages.items():
        for line, href in parsed.hrefs:
            if not is_internal(href):
                continue
            parts = urlsplit(href)
            where = f"{page.relative_to(HTML)}:{line}: href {href!r}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if HTML.resolve() not in target.parents and target != HTML.resolve():
                problems.append(f"{where} leaves the book")
            elif not target.is_file():
                problems.append(f"{where}: no file {target.relative_to(HTML.resolve())}")
            elif parts.fragment and target.suffix == ".html":
                ids = ids_of.get(target) or ids_of.setdefault(target, parse(target).ids)
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: no id {unquote(parts.fragment)!r} in {target.relative_to(HTML.resolve())}")
    return problems


def test_every_internal_link_resolves_to_a_file_and_an_id(pages):
    assert pages, "no HTML pages found"
    checked = sum(1 for parsed in pages.values() for _, href in parsed.hrefs if is_internal(href))
    assert checked > 100, f"only {checked} internal links found: is {HTML} the whole book?"
    problems = broken_links(pages)
    assert not problems, f"{len(problems)} broken internal link(s):\n" + "\n".join(problems[:50])


def test_traced_numbers_link_to_their_anchors(pages):
    """The markup contract: a claim link targets #claim-<id> and a derived link #derived-<id>."""
    claim_links = [href for parsed in pages.values() for _, href in parsed.hrefs if "#claim-" in href]
    derived_links = [href for parsed in pages.values() for _, href in parsed.hrefs if "#derived-" in href]
    assert claim_links and derived_links, "no links to claim or derived anchors: are traced numbers rendered?"


def test_the_checker_catches_a_missing_file_and_a_missing_id(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here"><a href="b.html#there">x</a> <a href="#here">y</a>'
                                     '<a href="c.html">z</a> <a href="https://example.org/#nope">e</a></p>')
    (tmp_path / "b.html").write_text('<p id="elsewhere"></p>')
    global HTML
    saved, HTML = HTML, tmp_path
    try:
        problems = broken_links({p: parse(p) for p in sorted(tmp_path.glob("*.html"))})
    finally:
        HTML = saved
    assert len(problems) == 2
    assert "no id 'there' in b.html" in problems[0] and "no file c.html" in problems[1]
