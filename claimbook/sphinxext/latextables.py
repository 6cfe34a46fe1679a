"""Tables in print: typeset to the text width, columns as wide as their content needs, ragged right,
smaller type where the content must wrap, breaking across pages under a repeated header.

Sphinx sets a table without a column specification as ``tabulary`` (justified cells, no page
break) or, past thirty rows, as ``longtable`` with ``l`` columns that never wrap, so a wide table
runs off the page. Before the LaTeX writer sees a table, :class:`FitTablesToText` measures its
cells and gives it what an author would write by hand, through Sphinx's own mechanisms:

- a ``tabularcolumns`` specification (a ``tabular_col_spec`` node): one ragged-right ``\\X{w}{total}``
  column per column, its share of the line chosen like a browser's automatic table layout: each
  column gets at least its longest word (so no word is cut or runs past the margin) and the rest of
  the line in proportion to how much longer its content is;
- the class ``longtable``, so the table breaks across pages and repeats its header row;
- a smaller size (class ``cb-size-small`` or ``cb-size-footnotesize``, read by the longtable
  template in ``templates/``) where the content does not fit on one line per row at the text's
  size: the first size at which every column's longest word fits.

Widths are estimated from the characters (a Chinese character is one em wide, Latin letters about
half of one); the PDF check (:mod:`claimbook.pdfcheck`) measures the result. A table that already
has a ``tabularcolumns`` specification keeps it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .nodes import traced_number

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# Sphinx's LaTeX page: 1in margins left and right (sphinx.sty's default hmargin).
MARGINS_PT = 2 * 72.27
PAPER_WIDTH_PT = {"a4paper": 597.51, "letterpaper": 614.295, "a5paper": 418.25, "b5paper": 516.21}
TABCOLSEP_PT = 6.0  # LaTeX's default \tabcolsep, on each side of every column
# (LaTeX size command, its size in points) for the document's point size, largest first.
DEFAULT_POINT_SIZE = "10pt"  # Sphinx's, when latex_elements sets no pointsize
SIZES = {
    "10pt": (("normalsize", 10.0), ("small", 9.0), ("footnotesize", 8.0)),
    "11pt": (("normalsize", 10.95), ("small", 10.0), ("footnotesize", 9.0)),
    "12pt": (("normalsize", 12.0), ("small", 10.95), ("footnotesize", 10.0)),
}
SUPERSCRIPT = 0.7  # a trace mark (p37.s1, †) is set as a superscript
HEADER = 1.12  # header cells are set in the sans-serif family, wider than the roman
RAGGED_COLUMN = r">{\raggedright\arraybackslash}\X{%d}{%d}"
# Where TeX may break a line: at a space, and before or after a Chinese character (xeCJK), though
# never before closing punctuation, nor before a trace mark (it follows its number).
_CLOSING = "”’」』）)》〉】,。、;:!?,.;:!?"


WIDE = {"%": 0.85, "—": 1.0, "m": 0.78, "w": 0.72, "M": 0.9, "W": 0.95, "→": 1.0, "×": 0.6}


def char_width(char: str) -> float:
    """A character's width in ems of the roman text font (TeX Gyre Termes and Noto CJK, estimated)."""
    if _is_wide(char):
        return 1.0
    if char.isspace():
        return 0.25
    if char in WIDE:
        return WIDE[char]
    if char.isupper():
        return 0.7
    if char.isdigit():
        return 0.5
    if char in ".,;:'’!|()[]·":
        return 0.3
    return 0.47


def text_width(text: str) -> float:
    return sum(char_width(c) for c in text)


@dataclass
class Extent:
    """A cell's widths in ems: its longest unbreakable unit, and all of it on one line."""
    shortest: float = 0.0
    longest: float = 0.0

    def widen(self, other: Extent) -> None:
        self.shortest = max(self.shortest, other.shortest)
        self.longest = max(self.longest, other.longest)


def pieces(node: nodes.Node) -> list[tuple[str, float]]:
    """The text of ``node`` as printed, with each piece's scale: a traced number is followed by its
    mark in superscript, which the writer adds and the tree does not hold."""
    found: list[tuple[str, float]] = []
    for child in node.children if isinstance(node, nodes.Element) else ():
        if isinstance(child, nodes.Text):
            found.append((child.astext(), 1.0))
            continue
        found += pieces(child)
        if isinstance(child, traced_number) and child.get("mark"):
            found.append((child["mark"], SUPERSCRIPT))
    return found


def extent(cell: nodes.Element, scale: float = 1.0) -> Extent:
    """The widths of one cell; a paragraph break inside it starts a new line."""
    result = Extent()
    for paragraph in cell.findall(nodes.TextElement):
        if any(isinstance(parent, nodes.TextElement) for parent in _ancestors(paragraph, cell)):
            continue  # counted with the text element that holds it
        result.widen(_line_extent(pieces(paragraph), scale))
    return result


def _ancestors(node: nodes.Node, stop: nodes.Node):
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def _line_extent(parts: list[tuple[str, float]], scale: float) -> Extent:
    """The longest unit between break points, and the whole line, of a paragraph's pieces."""
    units, current, total = [], 0.0, 0.0
    previous = " "
    for text, factor in parts:
        for index, char in enumerate(text):
            width = char_width(char) * factor * scale
            total += width
            if char.isspace():
                units.append(current)
                current, previous = 0.0, char
                continue
            mark = factor != 1.0 and index == 0
            if not mark and current and char not in _CLOSING and (_is_wide(char) or _is_wide(previous)):
                units.append(current)
                current = 0.0
            current += width
            previous = char
    units.append(current)
    return Extent(max(units), total)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


@dataclass(frozen=True)
class Layout:
    size: str  # normalsize, small, footnotesize
    shares: tuple[int, ...]  # each column's part of the line, in thousandths

    @property
    def colspec(self) -> str:
        total = sum(self.shares)
        return "".join(RAGGED_COLUMN % (share, total) for share in self.shares)


def column_extents(table: nodes.table) -> list[Extent] | None:
    """Each column's widths over all rows, or None for a table with spanning cells."""
    group = next(table.findall(nodes.tgroup), None)
    if group is None:
        return None
    columns = [Extent() for _ in range(group["cols"])]
    for section, scale in ((nodes.thead, HEADER), (nodes.tbody, 1.0)):
        for part in group.findall(section):
            for row in part.findall(nodes.row):
                entries = [e for e in row.children if isinstance(e, nodes.entry)]
                if len(entries) != len(columns) or any(e.get("morecols") or e.get("morerows") for e in entries):
                    return None
                for column, entry in zip(columns, entries, strict=True):
                    column.widen(extent(entry, scale))
    return columns


def choose_layout(columns: list[Extent], text_width_pt: float, point_size: str) -> Layout:
    """The largest size at which every column's longest word fits (the text's own size only if every
    row fits on one line), and the columns' shares of the line at that size."""
    padding = 2 * TABCOLSEP_PT * len(columns)
    sizes = SIZES.get(point_size, SIZES[DEFAULT_POINT_SIZE])
    chosen, points = sizes[-1]
    for index, (name, size) in enumerate(sizes):
        room = (text_width_pt - padding) / size
        needed = sum(c.longest for c in columns) if index == 0 else sum(c.shortest for c in columns)
        if needed <= room:
            chosen, points = name, size
            break
    room = (text_width_pt - padding) / points
    widths = _share_out(columns, room)
    line = [(width * points + 2 * TABCOLSEP_PT) / text_width_pt for width in widths]
    return Layout(chosen, tuple(max(1, round(1000 * part / sum(line))) for part in line))


def _share_out(columns: list[Extent], room: float) -> list[float]:
    """Widths in ems: all of each column if everything fits, else each column's longest word and
    the rest of the room in proportion to how much more its content needs."""
    shortest = [max(c.shortest, 1.0) for c in columns]
    longest = [max(c.longest, s) for c, s in zip(columns, shortest, strict=True)]
    if sum(longest) <= room:
        return [width * room / sum(longest) for width in longest]
    spare = max(room - sum(shortest), 0.0)
    wanted = [most - least for most, least in zip(longest, shortest, strict=True)]
    if not sum(wanted):
        return shortest
    return [s + spare * w / sum(wanted) for s, w in zip(shortest, wanted, strict=True)]


def text_width_pt(config) -> float:
    elements = config.latex_elements or {}
    paper = elements.get("papersize", "letterpaper")
    return PAPER_WIDTH_PT.get(paper, PAPER_WIDTH_PT["letterpaper"]) - MARGINS_PT


def _has_colspec(table: nodes.table) -> bool:
    previous = table.previous_sibling() if table.parent is not None else None
    return isinstance(previous, addnodes.tabular_col_spec)


def _nested(table: nodes.table) -> bool:
    """Inside another table, an admonition or a sidebar a table cannot break across pages."""
    return any(isinstance(parent, (nodes.table, nodes.Admonition, nodes.sidebar, nodes.topic))
               for parent in _ancestors(table, None))


class FitTablesToText(SphinxPostTransform):
    default_priority = 900  # after the references are resolved: the text is final
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        width = text_width_pt(self.config)
        point_size = (self.config.latex_elements or {}).get("pointsize", DEFAULT_POINT_SIZE)
        for table in list(self.document.findall(nodes.table)):
            if _has_colspec(table) or _nested(table):
                continue
            columns = column_extents(table)
            if not columns:
                continue
            layout = choose_layout(columns, width, point_size)
            spec = addnodes.tabular_col_spec()
            spec["spec"] = layout.colspec
            table.parent.insert(table.parent.index(table), spec)
            table["classes"] += ["longtable", f"cb-size-{layout.size}"]


def add_templates(app, config) -> None:
    """Sphinx's LaTeX writer looks for table templates in ``templates_path`` before its own."""
    config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]


def setup_latextables(app) -> None:
    app.add_post_transform(FitTablesToText)
    app.connect("config-inited", add_templates)
