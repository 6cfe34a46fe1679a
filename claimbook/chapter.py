"""What a chapter notebook calls: load once, emit traced tables and figures, record the values.

Tables and captions are written in MyST, with numbers as ``{claim}``/``{derived}`` roles, and
displayed as :mod:`claimbook.outputs` bundles: the book renders the MyST with its own parser, so
one Sphinx extension renders every traced number for HTML and LaTeX alike, and Jupyter shows the
same tables with the numbers as the book prints them. Nothing in a notebook output is a number
typed as text. The data is the book's, found from the working directory or ``root``
(:mod:`claimbook.bookroot`), not the folder beside the installed package.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from .bookroot import book_data_dir
from .charts import Bar
from .derived import DerivedValue, evaluate_all, leaf_claims, publish_number
from .display import format_range, format_value
from .interval import READINGS
from .meaning import statement_text
from .outputs import PNG_DPI, FigureOutput, Markdown, Reader, figure_images
from .qualifiers import stated_sides
from .registry import Claim, Registry

ALL_GROUPS = "all"  # the group parameter of chapters that span every indicator group
NO_CLAIMS = "*No quantity of this group is registered yet* (`data/claims.csv`)."
NO_DERIVED = "*No derived figure is defined for this group yet* (`data/formulas.csv`)."


def _figure_formats() -> None:
    """In a kernel, charts become SVG (for HTML) and PNG (for LaTeX: a picture, so that axis labels
    are not mistaken for the book's text); the build fixes SOURCE_DATE_EPOCH, so the bytes never vary."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", "png", dpi=PNG_DPI)


def cell(text: str) -> str:
    """Authored text (it may hold MyST markup) on one line, safe inside a MyST pipe-table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


# CommonMark lets any ASCII punctuation be escaped with a backslash (spec, section 2.4). Escaped,
# text from the data files can open no HTML tag, role, link, emphasis, maths or table cell.
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def data_text(text: str) -> str:
    """Text from the data files (indicators, entities, titles) as literal MyST on one line."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def claim_role(claim_id: str, role: str = "claim") -> str:
    return f"{{{role}}}`{claim_id}`"


def derived_role(derived_id: str, role: str = "derived") -> str:
    return f"{{{role}}}`{derived_id}`"


def sentence_role(claim: Claim) -> str:
    return f"{{sentence}}`{claim.source_id}:{claim.sentence_id}`"


class Chapter:
    """One indicator group under one reading of the qualifiers."""

    def __init__(self, source_id: str, group: str, reading: str = "point", output_dir: str | None = None,
                 name: str | None = None, data_dir: Path | None = None, root: str | Path | None = None,
                 registry: Registry | None = None):
        """``root`` names the book (default: found from the working directory or $CLAIMBOOK_ROOT);
        ``data_dir`` names a data folder directly (tests); ``registry``, one loaded already (another
        chapter's: the scenario runs of the robustness chapter)."""
        if reading not in READINGS:
            raise ValueError(f"reading must be one of {', '.join(READINGS)}, not {reading!r}")
        if registry is None:
            registry = Registry(data_dir if data_dir is not None else book_data_dir(root))
        self.registry = registry
        if source_id not in self.registry.sources:
            raise ValueError(f"unknown source_id {source_id!r}; known: {sorted(self.registry.sources)}")
        self.source_id, self.group, self.reading = source_id, group, reading
        self.name = name or group
        self.output_dir = Path(output_dir) if output_dir else None
        self.derived: dict[str, DerivedValue] = evaluate_all(self.registry, reading)
        self.figures: dict[str, str] = {}
        _figure_formats()

    @cached_property
    def reader(self) -> Reader:
        """How Jupyter shows this chapter's roles: as the book prints them (point reading)."""
        return Reader(self.registry, self.derived if self.reading == "point" else None)

    # -- what belongs to this chapter -------------------------------------------------------------
    def _in_scope(self, group: str, source_id: str) -> bool:
        return source_id == self.source_id and self.group in (ALL_GROUPS, group)

    def claims(self) -> list[Claim]:
        return [c for c in self.registry.claim_list if self._in_scope(c.group, c.source_id)]

    def derived_figures(self) -> list[DerivedValue]:
        return [d for d in self.derived.values() if self._in_scope(d.group, d.source_id)]

    def claim(self, claim_id: str) -> Claim:
        return self.registry.claims[claim_id]

    def bar(self, identifier: str, label: str) -> Bar:
        """A chart bar for a claim or a derived figure, under this chapter's reading, with the ends
        its words state; an open end (infinite, or a physical limit) is marked open. The chapter
        names what it plots (``ref``), for the figure's download."""
        return replace(self._bar(identifier, label), ref=identifier)

    def _bar(self, identifier: str, label: str) -> Bar:
        if identifier in self.derived:
            d = self.derived[identifier]
            return _bar(label, d.value, d.lower, d.upper, d.lower_stated, d.upper_stated, d.unit, d.kind)
        c = self.claim(identifier)
        lower_stated, upper_stated = stated_sides(c.qualifier)
        assumed_lower, assumed_upper = c.assumed_ends
        point = {"point": c.value, "lower": assumed_lower, "upper": assumed_upper}[self.reading]
        return _bar(label, point, c.lower, c.upper, lower_stated, upper_stated, c.unit, c.kind)

    # -- outputs ----------------------------------------------------------------------------------
    def claims_table(self, claims: list[Claim] | None = None) -> Markdown:
        claims = claims if claims is not None else self.claims()
        if not claims:  # a forked chapter before its group has rows: say so, not an empty table
            return Markdown(NO_CLAIMS, self.reader)
        rows = ["| Indicator | Entity | Stated | Value | Stated bounds | Statement | Sentence |",
                "|---|---|---|---|---|---|---|"]
        for c in claims:
            rows.append(f"| {data_text(c.indicator)} | {data_text(c.entity)} | {claim_role(c.claim_id, 'claim-exact')} "
                        f"| {claim_role(c.claim_id)} | {claim_role(c.claim_id, 'claim-range')} "
                        f"| {data_text(statement_text(c))} | {sentence_role(c)} |")
        return Markdown("\n".join(rows), self.reader)

    def registry_tables(self) -> Markdown:
        """Every claim of the source, one table per indicator group, in the groups' order."""
        parts = []
        for group in self.registry.groups:
            claims = [c for c in self.claims() if c.group == group.group_id]
            if claims:
                title = (f"**{data_text(group.title_en)}**"
                         + (f" ({data_text(group.title_zh)})" if group.title_zh else ""))
                parts.append(f"{title}\n\n{self.claims_table(claims).text}")
        return Markdown("\n\n".join(parts), self.reader)

    def derived_table(self, figures: list[DerivedValue] | None = None) -> Markdown:
        figures = figures if figures is not None else self.derived_figures()
        if not figures:
            return Markdown(NO_DERIVED, self.reader)
        rows = ["| Derived figure | Computed from | Value | Range the stated bounds allow "
                "| Range assuming the method's margins |", "|---|---|---|---|---|"]
        for d in figures:
            inputs = ", ".join(self._input_role(i) for i in d.inputs)
            rows.append(f"| {data_text(d.title)} | {inputs} | {derived_role(d.derived_id)} "
                        f"| {derived_role(d.derived_id, 'derived-range')} "
                        f"| {derived_role(d.derived_id, 'derived-assumed')} |")
        return Markdown("\n".join(rows), self.reader)

    def _input_role(self, identifier: str) -> str:
        if identifier in self.derived:
            return derived_role(identifier, "derived-title")
        return claim_role(identifier, "claim-exact")

    def figure(self, key: str, fig, alt: str, caption: str, data: list) -> FigureOutput:
        """A chart as figure ``fig-<key>`` of the book, with its MyST caption and computed alt text;
        ``data`` is what it plots, the rows of its CSV download: bars this chapter made, or dicts."""
        import matplotlib.pyplot as plt

        images = figure_images(fig)
        plt.close(fig)  # shown once, as this output, not again by the inline backend
        self.figures[key] = alt
        return FigureOutput(f"fig-{key}", caption, alt, [self.plotted_row(item) for item in data], images)

    def plotted_row(self, item: Bar | dict) -> dict:
        """One row of a figure's CSV: a bar with the claim or derived figure it plots, the claims
        behind it, their sentences and the bounds the words state (empty: open), numbers written as
        ``derived.csv`` writes them (:func:`claimbook.derived.publish_number`); a dict is taken as it is."""
        if isinstance(item, dict):
            return item
        row = {"label": item.label, "id": "", "type": "", "value": publish_number(item.point),
               "lower": "", "upper": "", "unit": "", "claim_ids": "", "sentence_ids": ""}
        if not item.ref:  # a bar made by hand (a reference level), not by bar()
            return row
        identifier = row["id"] = item.ref
        if identifier in self.derived:
            plotted, kind = self.derived[identifier], "derived"
            claims = [self.claim(c) for c in leaf_claims(identifier, self.derived)]
        else:
            plotted, kind = self.claim(identifier), "claim"
            claims = [plotted]
        row.update(type=kind, lower=publish_number(plotted.lower), upper=publish_number(plotted.upper),
                   unit=plotted.unit)
        row["claim_ids"] = ";".join(c.claim_id for c in claims)
        row["sentence_ids"] = ";".join(dict.fromkeys(f"{c.source_id}:{c.sentence_id}" for c in claims))
        return row

    def alt_text(self, title: str, bars: list[Bar], unit: str | None = None) -> str:
        """Alt text that states the plotted values in their own units, formatted the one way the book
        formats them. ``unit``, if given, must be the bars' unit: a wrong one is an error, never a
        published "15,000,000,000 billion yuan"."""
        for bar in bars:
            if unit is not None and bar.unit and bar.unit != unit:
                raise ValueError(f"alt text for {title!r}: unit {unit!r} "
                                 f"is not the unit of {bar.label!r} ({bar.unit!r})")

        def describe(bar: Bar) -> str:
            bar_unit = bar.unit or unit or ""
            text = format_value(bar.point, bar_unit, bar.kind)
            if (bar.lower, bar.upper) != (bar.point, bar.point) or not (bar.lower_stated and bar.upper_stated):
                spread = format_range(bar.lower, bar.upper, bar_unit, bar.kind, lower_stated=bar.lower_stated,
                                      upper_stated=bar.upper_stated)
                text += f" ({spread})" if spread.startswith("at ") else f" (range {spread})"
            return text
        return f"{title}: " + "; ".join(f"{b.label}, {describe(b)}" for b in bars) + "."

    def record(self, **extra) -> dict:
        """The chapter's computed values, written to output_dir for verification and the sensitivity
        chapter; ``extra`` adds further values (the scenario runs record their analysis). An open end
        is recorded as null."""
        values = {
            "chapter": self.name, "group": self.group, "source_id": self.source_id, "reading": self.reading,
            "claims": {c.claim_id: [c.value, c.lower, c.upper] for c in self.claims()},
            "derived": {d.derived_id: [d.value, _finite(d.lower), _finite(d.upper)] for d in self.derived_figures()},
            "figures": self.figures,
            **extra,
        }
        if self.output_dir:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            path = self.output_dir / f"{self.name}.json"
            path.write_text(json.dumps(values, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return values


def _finite(value: float | None) -> float | None:
    """JSON has no infinity: an open end is null."""
    return None if value is None or math.isinf(value) else value


def recorded_run(output_dir: str | Path | None, name: str, compute: Callable[[], dict]) -> dict:
    """What the manifest entry ``name`` recorded in ``output_dir`` (the build runs it first, as
    ``needs`` says); where no entry ran (Jupyter, a stock ``jupyter-book build``), the same values
    computed in this process by ``compute``."""
    path = Path(output_dir) / f"{name}.json" if output_dir else None
    if path is not None and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return compute()


def _bar(label, point, lower, upper, lower_stated, upper_stated, unit, kind) -> Bar:
    """A Bar whose side is stated only where a finite bound is (its whisker stops an open side at the
    point; only an arrow shows it)."""
    lower_stated = lower_stated and lower is not None and math.isfinite(lower)
    upper_stated = upper_stated and upper is not None and math.isfinite(upper)
    return Bar(label, point, lower, upper, lower_stated, upper_stated, unit, kind)
