"""What a chapter displays: one output that reads in Jupyter and is traced in the book.

A notebook output is a bundle of representations, and every front end shows the one it ranks
first among those it knows. A chapter's tables and captions are MyST with roles
(``{claim}`byd-fuzhou-revenue-2025```), which only the book can turn into linked numbers, so each
output carries them twice:

- :data:`MYST` (``text/vnd.claimbook.myst``): the MyST with its roles. The book renders it, first in
  every builder, through the myst-nb mime render plugin of :mod:`claimbook.sphinxext.outputs`.
- ``text/markdown`` and ``text/html``: the same content with every role replaced by the text the
  book prints for it (:class:`Reader`: "58.67 billion yuan", "586.7亿元", a sentence id with its
  Chinese sentence), for JupyterLab, ``jupyter execute``, nbconvert and papermill's readers.

A chart is a :class:`FigureOutput`: its SVG and PNG for every front end and, as :data:`FIGURE`,
what the book needs to place it as a numbered figure with downloads: its name, its MyST caption,
its computed alt text and the plotted rows as CSV. Nothing here imports Sphinx.
"""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .display import (
    NO_RANGE,
    claim_assumed_text,
    claim_bounds_text,
    derived_range_text,
    derived_text,
    format_assumed,
    format_bound,
    format_claim,
    format_value,
)
from .files import csv_text
from .qualifiers import method_constants
from .registry import Registry

MYST = "text/vnd.claimbook.myst"
FIGURE = "application/vnd.claimbook.figure+json"
PNG_DPI = 200  # the PNG is the printed chart: sharp at the PDF's column width

# A MyST role: {name}`content`.
ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:.-]*)\}`(?P<content>[^`]+)`")
# Sphinx's cross-reference form "text <target>".
TITLED = re.compile(r"^(?P<text>.+?)\s*<(?P<target>[^<>]+)>$")
# A character escaped for Markdown (CommonMark lets any ASCII punctuation be escaped).
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# Characters that would change the meaning of inserted text in Markdown.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def markdown_text(text: str) -> str:
    """Text shown literally in Markdown (one line, no markup)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


# What each role of claimbook.sphinxext.roles prints, as text: the display functions the roles call.
# A range role with no range ('') shows NO_RANGE, as the roles do.
CLAIM_ROLES = {
    "claim": format_claim,
    "claim-exact": lambda claim: claim.exact,
    "claim-range": claim_bounds_text,
    "claim-assumed": claim_assumed_text,
}
DERIVED_ROLES = {
    "derived": derived_text,
    "derived-range": derived_range_text,
    "derived-assumed": format_assumed,
    "derived-lower": lambda figure: format_bound(figure, "lower"),
    "derived-upper": lambda figure: format_bound(figure, "upper"),
    "derived-title": lambda figure: figure.title,
}
# Sphinx's and sphinxcontrib-bibtex's roles whose text a reader sees ("text <target>" or the target).
CROSS_REFERENCES = ("doc", "ref", "numref", "cite", "cite:p", "cite:t", "term")


@dataclass
class Reader:
    """What a role names, as the book prints it: the readable side of every output."""

    registry: Registry
    derived: dict | None = None  # derived id → DerivedValue under the point reading (None: evaluated here)

    def __post_init__(self):
        if self.derived is None:
            from .derived import evaluate_all
            self.derived = evaluate_all(self.registry, "point")

    def role_text(self, name: str, content: str) -> str | None:
        """The text the book shows for ``{name}`content```; None for a role or id it does not know."""
        ref = content.strip()
        if name in CLAIM_ROLES:
            claim = self.registry.claims.get(ref)
            return (CLAIM_ROLES[name](claim) or NO_RANGE) if claim else None
        if name in DERIVED_ROLES:
            figure = self.derived.get(ref)
            return (DERIVED_ROLES[name](figure) or NO_RANGE) if figure else None
        if name == "sentence":
            return self.sentence_text(ref)
        if name == "constant":
            known = method_constants()
            return format_value(known[ref][0], known[ref][1], exact=True) if ref in known else None
        if name in CROSS_REFERENCES:
            titled = TITLED.match(ref)
            return titled.group("text") if titled else ref
        return None

    def sentence_text(self, ref: str) -> str | None:
        """``p24.s2 「…」``: the sentence id and the sentence, as the book's tooltip quotes it."""
        source_id, _, sentence_id = ref.rpartition(":")
        source_id = source_id or next(iter(self.registry.sources))
        try:
            sentence = self.registry.sentence(source_id, sentence_id)
        except KeyError:
            return None
        return f"{sentence_id} 「{sentence.text.strip()}」"

    def markdown(self, myst: str) -> str:
        """``myst`` with every role it knows replaced by the text the book prints for it."""
        def replace(match: re.Match) -> str:
            text = self.role_text(match.group("name"), match.group("content"))
            return match.group(0) if text is None else markdown_text(text)
        return ROLE.sub(replace, myst)


@lru_cache(maxsize=4)
def _reader_for(data_dir: Path) -> Reader:
    return Reader(Registry(data_dir))


def book_reader() -> Reader:
    """The reader of the book found from the working directory (:mod:`claimbook.bookroot`)."""
    from .bookroot import book_data_dir
    return _reader_for(book_data_dir())


def markdown_html(markdown: str) -> str:
    """CommonMark with tables, as HTML (markdown-it, the parser underneath MyST)."""
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)


@dataclass(frozen=True)
class Markdown:
    """A notebook output written in MyST: roles and directives for the book, read as text in Jupyter."""
    text: str
    reader: Reader | None = field(default=None, compare=False, repr=False)

    @cached_property
    def readable(self) -> str:
        if not ROLE.search(self.text):
            return self.text
        return (self.reader or book_reader()).markdown(self.text)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {MYST: self.text, "text/markdown": self.readable, "text/html": markdown_html(self.readable),
                "text/plain": _ESCAPED.sub(r"\1", self.readable)}

    def __repr__(self) -> str:
        return self.text


# --- figures ---------------------------------------------------------------------------------------

def rows_csv(rows: list[dict]) -> str:
    """The plotted rows as CSV, as data/ keeps its files (the first row's keys as header)."""
    return csv_text(list(rows[0]), rows) if rows else ""


def figure_images(fig) -> dict[str, str]:
    """The chart as SVG (text) and PNG (base64), the way IPython's inline backend renders it."""
    from IPython.core.pylabtools import print_figure

    png = print_figure(fig, "png", bbox_inches="tight", dpi=PNG_DPI)
    return {"image/svg+xml": print_figure(fig, "svg", bbox_inches="tight"),
            "image/png": base64.b64encode(png).decode("ascii")}


@dataclass(frozen=True)
class FigureOutput:
    """A chart: an image in every front end; in the book a numbered figure with its caption, alt
    text and downloads (the rows as CSV, the chart as SVG and PNG)."""
    name: str  # the figure's label, "fig-<key>"
    caption: str  # MyST
    alt: str
    rows: list[dict]
    images: dict[str, str]

    def payload(self) -> dict:
        return {"name": self.name, "caption": self.caption, "alt": self.alt, "csv": rows_csv(self.rows)}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {**self.images, FIGURE: self.payload(), "text/plain": f"<figure {self.name}: {self.alt}>"}

    def __repr__(self) -> str:
        return json.dumps(self.payload(), ensure_ascii=False)
