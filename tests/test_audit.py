"""The audit: every number a reader sees in the built book is traced (HTML and PDF)."""

import pytest

from claimbook.audit import audit_html_page, audit_pages, audit_pdf_words, numbers_in, pdf_words, read_pages

from tools import claimbook


def statuses(html: str) -> list[tuple[str, str]]:
    report = audit_html_page(f'<html><body><article class="bd-article">{html}</article></body></html>', "t.html")
    return [(f.number, f.status) for f in report.findings]


def test_numbers_a_reader_sees():
    text = "增长117.8%,第9位, 9th, 2,557 projects, 超过四成 and 近百家; not W3C, sha256, p24.s2, 6G or 从1到100"
    found = [text[a:b] for a, b in numbers_in(text)]
    assert found == ["117.8%", "9", "9th", "2,557", "超过四成", "近百家"]


@pytest.mark.parametrize("html, expected", [
    ('<p>revenue of 58.67 billion yuan</p>', [("58.67", "untraced")]),
    ('<p><span class="cb-traced"><a data-claim="x" href="#">58.67</a><span class="cb-tip">近5亿元</span></span></p>',
     [("58.67", "traced"), ("5", "traced")]),
    ('<p><a data-derived="y" href="#">26.9</a></p>', [("26.9", "traced")]),
    ('<div class="cell_input"><pre>x = 15</pre></div>', [("15", "allowed:code")]),
    ('<p><span class="cb-constant" data-constant="MARGIN">10%</span></p>', [("10%", "allowed:constant")]),
    ('<p><a class="cb-sid">p24.s2</a> and <span class="caption-number">Fig. 6 </span></p>',
     [("6", "allowed:numbering")]),
    ('<p>“十四五”期间</p>', [("十四五", "untraced")]),
    ('<p><script>var a = 12;</script></p>', []),
    ('<td><span class="cb-measure">33.86 s</span></td>', [("33.86", "allowed:measurement")]),
])
def test_classification(html, expected):
    assert statuses(html) == expected


def test_the_built_html_has_no_untraced_number(book_html):
    report = audit_pages(read_pages(book_html))
    assert report.count("traced") > 1000
    assert [(f.page, f.number, f.context) for f in report.untraced] == []


def test_the_built_pdf_has_no_untraced_number(book_html):
    pdf = book_html / "book.pdf"
    report = audit_pdf_words(pdf, *pdf_words(pdf))
    assert report.count("traced") > 500
    assert [(f.page, f.number, f.context) for f in report.untraced] == []


def test_in_print_only_the_release_links_to_the_release_history(book_html):
    """The book's version and release date link to the release history, which the audit of the
    PDF accepts as the documented exception; nothing else does."""
    from pathlib import Path

    import claimbook
    from claimbook.citation import load_citation, release_date

    year, _, day = release_date(load_citation(Path(__file__).parent.parent / "CITATION.cff")).split("-")
    pdf = book_html / "book.pdf"
    report = audit_pdf_words(pdf, *pdf_words(pdf))
    released = {f.number for f in report.findings if f.status == "allowed:version"}
    assert released == {claimbook.__version__, year, str(int(day))}, released


def test_the_audit_command_prints_counts_and_passes(book_html):
    run = claimbook("audit", book_html)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "HTML:" in run.stdout and "PDF:" in run.stdout and " 0 untraced" in run.stdout
    assert "PDF layout: 0 words past the right margin, 0 in the footer" in run.stdout


def test_the_audit_fails_on_a_typed_number(book_html, tmp_path):
    page = tmp_path / "chapters" / "firms.html"
    page.parent.mkdir()
    original = (book_html / "chapters" / "firms.html").read_text(encoding="utf-8")
    page.write_text(original.replace("<section", "<p>Revenue rose to 123 billion yuan.</p><section", 1),
                    encoding="utf-8")
    run = claimbook("audit", tmp_path)
    assert run.returncode == 1
    assert "untraced '123' on chapters/firms.html" in run.stdout
