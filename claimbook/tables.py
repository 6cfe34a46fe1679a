"""Tables for the chapter notebooks, in which every number links to where it comes from.

``ClaimTable`` lists claims; ``DerivedTable`` lists derived figures. Each has ``_repr_html_`` for
the HTML book and Jupyter, and ``_repr_latex_`` for the PDF: myst-nb picks one per builder.
Links are relative to the chapter pages, which all live in ``chapters/`` beside the appendices:
``source-text.html#claim-<id>`` in HTML, ``\\hyperref[<label>]`` with the label Sphinx gives the
same anchor in LaTeX. The Sphinx extension re-points them if the appendices live elsewhere or the
builder lays pages out differently. Every text from the data is escaped for the format it lands in.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .derived import derived_anchor
from .display import claim_bounds_text, format_claim, format_derived, format_value, latex_escape, latex_label
from .registry import Registry, claim_anchor
from .source import sentence_anchor

# Where the appendices are by convention. The notebooks cannot ask Sphinx, so they use these names.
SOURCE_DOC = "chapters/source-text"
DERIVED_DOC = "chapters/derived-figures"
# The first line of every LaTeX output made here. myst-nb would typeset text/latex as maths; the
# extension sees this line and passes the table through as LaTeX instead.
LATEX_OUTPUT_MARKER = "% claimbook:latex"
NO_RANGE = "—"  # an exact number has no range to show

CLAIM_COLUMNS = ("Indicator", "Entity", "Stated", "Value", "Lower–upper", "Sentence")
CLAIM_WIDTHS = ("0.24", "0.13", "0.11", "0.16", "0.14", "0.07")
DERIVED_COLUMNS = ("Figure", "Value", "Range", "Inputs")
DERIVED_WIDTHS = ("0.30", "0.18", "0.22", "0.22")


class Piece(NamedTuple):
    """A run of text in a cell, linked to ``anchor`` in ``docname`` unless ``docname`` is None.
    ``kind`` ('claim' or 'derived') marks a traced number with ``data-<kind>="<ref_id>"``."""
    text: str
    docname: str | None = None
    anchor: str = ""
    kind: str = ""
    ref_id: str = ""
    lang: str = ""


def _page(docname: str) -> str:
    """Relative href of an appendix page from a page in the same folder."""
    return docname.rsplit("/", 1)[-1] + ".html"


def _html_piece(piece: Piece) -> str:
    if piece.docname is None:
        return html.escape(piece.text)
    attributes = [("class", f"cb-num cb-{piece.kind}" if piece.kind else "cb-sid")]
    if piece.kind:
        attributes.append((f"data-{piece.kind}", piece.ref_id))
    attributes += [("href", f"{_page(piece.docname)}#{piece.anchor}"), ("lang", piece.lang)]
    rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attributes if v)
    return f"<a{rendered}>{html.escape(piece.text)}</a>"


def _latex_piece(piece: Piece) -> str:
    if piece.docname is None:
        return latex_escape(piece.text)
    return r"\hyperref[%s]{%s}" % (latex_label(piece.docname, piece.anchor), latex_escape(piece.text))


def html_table(cls: str, columns, rows: list[list[list[Piece]]], row_data: list[tuple[str, str]]) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr {name}="{html.escape(value, quote=True)}">'
        + "".join("<td>" + ", ".join(_html_piece(p) for p in cell) + "</td>" for cell in row) + "</tr>"
        for row, (name, value) in zip(rows, row_data)
    )
    return f'<table class="cb-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def latex_table(widths: Iterable[str], columns, rows: list[list[list[Piece]]]) -> str:
    spec = "".join(f"p{{{w}\\linewidth}}" for w in widths)
    lines = [
        LATEX_OUTPUT_MARKER,
        r"\begingroup\small",
        r"\begin{longtable}{%s}" % spec,
        r"\hline",
        " & ".join(r"\textbf{%s}" % latex_escape(c) for c in columns) + r" \\ \hline",
        r"\endhead",
    ]
    lines += [" & ".join(", ".join(_latex_piece(p) for p in cell) for cell in row) + r" \\" for row in rows]
    lines += [r"\hline", r"\end{longtable}", r"\endgroup"]
    return "\n".join(lines) + "\n"


def source_doc_of(claim, registry: Registry, first_doc: str = SOURCE_DOC) -> str:
    """The appendix page of a claim's source: the first source's is ``source-text``; every source
    added later has its own page ``source-<source_id>`` (see claimbook.scaffold.source_page_name)."""
    from .scaffold import source_page_name

    first = next(iter(registry.sources))
    return first_doc if claim.source_id == first else f"chapters/{source_page_name(claim.source_id)}"


class ClaimTable:
    """Claims as a table: indicator, entity, the stated words, the value, its bounds, the sentence.

    ``claims`` are :class:`~claimbook.registry.Claim` objects or claim ids of ``registry``."""

    def __init__(self, claims: Iterable, registry: Registry | None = None, *,
                 source_doc: str = SOURCE_DOC, language: str = "zh-Hans"):
        claims = list(claims)
        if any(isinstance(c, str) for c in claims):
            registry = registry if registry is not None else Registry()
            unknown = [c for c in claims if isinstance(c, str) and c not in registry.claims]
            if unknown:
                raise KeyError(f"unknown claim id(s): {', '.join(unknown)}")
            claims = [registry.claims[c] if isinstance(c, str) else c for c in claims]
        self.claims = claims
        self.registry = registry
        self.source_doc = source_doc
        self.language = language  # of the stated words, for fonts and screen readers

    def __len__(self) -> int:
        return len(self.claims)

    def __repr__(self) -> str:
        return f"ClaimTable({', '.join(c.claim_id for c in self.claims)})"

    def rows(self) -> list[list[list[Piece]]]:
        result = []
        for claim in self.claims:
            page = source_doc_of(claim, self.registry, self.source_doc) if self.registry else self.source_doc

            def traced(text, lang="", page=page):
                return Piece(text, page, claim_anchor(claim.claim_id), "claim", claim.claim_id, lang)
            bounds = claim_bounds_text(claim)
            result.append([
                [Piece(claim.indicator)],
                [Piece(claim.entity)],
                [traced(claim.exact, self.language)],
                [traced(format_claim(claim))],
                [traced(bounds) if bounds else Piece(NO_RANGE)],
                [Piece(claim.sentence_id, page, sentence_anchor(claim.sentence_id))],
            ])
        return result

    def _repr_html_(self) -> str:
        return html_table("cb-claim-table", CLAIM_COLUMNS, self.rows(), [("data-claim", c.claim_id) for c in self.claims])

    def _repr_latex_(self) -> str:
        return latex_table(CLAIM_WIDTHS, CLAIM_COLUMNS, self.rows())


def _field(row, name):
    return row[name] if isinstance(row, Mapping) else getattr(row, name)


class _Figure:
    """The fields :func:`format_derived` reads, from an object or a mapping."""

    def __init__(self, row):
        for name in ("value", "lower", "upper", "unit", "kind"):
            setattr(self, name, _field(row, name))


class DerivedTable:
    """Derived figures as a table: title, value, range and inputs, each linked.

    ``rows`` are the objects of :func:`claimbook.derived.evaluate_all` (or mappings with the same
    fields, such as the rows of ``derived.csv``); inputs are told apart as claims or derived
    figures with ``registry`` (by default the book's ``data/``)."""

    def __init__(self, rows: Iterable, registry: Registry | None = None, *,
                 source_doc: str = SOURCE_DOC, derived_doc: str = DERIVED_DOC):
        self.figures = list(rows.values()) if isinstance(rows, Mapping) else list(rows)
        self.registry = registry
        self.source_doc = source_doc
        self.derived_doc = derived_doc

    def __len__(self) -> int:
        return len(self.figures)

    def __repr__(self) -> str:
        return f"DerivedTable({', '.join(_field(r, 'derived_id') for r in self.figures)})"

    def _input(self, ref: str, claim_ids) -> Piece:
        if ref in claim_ids:
            return Piece(ref, self.source_doc, claim_anchor(ref), "claim", ref)
        return Piece(ref, self.derived_doc, derived_anchor(ref), "derived", ref)

    def rows(self) -> list[list[list[Piece]]]:
        if self.registry is None:
            self.registry = Registry()
        claim_ids = self.registry.claims
        result = []
        for figure in self.figures:
            derived_id = _field(figure, "derived_id")

            def traced(text):
                return Piece(text, self.derived_doc, derived_anchor(derived_id), "derived", derived_id)
            value = format_value(_field(figure, "value"), _field(figure, "unit"), _field(figure, "kind"))
            spread = format_derived(_Figure(figure))
            inputs = _field(figure, "inputs")
            inputs = [i for i in inputs.split(";") if i] if isinstance(inputs, str) else list(inputs)
            result.append([
                [traced(_field(figure, "title"))],
                [traced(value)],
                [traced(spread) if spread != value else Piece(NO_RANGE)],
                [self._input(ref, claim_ids) for ref in inputs],
            ])
        return result

    def _repr_html_(self) -> str:
        return html_table("cb-derived-table", DERIVED_COLUMNS, self.rows(),
                          [("data-derived", _field(f, "derived_id")) for f in self.figures])

    def _repr_latex_(self) -> str:
        return latex_table(DERIVED_WIDTHS, DERIVED_COLUMNS, self.rows())
