"""What a reader takes away, fetched as a reader fetches it: the download menu of the published book,
clicked in Chromium, and each file checked for being what it claims to be. Also the interactive
claims table's export."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import nbformat
import pytest
from playwright.sync_api import expect

from claimbook.interactive import COLUMNS
from claimbook.published import PDF_FILE, zip_file
from claimbook.registry import Registry

from tools import chapter_pages, download, frictionless

NOTEBOOK_CHAPTERS = chapter_pages()


def open_menu(page, book_url: str, chapter: str):
    """The page's download menu, opened by a click on its button in the header."""
    page.goto(f"{book_url}/chapters/{chapter}.html")
    menu = page.locator(".dropdown-download-buttons")
    menu.locator("button.dropdown-toggle").click()
    expect(menu.locator(".dropdown-menu")).to_be_visible()
    return menu


@pytest.mark.parametrize("chapter", ["intro", *NOTEBOOK_CHAPTERS])
def test_every_chapter_offers_the_book_the_data_and_its_notebook(browser_page, book_url, chapter):
    menu = open_menu(browser_page, book_url, chapter)
    texts = menu.locator(".dropdown-menu a").all_inner_texts()
    assert "Book (PDF)" in texts and "Data package (zip)" in texts and "claims.csv" in texts, texts
    if chapter in NOTEBOOK_CHAPTERS:
        assert "Executed notebook (.ipynb)" in texts, texts
    # the theme's own print button is gone: the menu's PDF is the book's
    assert menu.locator("button[onclick='window.print()']").count() == 0


def test_the_pdf_download_is_the_book(browser_page, book_url, book_html):
    from pypdf import PdfReader

    menu = open_menu(browser_page, book_url, "firms")
    pdf = download(browser_page, menu.get_by_role("link", name="Book (PDF)"))
    assert pdf.startswith(b"%PDF-")
    assert pdf == (book_html / PDF_FILE).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 20
    assert "Appendix: the source text" in "".join(page.extract_text() for page in reader.pages[:6])


def test_the_data_package_download_is_a_valid_package_whose_selectors_resolve(browser_page, book_url, tmp_path):
    menu = open_menu(browser_page, book_url, "intro")
    archive = zipfile.ZipFile(io.BytesIO(download(browser_page, menu.get_by_role("link", name="Data package (zip)"))))
    package = json.loads(archive.read("datapackage.json"))
    paths = {resource["path"] for resource in package["resources"]}
    assert set(archive.namelist()) == paths | {"datapackage.json"}
    assert {"claims.csv", "derived.csv", "sources/xinhua-2026-jiangxi.txt"} <= paths
    archive.extractall(tmp_path)
    run = frictionless(tmp_path / "datapackage.json")
    assert run.returncode == 0 and '"valid": true' in run.stdout, run.stdout[-3000:]
    # the W3C selectors resolve in the downloaded text: the registry loads from the download alone
    registry = Registry(tmp_path)
    for claim in registry.claim_list:
        text = registry.texts[claim.source_id]
        assert text[claim.start:claim.end] == claim.exact, claim.claim_id
        assert text[:claim.start].endswith(claim.prefix) and text[claim.end:].startswith(claim.suffix)


def test_a_data_file_downloads_as_published(browser_page, book_url, book_html):
    menu = open_menu(browser_page, book_url, "business")
    claims = download(browser_page, menu.get_by_role("link", name="claims.csv", exact=True))
    assert claims == (book_html / "data" / "claims.csv").read_bytes()
    assert next(csv.reader(io.StringIO(claims.decode("utf-8"))))[0] == "claim_id"


def test_a_chapter_downloads_its_executed_notebook(browser_page, book_url):
    menu = open_menu(browser_page, book_url, "firms")
    notebook = nbformat.reads(download(browser_page, menu.get_by_role("link", name="Executed notebook (.ipynb)"))
                              .decode("utf-8"), as_version=4)
    nbformat.validate(notebook)
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert any("text/markdown" in output.get("data", {}) for output in outputs), "the notebook was not executed"


def test_the_intro_lists_every_download_with_what_it_is(browser_page, book_url, book_html):
    browser_page.goto(f"{book_url}/chapters/intro.html")
    links = browser_page.locator("ul.cb-downloads a.cb-download")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    package = json.loads((book_html / "data" / "datapackage.json").read_text(encoding="utf-8"))
    wanted = {f"../{PDF_FILE}", f"../{zip_file(package)}", "../data/datapackage.json"}
    wanted |= {f"../data/{r['path']}" for r in package["resources"]}
    assert set(hrefs) == wanted
    for href in hrefs:
        assert (book_html / "chapters" / href).resolve().is_file(), href


def exported_rows(data: bytes) -> list[list[str]]:
    """The rows of an exported CSV (DataTables writes a byte-order mark and ends with a blank line)."""
    return [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if row]


# DataTables copies through a hidden text field and document.execCommand("copy"); what it copies is
# read there (a headless browser's clipboard is not the system's).
CAPTURE_COPY = """() => {
    const copy = document.execCommand.bind(document);
    document.execCommand = (command, ...rest) => {
        if (command === "copy") window.cbCopied = document.activeElement.value;
        return copy(command, ...rest);
    };
}"""


def test_the_claims_table_exports_the_rows_the_search_leaves_as_csv(browser_page, book_url, registry):
    page = browser_page
    page.goto(f"{book_url}/chapters/claims-table.html")
    rows = page.locator("table#cb-claims-datatable tbody tr")
    expect(rows.first).to_be_visible()
    everything = exported_rows(download(page, page.get_by_role("button", name="Download CSV")))
    assert tuple(everything[0]) == COLUMNS
    assert len(everything) - 1 == len(registry.claim_list)
    search = page.locator("input[type=search][aria-controls='cb-claims-datatable']")
    search.press_sequentially("586.7亿元")
    expect(rows).to_have_count(1)
    (header, row) = exported_rows(download(page, page.get_by_role("button", name="Download CSV")))
    assert row[COLUMNS.index("Stated")] == "586.7亿元"
    assert row[COLUMNS.index("Value")] == "58.67 billion yuan"


def test_the_claims_table_copies_the_rows_the_search_leaves(browser_page, book_url):
    page = browser_page
    page.goto(f"{book_url}/chapters/claims-table.html")
    page.locator("input[type=search][aria-controls='cb-claims-datatable']").press_sequentially("586.7亿元")
    expect(page.locator("table#cb-claims-datatable tbody tr")).to_have_count(1)
    page.evaluate(CAPTURE_COPY)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied one row to clipboard")).to_be_visible()
    copied = page.evaluate("window.cbCopied")
    assert "586.7亿元" in copied and "58.67 billion yuan" in copied and "<a" not in copied
