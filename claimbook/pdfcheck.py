"""The printed book's layout, checked on the PDF itself: no word past the right margin, nothing run
into the footer, the header row of every table printed in full, no line that opens with a closing
quotation mark or punctuation.

The words and their boxes are those of ``pdftotext -bbox-layout`` (:func:`claimbook.audit.pdf_words`).
The page's frame is read from the PDF, not assumed: the text's right edge is where most lines end
(the text is justified), and the footer begins where the page numbers do.

- **Margin.** A word may end at most :data:`MARGIN_TOLERANCE` past the right edge. A word that ends
  in Chinese closing punctuation may end up to one em past it: at the end of a line xeCJK sets the
  punctuation's blank half into the margin, and the word's box keeps the full width of the glyph.
- **Footer.** Outside the footer's own line, no word may come within :data:`FOOTER_GAP` of it or
  below it; on the footer's line, no two words may overlap.
- **Tables.** Each table of the HTML pages (the docutils tables, class ``table``) must have every
  word of every header cell within a few lines of each other on one page of the PDF. A table the
  PDF leaves to the HTML edition (a class in :data:`LEFT_TO_HTML`) must instead be pointed to: the
  PDF must contain the sentence that says where it is.
- **Punctuation.** No line starts with closing punctuation (a closing quotation mark alone on a line).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .audit import Page, Word

MARGIN_TOLERANCE = 0.5  # points: less than the thinnest letter
FOOTER_GAP = 4.0  # points between the lowest line of text and the footer's
HEADER_LINES = 4  # a header cell may wrap onto this many lines
CLOSING_PUNCTUATION = "”’」』）》〉】，。、；：！？"  # Chinese text's (an ASCII comma may open a line of code)
PAGE_NUMBER = re.compile(r"^(\d+|[ivxlc]+)$")
# What the PDF prints instead of a table of measurements (claimbook.sphinxext.benchpage prints it).
PRINT_POINTER = ("The measurements change with the machine, so the printed book leaves them out: they are on "
                 "this page of the HTML edition")
# Classes of HTML tables the PDF leaves out, and the sentence with which it says where they are.
LEFT_TO_HTML = {"cb-benchmark": PRINT_POINTER}


@dataclass(frozen=True)
class Frame:
    right: float  # the text's right edge
    footer_top: float
    footer_bottom: float


@dataclass(frozen=True)
class Problem:
    kind: str  # margin | footer | table | punctuation
    page: int  # 1-based, as a PDF viewer numbers pages; 0 for a problem of the whole book
    text: str

    def __str__(self) -> str:
        return f"p.{self.page}: {self.text}" if self.page else self.text


@dataclass
class LayoutReport:
    problems: list[Problem] = field(default_factory=list)
    tables: int = 0  # tables whose header row was looked for
    pointers: int = 0  # tables the PDF leaves to the HTML edition

    def count(self, kind: str) -> int:
        return sum(p.kind == kind for p in self.problems)

    def summary(self) -> str:
        return (f"PDF layout: {self.count('margin')} words past the right margin, {self.count('footer')} in the "
                f"footer, {self.count('punctuation')} lines opening with closing punctuation; "
                f"{self.tables} tables' header rows checked, {self.count('table')} incomplete; "
                f"{self.pointers} tables left to the HTML edition")


def page_frame(words: list[Word], heights: list[float]) -> Frame:
    """The right edge where most lines end, and the footer's top and bottom where page numbers are."""
    line_ends: dict[int, float] = {}
    line_sizes: Counter = Counter()
    for word in words:
        line_ends[word.line_number] = max(line_ends.get(word.line_number, 0.0), word.box[2])
        line_sizes[word.line_number] += 1
    ends = Counter(round(end, 1) for number, end in line_ends.items() if line_sizes[number] >= 3)
    numbers = [w for w in words if PAGE_NUMBER.match(w.text) and w.box[1] > 0.85 * heights[w.page]]
    if not ends or not numbers:
        raise ValueError("the PDF has no justified text or no page numbers to take its frame from")
    tops = Counter(round(w.box[1], 1) for w in numbers)
    bottoms = Counter(round(w.box[3], 1) for w in numbers)
    return Frame(ends.most_common(1)[0][0], tops.most_common(1)[0][0], bottoms.most_common(1)[0][0])


def past_margin(words: list[Word], frame: Frame) -> list[Problem]:
    problems = []
    for word in words:
        allowance = MARGIN_TOLERANCE
        if word.text and word.text[-1] in CLOSING_PUNCTUATION and ord(word.text[-1]) > 0x2000:
            allowance += word.box[3] - word.box[1]  # one em: the word's height is its font's size
        if word.box[2] > frame.right + allowance:
            problems.append(Problem("margin", word.page + 1, f"'{word.text}' ends {word.box[2] - frame.right:.1f}pt "
                                                             f"past the right margin, in: {word.line}"))
    return problems


def in_footer(words: list[Word], frame: Frame) -> list[Problem]:
    problems = []
    footer_lines: dict[int, list[Word]] = defaultdict(list)
    for word in words:
        on_footer_line = abs(word.box[1] - frame.footer_top) <= 1.5
        if on_footer_line:
            footer_lines[word.page].append(word)
        elif word.box[3] > frame.footer_top - FOOTER_GAP:
            problems.append(Problem("footer", word.page + 1, f"'{word.text}' runs into the footer, in: {word.line}"))
    for page, footer in footer_lines.items():
        for index, word in enumerate(footer):
            for other in footer[index + 1:]:
                if word.box[0] < other.box[2] and other.box[0] < word.box[2]:
                    problems.append(Problem("footer", page + 1, f"'{word.text}' overlaps '{other.text}' in the footer"))
    return problems


def lines_opening_with_closing_punctuation(words: list[Word]) -> list[Problem]:
    """Words that open with closing punctuation and have nothing before them on their baseline.
    (pdftotext may make a line of a quotation mark that xeCJK kerned under the full stop before it.)"""
    by_page: dict[int, list[Word]] = defaultdict(list)
    for word in words:
        by_page[word.page].append(word)
    problems = []
    for word in words:
        if not word.text or word.text[0] not in CLOSING_PUNCTUATION:
            continue
        before = [w for w in by_page[word.page] if abs(w.box[3] - word.box[3]) < 1.0 and w.box[0] < word.box[0]]
        if not before:
            problems.append(Problem("punctuation", word.page + 1, f"a line opens with '{word.text[0]}': {word.line}"))
    return problems


# -- tables ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HtmlTable:
    page: str  # chapters/x.html
    header: tuple[str, ...]  # the text of each header cell
    left_to_html: str  # the LEFT_TO_HTML class that keeps it out of print, or ''


def comparable(word: str) -> str:
    """A word without punctuation, as print and HTML can both give it (“Lower–upper” → Lowerupper)."""
    return re.sub(r"[^\w]", "", word)


def printed_text(cell) -> str:
    """A cell's text as print gives it: without the tooltips (class cb-tip), which only a hover shows."""
    parts = []

    def walk(element):
        if "cb-tip" in (element.get("class") or "").split():
            return
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")
    walk(cell)
    return " ".join("".join(parts).split())


def html_tables(pages: list[Page]) -> list[HtmlTable]:
    tables = []
    for page in pages:
        if page.article is None:
            continue
        for table in page.article.iter("table"):
            classes = set((table.get("class") or "").split())
            if "table" not in classes:
                continue  # not a table of the text (the interactive claims table, with its own PDF note)
            header = tuple(printed_text(cell) for cell in table.xpath("./thead/tr[1]/th"))
            left = next((c for c in classes if c in LEFT_TO_HTML), "")
            tables.append(HtmlTable(page.name, header, left))
    return tables


def header_bands(lines: dict[int, list[list[Word]]]) -> list[set[str]]:
    """The words (:func:`comparable`) of every band of lines of the PDF, page by page, top to bottom.
    A band starts at a line and reaches down :data:`HEADER_LINES` lines of its height: the cells of a
    header row stand side by side and may wrap. Built once for all the tables."""
    bands = []
    for page_lines in lines.values():
        for start, line in enumerate(page_lines):
            top, height = line[0].box[1], line[0].box[3] - line[0].box[1]
            band: set[str] = set()
            for later in page_lines[start:]:
                if later[0].box[1] > top + HEADER_LINES * height:
                    break  # the lines are sorted by their top: every later one is lower still
                band.update(comparable(w.text) for w in later)
            bands.append(band)
    return bands


def missing_header_cells(table: HtmlTable, bands: list[set[str]]) -> list[str]:
    """The header cells of ``table`` that no band (:func:`header_bands`) holds together with the
    others (none, when some band holds every word of every cell)."""
    wanted = [{comparable(w) for w in cell.split()} - {""} for cell in table.header]
    best: list[str] = list(table.header)
    for band in bands:
        missing = [cell for cell, words in zip(table.header, wanted, strict=True) if not words <= band]
        if len(missing) < len(best):
            best = missing
        if not best:
            return []
    return best


def pdf_lines(words: list[Word]) -> dict[int, list[list[Word]]]:
    """Each page's lines, top to bottom."""
    by_line: dict[int, list[Word]] = defaultdict(list)
    for word in words:
        by_line[word.line_number].append(word)
    pages: dict[int, list[list[Word]]] = defaultdict(list)
    for line in sorted(by_line.values(), key=lambda ws: (ws[0].page, ws[0].box[1], ws[0].box[0])):
        pages[line[0].page].append(line)
    return pages


def flowing_text(words: list[Word]) -> str:
    """The PDF's text as one string, words joined by spaces, lines joined where a word was hyphenated."""
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(w.text for w in words))


def table_problems(tables: list[HtmlTable], words: list[Word]) -> list[Problem]:
    bands = header_bands(pdf_lines(words))
    text = " ".join(flowing_text(words).split())
    problems = []
    for table in tables:
        if table.left_to_html:
            pointer = " ".join(LEFT_TO_HTML[table.left_to_html].split())
            if pointer not in text:
                problems.append(Problem("table", 0, f"a table of {table.page} is left out of print, and the PDF "
                                                    f"does not say where it is ('{pointer}')"))
            continue
        missing = missing_header_cells(table, bands)
        if missing:
            problems.append(Problem("table", 0, f"the table of {table.page} with header {' | '.join(table.header)}: "
                                                f"no page prints {', '.join(repr(m) for m in missing)} with the rest"))
    return problems


def layout_report(words: list[Word], heights: list[float], tables: list[HtmlTable]) -> LayoutReport:
    """Every layout problem of the PDF whose words :func:`claimbook.audit.pdf_words` read."""
    frame = page_frame(words, heights)
    report = LayoutReport(tables=sum(not t.left_to_html for t in tables),
                          pointers=sum(bool(t.left_to_html) for t in tables))
    report.problems += past_margin(words, frame)
    report.problems += in_footer(words, frame)
    report.problems += lines_opening_with_closing_punctuation(words)
    report.problems += table_problems(tables, words)
    return report


def print_layout_report(report: LayoutReport, limit: int = 40) -> None:
    print(report.summary())
    for problem in report.problems[:limit]:
        print(f"  {problem.kind}: {problem}")
