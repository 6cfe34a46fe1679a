"""The printed book's layout (claimbook.pdfcheck): the published PDF, and the checks on made-up pages."""
from __future__ import annotations

import pytest

from claimbook.audit import Word, audit_book
from claimbook.pdfcheck import (
    Frame,
    HtmlTable,
    header_bands,
    in_footer,
    lines_opening_with_closing_punctuation,
    missing_header_cells,
    page_frame,
    past_margin,
    pdf_lines,
)

FRAME = Frame(right=523.3, footer_top=791.2, footer_bottom=802.1)
LINE = 13.6


def word(text: str, x0: float, top: float, line: int, page: int = 0, width: float | None = None) -> Word:
    x1 = x0 + (width if width is not None else 6.0 * len(text))
    return Word(page, text, (x0, top, x1, top + 11.0), text, line)


def page_of_text(page: int = 0, first_line: int = 0) -> list[Word]:
    """A page of justified lines ending at the right edge, and its number in the footer."""
    words = []
    for number in range(40):
        top = 80 + number * LINE
        words += [word("Lorem", 72, top, first_line + number), word("ipsum", 200, top, first_line + number),
                  word("dolor", 523.3 - 30, top, first_line + number, width=30)]
    words.append(word(str(page + 1), 518, 791.2, first_line + 40, width=5.3))
    return words


def test_the_frame_is_read_from_the_pdf():
    words = page_of_text(0) + page_of_text(1, 100)
    assert page_frame(words, [841.9, 841.9]) == Frame(523.3, 791.2, 802.2)


def test_a_word_past_the_right_margin_is_found():
    assert not past_margin(page_of_text(), FRAME)
    beyond = word("p12.s1", 520.0, 300, 7, width=8.0)
    (problem,) = past_margin([beyond], FRAME)
    assert problem.kind == "margin" and "4.7pt" in problem.text


def test_chinese_closing_punctuation_may_hang_into_the_margin_by_its_blank_half():
    assert not past_margin([word("接口、", 490.0, 300, 7, width=41.0)], FRAME)
    assert past_margin([word("接口", 490.0, 300, 7, width=41.0)], FRAME)


def test_a_table_row_in_the_footer_is_found():
    assert not in_footer(page_of_text(), FRAME)
    low = word("fication", 72, 778.0, 60)  # its bottom is 2pt above the footer's top
    overlapping = word("Comprehensive", 500, 791.2, 61)
    problems = in_footer(page_of_text() + [low, overlapping], FRAME)
    assert {p.kind for p in problems} == {"footer"} and len(problems) == 2


def test_a_closing_quotation_mark_alone_on_a_line_is_found():
    alone = [word("增加15倍。", 72, 300, 1), word("”", 72, 300 + LINE, 2)]
    assert len(lines_opening_with_closing_punctuation(alone)) == 1
    kerned = [word("增加15倍。", 72, 300, 1), word("”", 150, 300, 2)]  # pdftotext's own line, same baseline
    assert not lines_opening_with_closing_punctuation(kerned)


def test_a_header_row_must_be_printed_in_full():
    table = HtmlTable("chapters/sensitivity.html", ("Derived figure", "Lower reading", "Upper reading"), "")
    header = [word("Derived", 72, 100, 1), word("Lower", 300, 100, 2), word("figure", 72, 100 + LINE, 3),
              word("reading", 300, 100 + LINE, 4)]
    assert missing_header_cells(table, header_bands(pdf_lines(header))) == ["Upper reading"]
    header += [word("Upper", 420, 100, 5), word("reading", 420, 100 + LINE, 6)]
    assert missing_header_cells(table, header_bands(pdf_lines(header))) == []
    # the words must stand together: "Upper reading" three pages on is not this table's header
    scattered = header[:4] + [word("Upper", 420, 100, 5, page=3), word("reading", 420, 100 + LINE, 6, page=3)]
    assert missing_header_cells(table, header_bands(pdf_lines(scattered))) == ["Upper reading"]


def test_the_published_pdf_fits_its_pages(book_html):
    pdf = book_html / "book.pdf"
    if not pdf.is_file():
        pytest.fail(f"{pdf} is missing: build the book with its PDF (make book)", pytrace=False)
    report = audit_book(book_html).layout
    assert report.tables >= 10, report.summary()
    assert not report.problems, report.summary() + "\n" + "\n".join(str(p) for p in report.problems[:40])


def test_a_header_cell_is_compared_without_the_tooltip_only_the_html_shows():
    from lxml import html as lxml_html

    from claimbook.pdfcheck import printed_text

    cell = lxml_html.fromstring(
        '<th><p>Margin <span class="cb-traced"><span class="cb-num">5%</span><span class="cb-tip" role="tooltip">'
        '<span class="cb-tip-title">MARGIN_NARROW = 0.05</span></span></span>, literal reading</p></th>')
    assert printed_text(cell) == "Margin 5%, literal reading"
