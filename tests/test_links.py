"""Every internal link of the published HTML resolves: the file exists, and so does the #fragment.

Runs on ``_build/html`` of this repository, which ``make test`` builds first (it depends on
``make book``). External links (http:, mailto:, …) are not followed.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


class LinksAndIds(HTMLParser):
    """The hrefs and the ids (and legacy ``name`` anchors) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.traced: list[tuple[str, str, str]] = []  # (claim | derived, its id, href) of traced numbers

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        for kind in ("claim", "derived"):
            if tag == "a" and attributes.get(f"data-{kind}") and attributes.get("href") is not None:
                self.traced.append((kind, attributes[f"data-{kind}"], attributes["href"]))
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
def pages(book_html) -> dict[Path, LinksAndIds]:
    # _static/ holds the theme's assets, among them Jinja macro files named *.html: not pages.
    return {page: parse(page) for page in sorted(book_html.rglob("*.html"))
            if page.relative_to(book_html).parts[0] != "_static"}


def broken_links(pages: dict[Path, LinksAndIds], root: Path) -> list[str]:
    """Every internal link of ``pages`` (under ``root``) whose file or #fragment does not exist."""
    problems = []
    ids_of = {page: parsed.ids for page, parsed in pages.items()}
    for page, parsed in pages.items():
        for line, href in parsed.hrefs:
            if not is_internal(href):
                continue
            parts = urlsplit(href)
            where = f"{page.relative_to(root)}:{line}: href {href!r}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if root.resolve() not in target.parents and target != root.resolve():
                problems.append(f"{where} leaves the book")
            elif not target.is_file():
                problems.append(f"{where}: no file {target.relative_to(root.resolve())}")
            elif parts.fragment and target.suffix == ".html":
                ids = ids_of.get(target) or ids_of.setdefault(target, parse(target).ids)
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: no id {unquote(parts.fragment)!r} "
                                    f"in {target.relative_to(root.resolve())}")
    return problems


def test_every_internal_link_resolves_to_a_file_and_an_id(pages, book_html):
    assert pages, "no HTML pages found"
    checked = sum(1 for parsed in pages.values() for _, href in parsed.hrefs if is_internal(href))
    assert checked > 100, f"only {checked} internal links found: is {book_html} the whole book?"
    problems = broken_links(pages, book_html)
    assert not problems, f"{len(problems)} broken internal link(s):\n" + "\n".join(problems[:50])


def test_traced_numbers_link_to_their_anchors(pages):
    """The markup contract: a claim link targets #claim-<id> and a derived link #derived-<id>."""
    traced = [link for parsed in pages.values() for link in parsed.traced]
    assert {kind for kind, _, _ in traced} == {"claim", "derived"}, "are traced numbers rendered?"
    wrong = [(kind, ref, href) for kind, ref, href in traced if urlsplit(href).fragment != f"{kind}-{ref}"]
    assert not wrong, wrong[:20]


def test_the_checker_catches_a_missing_file_and_a_missing_id(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here"><a href="b.html#there">x</a> <a href="#here">y</a>'
                                     '<a href="c.html">z</a> <a href="https://example.org/#nope">e</a></p>')
    (tmp_path / "b.html").write_text('<p id="elsewhere"></p>')
    problems = broken_links({p: parse(p) for p in sorted(tmp_path.glob("*.html"))}, tmp_path)
    assert len(problems) == 2
    assert "no id 'there' in b.html" in problems[0] and "no file c.html" in problems[1]
