"""Tables for the chapter notebooks, in which every number links to where it comes from.

``ClaimTable`` lists claims; ``DerivedTable`` lists derived figures. Each has ``_repr_html_`` for
the HTML book and Jupyter, and ``_repr_latex_`` for the PDF: myst-nb picks one per builder.
Links are relative to the chapter pages, which all live in ``chapters/`` beside the appendices:
``source-text.html#claim-<id>`` in HTML, ``\\hyperref[<label>]`` with the label Sphinx gives the
same anchor in LaTeX. Every text from the data is escaped for the format it lands in.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from .display import (
    claim_bounds_text, format_claim, format_derived, format_value, latex_escape, latex_label,
)
from .derived import derived_anchor
from .registry import Registry, claim_anchor
from .source import sentence_anchor

# Where the appendices are; the Sphinx extension finds them from their directives, and warns if
# they are missing. The notebooks cannot ask Sphinx, so these names are the convention.
SOURCE_DOC = "chapters/source-text"
DERIVED_DOC = "chapters/derived-figures"
# The first line of every LaTeX output made here. myst-nb would typeset text/latex as maths; the
# extension sees this line and passes the table through as LaTeX instead.
LATEX_OUTPUT_MARKER = "% claimbook:latex"

CLAIM_COLUMNS = ("Indicator", "Entity", "Stated", "Value", "Lower–upper", "Sentence")
DERIVED_COLUMNS = ("Figure", "Value", "Range", "Inputs")


def _page(docname: str) -> str:
    """Relative href of an appendix page from a page in the same folder."""
    return docname.rsplit("/", 1)[-1] + ".html"


def _html_link(text: str, href: str, data: tuple[str, str] | None = None, cls: str = "", lang: str = "") -> str:
    attributes = [("class", cls), ("href", href), ("lang", lang)]
    if data:
        attributes.insert(1, data)
    rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attributes if v)
    return f"<a{rendered}>{html.escape(text)}</a>"


def _latex_link(text: str, docname: str, anchor: str) -> str:
    return r"\hyperref[%s]{%s}" % (latex_label(docname, anchor), latex_escape(text))


def _html_table(cls: str, columns, rows: list[list[str]], row_data: list[tuple[str, str]]) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr {name}="{html.escape(value, quote=True)}">' + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row, (name, value) in zip(rows, row_data)
    )
    return f'<table class="cb-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _latex_table(widths: Iterable[str], columns, rows: list[list[str]]) -> str:
    spec = "".join(f"p{{{w}\\linewidth}}" for w in widths)
    head = " & ".join(r"\textbf{%s}" % latex_escape(c) for c in columns) + r" \\ \hline"
    lines = [
        LATEX_OUTPUT_MARKER,
        r"\begingroup\small",
        r"\begin{longtable}{%s}" % spec,
        r"\hline",
        head,
        r"\endhead",
    ]
    lines += [" & ".join(row) + r" \\" for row in rows]
    lines += [r"\hline", r"\end{longtable}", r"\endgroup"]
    return "\n".join(lines) + "\n"


class ClaimTable:
    """Claims as a table: indicator, entity, the stated words, the value, its bounds, the sentence.

    ``claims`` are :class:`~claimbook.registry.Claim` objects or claim ids of ``registry``."""

    def __init__(self, claims: Iterable, registry: Registry | None = None, *,
                 source_doc: str = SOURCE_DOC):
        claims = list(claims)
        if any(isinstance(c, str) for c in claims):
            registry = registry if registry is not None else Registry()
            unknown = [c for c in claims if isinstance(c, str) and c not in registry.claims]
            if unknown:
                raise KeyError(f"unknown claim id(s): {', '.join(unknown)}")
            claims = [registry.claims[c] if isinstance(c, str) else c for c in claims]
        self.claims = claims
        self.source_doc = source_doc

    def __len__(self) -> int:
        return len(self.claims)

    def __repr__(self) -> str:
        return f"ClaimTable({', '.join(c.claim_id for c in self.claims)})"

    def _cells(self, claim):
        """(text, anchor) of each cell; anchor None for plain text."""
        anchor = claim_anchor(claim.claim_id)
        bounds = claim_bounds_text(claim)
        no_bounds = "as stated" if claim.value is not None else ""
        return [
            (claim.indicator, None),
            (claim.entity, None),
            (claim.exact, anchor),
            (format_claim(claim), anchor),
            (bounds, anchor) if bounds else (no_bounds, None),
            (claim.sentence_id, sentence_anchor(claim.sentence_id)),
        ]

    def _repr_html_(self) -> str:
        page = _page(self.source_doc)
        rows = []
        for claim in self.claims:
            row = []
            for index, (text, anchor) in enumerate(self._cells(claim)):
                if anchor is None:
                    row.append(html.escape(text))
                elif index == 5:
                    row.append(_html_link(text, f"{page}#{anchor}", cls="cb-sid"))
                else:
                    row.append(_html_link(text, f"{page}#{anchor}", ("data-claim", claim.claim_id),
                                          "cb-num cb-claim", "zh-Hans" if index == 2 else ""))
            rows.append(row)
        return _html_table("cb-claim-table", CLAIM_COLUMNS, rows, [("data-claim", c.claim_id) for c in self.claims])

    def _repr_latex_(self) -> str:
        rows = [
            [latex_escape(text) if anchor is None else _latex_link(text, self.source_doc, anchor)
             for text, anchor in self._cells(claim)]
            for claim in self.claims
        ]
        return _latex_table(("0.24", "0.13", "0.11", "0.16", "0.14", "0.07"), CLAIM_COLUMNS, rows)


def _field(row, name):
    return row[name] if isinstance(row, Mapping) else getattr(row, name)


class DerivedTable:
    """Derived figures as a table: title, value, range and inputs, each linked.

    ``rows`` are the objects of :func:`claimbook.derived.evaluate_all` (or mappings with the same
    fields); inputs are told apart as claims or derived figures with ``registry``."""

    def __init__(self, rows: Iterable, registry: Registry | None = None, *,
                 source_doc: str = SOURCE_DOC, derived_doc: str = DERIVED_DOC):
        self.rows = list(rows.values()) if isinstance(rows, Mapping) else list(rows)
        self.registry = registry
        self.source_doc = source_doc
        self.derived_doc = derived_doc

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"DerivedTable({', '.join(_field(r, 'derived_id') for r in self.rows)})"

    def _claim_ids(self) -> set[str]:
        if self.registry is None:
            self.registry = Registry()
        return set(self.registry.claims)

    def _inputs(self, row) -> list[str]:
        inputs = _field(row, "inputs")
        return [i for i in inputs.split(";") if i] if isinstance(inputs, str) else list(inputs)

    def _cells(self, row):
        """(text, docname, anchor, kind, id) per cell; each input its own link."""
        derived_id = _field(row, "derived_id")
        anchor = derived_anchor(derived_id)
        value = format_value(_field(row, "value"), _field(row, "unit"), _field(row, "kind"))
        spread = format_derived(_Figure(row))
        claims = self._claim_ids()
        inputs = [(ref, self.source_doc, claim_anchor(ref), "claim", ref) if ref in claims
                  else (ref, self.derived_doc, derived_anchor(ref), "derived", ref) for ref in self._inputs(row)]
        return [
            [(_field(row, "title"), self.derived_doc, anchor, "derived", derived_id)],
            [(value, self.derived_doc, anchor, "derived", derived_id)],
            [(spread, self.derived_doc, anchor, "derived", derived_id)] if spread != value else [],
            inputs,
        ]

    def _repr_html_(self) -> str:
        rows = []
        for row in self.rows:
            cells = []
            for links in self._cells(row):
                cells.append(", ".join(
                    _html_link(text, f"{_page(doc)}#{anchor}", (f"data-{kind}", ref_id), "cb-num cb-" + kind)
                    for text, doc, anchor, kind, ref_id in links))
            rows.append(cells)
        return _html_table("cb-derived-table", DERIVED_COLUMNS, rows,
                           [("data-derived", _field(r, "derived_id")) for r in self.rows])

    def _repr_latex_(self) -> str:
        rows = [[", ".join(_latex_link(text, doc, anchor) for text, doc, anchor, _, _ in links)
                 for links in self._cells(row)] for row in self.rows]
        return _latex_table(("0.30", "0.18", "0.22", "0.22"), DERIVED_COLUMNS, rows)


class _Figure:
    """The fields :func:`format_derived` reads, from an object or a mapping."""

    def __init__(self, row):
        for name in ("value", "lower", "upper", "unit", "kind"):
            setattr(self, name, _field(row, name))
