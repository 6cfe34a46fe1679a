"""The interactive claims table of the HTML book: DataTables through itables, fully offline.

Each cell is the same traced link the static tables use, so a filtered row still leads to its
sentence. The PDF gets a pointer to the registry appendix instead (text/markdown).
"""
from __future__ import annotations

import pandas as pd
from itables import to_html_datatable
from itables.javascript import generate_init_offline_itables_html, opt

from .registry import Registry
from .tables import CLAIM_COLUMNS, ClaimTable, _html_piece

TABLE_ID = "cb-claims-datatable"  # fixed, so that re-executions give the same bytes
PDF_NOTE = ("The interactive, filterable version of this table is part of the HTML edition. In print, the "
            "{doc}`registry appendix <registry>` lists every claim, group by group.")


class InteractiveClaims:
    def __init__(self, registry: Registry | None = None):
        self.registry = registry or Registry()

    def frame(self) -> pd.DataFrame:
        claims = self.registry.claim_list
        rows = ClaimTable(claims, self.registry).rows()
        cells = [[", ".join(_html_piece(p) for p in cell) for cell in row] for row in rows]
        frame = pd.DataFrame(cells, columns=list(CLAIM_COLUMNS))
        frame.insert(0, "Group", [self.registry.group(c.group).title_en for c in claims])
        return frame

    def html(self) -> str:
        table = to_html_datatable(self.frame(), table_id=TABLE_ID, connected=False, allow_html=True,
                                  showIndex=False, pageLength=25, lengthMenu=[10, 25, 100],
                                  layout={"topStart": "pageLength", "topEnd": "search"}, classes="display compact")
        return generate_init_offline_itables_html(opt.dt_bundle) + table

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "text/markdown": PDF_NOTE, "text/plain": "interactive claims table"}
