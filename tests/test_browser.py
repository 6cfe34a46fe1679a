"""Every number leads to its source sentence: the published book, read in a real browser.

Each test does what a reader does — click a number, hover it, tab to it, type in the claims table's
search box, use the site search — and asserts on what the page then shows. The book is the one in
``_build/html`` (``make test`` builds it first); the browser is Debian's Chromium (see conftest.py).
Screenshots of the key views land in ``test-artifacts/screenshots/`` for a human to look at.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from claimbook.registry import Registry

from tools import chapter_pages

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_CSV = ROOT / "data" / "claims.csv"
FORMULAS_CSV = ROOT / "data" / "formulas.csv"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

CHAPTERS = chapter_pages()
# The marker colour and the :target outline of a claim in the source appendix (claimbook.css).
MARK_BACKGROUND = "rgb(255, 233, 122)"  # #ffe97a
# A claim of the article, present in the claims table, the tooltips and the source appendix.
TABLE_QUERY = "586.7亿元"
# A word of the article (the city of BYD's base) that a reader would type into the site search.
SEARCH_WORD = "抚州"

# Where an element lands after a link is followed: inside the window, not covered by the sticky
# article header (the element itself is what the reader sees at its left end), and the :target.
LANDED_JS = """(element) => {
    const box = element.getBoundingClientRect();
    const x = box.left + Math.min(box.width / 2, 4), y = box.top + box.height / 2;
    const seen = document.elementFromPoint(x, y);
    return {
        inViewport: box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0,
        uncovered: seen !== null && (seen === element || element.contains(seen)),
        target: element.matches(':target'),
    };
}"""


def read_csv(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def claims() -> dict[str, dict[str, str]]:
    return read_csv(CLAIMS_CSV, "claim_id")


def shoot(page, name: str) -> None:
    """Save what the window shows now, for a human to look at (nothing compares these images)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def assert_landed(page, element, what: str) -> None:
    """The element a link pointed to is in view, uncovered and the :target (checked until it settles)."""
    expect(element).to_be_visible()
    state = {}
    for _ in range(20):  # the browser scrolls to the fragment after load; the theme may adjust once
        state = element.evaluate(LANDED_JS)
        if all(state.values()):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{what} after following the link: {state} (all should be true)")


def assert_claim_in_source(page, claim: dict[str, str]) -> None:
    """The source appendix shows the claim's exact text, marked, in the sentence it was taken from."""
    claim_id = claim["claim_id"]
    expect(page).to_have_url(re.compile(rf"/chapters/source-text\.html#claim-{re.escape(claim_id)}$"))
    mark = page.locator(f"mark#claim-{claim_id}")
    expect(mark).to_have_count(1)
    assert_landed(page, mark, f"<mark id=claim-{claim_id}>")
    assert mark.inner_text() == claim["exact"], f"{claim_id}: marked text differs from claims.csv's exact"
    assert mark.get_attribute("class") == "cb-claim-mark"
    style = mark.evaluate("m => { const s = getComputedStyle(m); return [s.backgroundColor, s.outlineStyle]; }")
    assert style == [MARK_BACKGROUND, "solid"], f"{claim_id}: the target mark is not highlighted: {style}"
    sentence = mark.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' cb-sentence ')]")
    expect(sentence).to_have_count(1)
    expected_anchor = "sent-" + claim["sentence_id"].replace(".", "-")
    assert sentence.get_attribute("id") == expected_anchor, f"{claim_id} sits in the wrong sentence"
    assert claim["exact"] in sentence.inner_text()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_first_number_of_each_chapter_leads_to_its_sentence(browser_page, book_url, claims, chapter):
    page = browser_page
    page.goto(f"{book_url}/chapters/{chapter}.html")
    number = page.locator("a.cb-num.cb-claim[data-claim]").first
    expect(number).to_be_visible()
    claim_id = number.get_attribute("data-claim")
    assert claim_id in claims, f"{chapter}: the first number cites {claim_id!r}, unknown to claims.csv"
    assert number.get_attribute("href") == f"source-text.html#claim-{claim_id}"
    number.click()
    assert_claim_in_source(page, claims[claim_id])
    if chapter == "firms":
        shoot(page, "source-text-at-claim")


def first_number_with_a_quote(page):
    """The first traced number of the page whose tooltip quotes its sentence."""
    number = page.locator(".cb-traced:has(> .cb-tip > .cb-tip-quote) > a.cb-num.cb-claim[aria-describedby]").first
    expect(number).to_be_visible()
    tip = page.locator(f"#{number.get_attribute('aria-describedby')}")
    expect(tip).to_have_attribute("role", "tooltip")
    assert tip.evaluate("(t, a) => t.parentElement === a.parentElement", number.element_handle()), \
        "the tooltip is not a sibling of its number inside .cb-traced"
    return number, tip


def assert_tooltip_quotes(tip, claim: dict[str, str], registry: Registry) -> None:
    sentence = registry.sentence(claim["source_id"], claim["sentence_id"])
    expect(tip).to_be_visible()
    expect(tip.locator(".cb-tip-quote")).to_have_text(sentence.text)
    expect(tip.locator(".cb-tip-quote mark")).to_have_text(claim["exact"])
    expect(tip.locator(".cb-tip-gloss")).to_contain_text("Our translation")
    expect(tip.locator(".cb-tip-where")).to_contain_text(f"Sentence {claim['sentence_id']}")


def test_hovering_a_number_shows_its_sentence(browser_page, book_url, claims, registry):
    page = browser_page
    page.goto(f"{book_url}/chapters/firms.html")
    number, tip = first_number_with_a_quote(page)
    expect(tip).to_be_hidden()
    number.hover()
    assert_tooltip_quotes(tip, claims[number.get_attribute("data-claim")], registry)
    box, width = tip.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"tooltip leaves the window: {box}"
    shoot(page, "firms-tooltip")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.mouse.move(0, 0)
    number.hover()  # dismissed only until the next hover
    expect(tip).to_be_visible()


def test_keyboard_focus_shows_the_tooltip_and_escape_hides_it(browser_page, book_url, claims, registry):
    page = browser_page
    page.goto(f"{book_url}/chapters/firms.html")
    number, tip = first_number_with_a_quote(page)
    number.focus()
    assert_tooltip_quotes(tip, claims[number.get_attribute("data-claim")], registry)
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(number).to_be_focused()  # Escape dismisses the tooltip, it does not move focus
    page.keyboard.press("Shift+Tab")
    expect(number).not_to_be_focused()
    expect(tip).to_be_hidden()
    page.keyboard.press("Tab")  # tabbing back shows it again
    expect(number).to_be_focused()
    expect(tip).to_be_visible()


def test_a_derived_figure_shows_its_formula_and_its_inputs_lead_to_the_source(browser_page, book_url, claims):
    page = browser_page
    formulas = read_csv(FORMULAS_CSV, "derived_id")
    page.goto(f"{book_url}/chapters/firms.html")
    shoot(page, "firms")
    number = page.locator("a.cb-num.cb-derived[data-derived]").first
    expect(number).to_be_visible()
    derived_id = number.get_attribute("data-derived")
    assert derived_id in formulas, f"firms cites derived figure {derived_id!r}, unknown to formulas.csv"
    number.click()

    expect(page).to_have_url(re.compile(rf"/chapters/derived-figures\.html#derived-{re.escape(derived_id)}$"))
    figure = page.locator(f"div.cb-derived#derived-{derived_id}")
    assert_landed(page, figure, f"derived figure {derived_id}")
    formula = figure.locator(".cb-formula")
    expect(formula).to_be_in_viewport()
    inputs = re.findall(r"\{([^{}]+)\}", formulas[derived_id]["formula"])
    linked = formula.locator("a.cb-num").evaluate_all("links => links.map(a => a.dataset.claim || a.dataset.derived)")
    assert linked == inputs, f"{derived_id}: the formula links {linked}, formulas.csv names {inputs}"
    shoot(page, "derived-figures")

    first_input = formula.locator("a.cb-num.cb-claim[data-claim]").first
    claim_id = first_input.get_attribute("data-claim")
    first_input.click()
    assert_claim_in_source(page, claims[claim_id])


def test_claims_table_filters_on_chinese_text(browser_page, book_url, claims):
    page = browser_page
    page.goto(f"{book_url}/chapters/claims-table.html")
    table = page.locator("table#cb-claims-datatable")
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()  # DataTables has drawn the table
    shown_before = rows.count()
    matching = [c for c in claims.values() if TABLE_QUERY in c["exact"]]
    assert matching, f"no claim's exact contains {TABLE_QUERY}: pick another TABLE_QUERY"
    assert shown_before > len(matching)

    search = page.locator("input[type=search][aria-controls='cb-claims-datatable']")
    search.fill("")
    search.press_sequentially(TABLE_QUERY)  # typed, as a reader would
    expect(rows).to_have_count(len(matching))
    for row in rows.all():
        expect(row).to_contain_text(TABLE_QUERY)
    hrefs = set(rows.locator("a.cb-num.cb-claim").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert hrefs == {f"source-text.html#claim-{c['claim_id']}" for c in matching}
    shoot(page, "claims-table-filtered")

    search.fill("")
    expect(rows).to_have_count(shown_before)


def test_site_search_finds_a_chinese_word_of_the_article(browser_page, book_url, registry):
    source_text = "".join(registry.texts.values())
    assert SEARCH_WORD in source_text, f"{SEARCH_WORD} is not in the article: pick another SEARCH_WORD"
    page = browser_page
    page.goto(f"{book_url}/search.html?q={quote(SEARCH_WORD)}")
    results = page.locator("#search-results")
    expect(results.locator("h2")).to_have_text("Search Results", timeout=15_000)  # the search has finished
    found = results.locator("ul.search li a")
    summary = results.locator(".search-summary").inner_text()
    assert found.count() > 0, (
        f"the site search finds no page for {SEARCH_WORD!r} ({summary!r}); the source appendix has it "
        f"{source_text.count(SEARCH_WORD)} times"
    )
    hrefs = found.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(href.startswith("chapters/") for href in hrefs), hrefs
    found.first.click()
    expect(page).to_have_url(re.compile(r"/chapters/[^/]+\.html"))


def search_results(page, book_url: str, query: str) -> list[str]:
    """The pages the site search lists for ``query`` (the search form sends it as ``?q=``)."""
    page.goto(f"{book_url}/search.html?q={quote(query)}")
    results = page.locator("#search-results")
    expect(results.locator("h2")).to_have_text(re.compile("Search Results"), timeout=15_000)
    return results.locator("ul.search li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def pages_stating(book_html: Path, text: str) -> set[str]:
    """Pages whose text contains ``text``, as Sphinx indexes them: without tooltips, scripts and a
    notebook's raw HTML output (the interactive claims table; the registry appendix lists the same
    claims as text)."""
    from claimbook.audit import article_of, parse_html

    found = set()
    for path in sorted((book_html / "chapters").glob("*.html")):
        article = article_of(parse_html(path.read_text(encoding="utf-8")))
        for unread in article.xpath(".//script | .//*[contains(concat(' ', @class, ' '), ' cb-tip ')]"
                                    " | .//*[contains(concat(' ', @class, ' '), ' text_html ')]"):
            unread.getparent().remove(unread)
        if text in "".join(article.itertext()):
            found.add(f"chapters/{path.name}")
    return found


# Numbers as the article prints them (586.7亿元, 1.9万家), as the book prints them (58.67 billion yuan)
# and a name: each must find every page that states it.
NUMBER_QUERIES = ["586.7", "58.67", "1.9万", "比亚迪", "19,000"]


@pytest.mark.parametrize("query", NUMBER_QUERIES)
def test_site_search_finds_every_page_that_states_a_number(browser_page, book_url, book_html, query):
    stating = pages_stating(book_html, query)
    assert stating, f"no page of the book states {query!r}: pick another query"
    hrefs = {href.split("#")[0].split("?")[0] for href in search_results(browser_page, book_url, query)}
    missing = stating - hrefs
    assert not missing, f"searching {query!r} lists {sorted(hrefs)}, not {sorted(missing)}, which state it"


def pages_of_the_book(book_html: Path) -> list[str]:
    return ["index.html"] + sorted(f"chapters/{p.name}" for p in (book_html / "chapters").glob("*.html"))


def test_no_console_errors_on_any_page(first_time_page, book_url, book_html):
    """A first-time reader opens every page: nothing is logged as an error, thrown or left unloaded.

    A page that declares no icon makes Chromium ask the server for /favicon.ico and log a 404, but
    whether that request is made before the next page replaces this one varies from run to run. So
    the declared icon is checked on every page instead, and that 404 is reported as a missing icon.
    """
    page = first_time_page  # its own browser: no state left by the other tests
    problems: dict[str, list[str]] = {}  # problem -> pages showing it, so a site-wide one reads once

    def report(problem: str) -> None:
        pages = problems.setdefault(problem, [])
        if where() not in pages:
            pages.append(where())

    def where() -> str:  # the page the browser shows now (index.html redirects to the introduction)
        return page.url.removeprefix(book_url + "/")

    def on_console(message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url") or ""
        if url == f"{book_url}/favicon.ico":
            return  # reported below as "declares no icon", on every page, deterministically
        report(f"console error: {message.text} ({url.removeprefix(book_url)})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: report(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: report(f"request failed: {request.url} ({request.failure})"))
    visited = pages_of_the_book(book_html)
    assert len(visited) > len(CHAPTERS)
    for name in visited:
        page.goto(f"{book_url}/{name}", wait_until="load")
        page.wait_for_load_state("networkidle")  # async scripts have run and reported
        icons = page.locator("link[rel~='icon']").evaluate_all("links => links.map(l => l.href)")
        if not icons:
            report("declares no icon (<link rel=icon>): the browser asks for /favicon.ico and logs a 404")
        for icon in icons:
            status = page.request.get(icon).status
            if status != 200:
                report(f"icon {icon} answers {status}")
    assert not problems, "\n".join(f"{problem}\n    on {', '.join(pages)}" for problem, pages in problems.items())


def test_intro_page_screenshot(browser_page, book_url):
    page = browser_page
    page.goto(f"{book_url}/index.html")  # the front door redirects to the introduction
    expect(page).to_have_url(re.compile(r"/chapters/intro\.html$"))
    expect(page.locator("article.bd-article h1").first).to_be_visible()
    shoot(page, "intro")


def test_no_text_a_reader_reads_runs_past_its_box(browser_page, book_url, book_html):
    """Citations, cell outputs and tables fit the column on every page: none needs a sideways scroll
    to be read. Code (a cell's input, a listing) may scroll, as code does in every notebook viewer."""
    page = browser_page
    too_wide = {}
    for name in pages_of_the_book(book_html)[1:]:  # not index.html: it only redirects to the introduction
        page.goto(f"{book_url}/{name}", wait_until="load")
        found = page.evaluate("""() => [...document.querySelectorAll(
                'article div.cb-citation pre, article .cell_output pre, article .cell_output table, article table')]
            .filter(e => !e.closest('.cell_input') && e.getClientRects().length > 0
                         && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))""")
        if found:
            too_wide[page.url.removeprefix(book_url + "/")] = found
    assert not too_wide, "\n".join(f"{where}: {', '.join(found)}" for where, found in too_wide.items())
