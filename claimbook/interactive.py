"""The interactive claims table of the HTML book: DataTables through itables, fully offline.

itables shows HTML cells, so each cell is written here as the HTML the ``{claim}`` roles render:
a link to the claim's anchor (or its sentence's) on the source page, carrying ``data-claim``, so
a filtered row still leads to its sentence and the audit sees a traced number. Every text from
the data is escaped. A reader can download the rows the search leaves as CSV, or copy them. The PDF
gets a pointer to the registry appendix instead (text/markdown).
"""
from __future__ import annotations

import html

import pandas as pd
from itables import to_html_datatable
from itables.javascript import generate_init_offline_itables_html, opt

from .display import NO_RANGE, claim_bounds_text, format_claim
from .registry import Claim, Registry, claim_anchor
from .source import FIRST_SOURCE_PAGE, sentence_anchor, source_page_name

TABLE_ID = "cb-claims-datatable"  # fixed, so that re-executions give the same bytes
COLUMNS = ("Group", "Indicator", "Entity", "Stated", "Value", "Stated bounds", "Sentence")
# DataTables' Buttons (in itables' offline bundle): the rows the search leaves, as CSV or copied as
# text, each cell's text without its markup.
EXPORT_BUTTONS = [{"extend": "csvHtml5", "text": "Download CSV", "filename": "claims-table",
                   "exportOptions": {"stripHtml": True}},
                  {"extend": "copyHtml5", "text": "Copy", "exportOptions": {"stripHtml": True}}]
PDF_NOTE = ("The interactive, filterable version of this table is part of the HTML edition. In print, the "
            "{doc}`registry appendix <registry>` lists every claim, group by group.")


def source_page(claim: Claim, registry: Registry) -> str:
    """The source page of a claim, relative to the chapter pages (all in chapters/): the first
    source's is ``source-text``; a source added later has its own (claimbook.scaffold)."""
    first = next(iter(registry.sources))
    page = FIRST_SOURCE_PAGE.rsplit("/", 1)[-1] if claim.source_id == first else source_page_name(claim.source_id)
    return f"{page}.html"


def link(text: str, href: str, css: str, **data: str) -> str:
    attributes = {"class": css, **{f"data-{k}": v for k, v in data.items() if k != "lang"}, "href": href}
    if data.get("lang"):
        attributes["lang"] = data["lang"]
    rendered = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return f"<a{rendered}>{html.escape(text)}</a>"


def claim_cells(claim: Claim, registry: Registry) -> list[str]:
    page = source_page(claim, registry)

    def traced(text: str, **extra: str) -> str:
        return link(text, f"{page}#{claim_anchor(claim.claim_id)}", "cb-num cb-claim", claim=claim.claim_id, **extra)

    bounds = claim_bounds_text(claim)
    return [html.escape(registry.group(claim.group).title_en), html.escape(claim.indicator),
            html.escape(claim.entity), traced(claim.exact, lang=registry.sources[claim.source_id].language),
            traced(format_claim(claim)),
            traced(bounds) if bounds else NO_RANGE,
            link(claim.sentence_id, f"{page}#{sentence_anchor(claim.sentence_id)}", "cb-sid")]


class InteractiveClaims:
    def __init__(self, registry: Registry | None = None):
        self.registry = registry or Registry()

    def frame(self) -> pd.DataFrame:
        rows = [claim_cells(claim, self.registry) for claim in self.registry.claim_list]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def html(self) -> str:
        table = to_html_datatable(self.frame(), table_id=TABLE_ID, connected=False, allow_html=True,
                                  showIndex=False, pageLength=25, lengthMenu=[10, 25, 100],
                                  layout={"topStart": ["pageLength", "buttons"], "topEnd": "search"},
                                  buttons=EXPORT_BUTTONS, classes="display compact")
        return generate_init_offline_itables_html(opt.dt_bundle) + table

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "text/markdown": PDF_NOTE, "text/plain": "interactive claims table"}
