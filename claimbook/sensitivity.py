"""Compare the papermill runs of ``readings.ipynb`` under the lower, point and upper readings.

The build runs them first (the ``readings-*`` entries the robustness chapter ``needs``); where no
entry ran (Jupyter, a stock ``jupyter-book build``), the chapter computes each run in its own
process (:func:`claimbook.chapter.recorded_run`), with the same package functions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .chapter import Chapter, Markdown, cell, derived_role, recorded_run

RUNS = ("lower", "point", "upper")


@dataclass
class Comparison:
    chapter: Chapter
    runs: dict[str, dict[str, list[float]]]  # reading → derived id → [value, lower, upper]

    def check(self) -> None:
        """Each run's value must be the bound that the interval arithmetic gives for its reading."""
        for reading, derived in self.runs.items():
            for derived_id, (value, lower, upper) in derived.items():
                expected = {"lower": lower, "point": self.chapter.derived[derived_id].value, "upper": upper}[reading]
                if not math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-15):
                    raise AssertionError(f"readings-{reading}: {derived_id} is {value}, the interval gives {expected}")
        ids = [set(d) for d in self.runs.values()]
        if any(s != ids[0] for s in ids):
            raise AssertionError("the three runs recorded different derived figures")

    def rows(self) -> list[tuple[str, float, float, float]]:
        """(derived id, lower run, point run, upper run) for every figure with a non-zero point."""
        point = self.runs["point"]
        return [(i, self.runs["lower"][i][0], point[i][0], self.runs["upper"][i][0]) for i in sorted(point)
                if point[i][0] != 0]

    def widest(self, count: int) -> list[tuple[str, float, float, float]]:
        moving = [r for r in self.rows() if r[3] != r[1]]
        moving.sort(key=lambda r: (-(r[3] - r[1]) / abs(r[2]), r[0]))
        return [(self.chapter.derived[r[0]].title, *r[1:]) for r in moving[:count]]

    def alt_text(self, rows) -> str:
        parts = [f"{title}: from {100 * (lo / p - 1):+.1f}% to {100 * (hi / p - 1):+.1f}%" for title, lo, p, hi in rows]
        return "Range of each derived figure relative to its stated-value reading. " + "; ".join(parts) + "."

    def caption(self, rows) -> str:
        titles = {d.title: d.derived_id for d in self.chapter.derived.values()}
        names = ", ".join(derived_role(titles[title], "derived-title") for title, *_ in rows)
        return ("Derived figures whose range is widest, as a change from the stated-value reading; the "
                "markers show the lower (▽), stated (○) and upper (△) runs of `readings.ipynb`: " + names + ".")

    def figure_rows(self, rows) -> list[dict]:
        """The rows of :meth:`widest` for the figure's download: each derived figure under each reading."""
        ids = {d.title: d.derived_id for d in self.chapter.derived.values()}
        return [{"label": title, "id": ids[title], "lower_reading": lo, "stated_reading": p, "upper_reading": hi}
                for title, lo, p, hi in rows]

    def table(self) -> Markdown:
        lines = ["| Derived figure | Lower reading | Stated values | Upper reading |", "|---|---|---|---|"]
        for derived_id, *_ in self.rows():
            lines.append(f"| {derived_role(derived_id, 'derived-title')} | {derived_role(derived_id, 'derived-lower')} "
                         f"| {derived_role(derived_id)} | {derived_role(derived_id, 'derived-upper')} |")
        return Markdown("\n".join(lines), self.chapter.reader)


def compare_readings(chapter: Chapter, output_dir: str | None) -> Comparison:
    """The derived figures of the three runs: ``readings-<reading>.json`` recorded in ``output_dir``,
    or computed here when no run recorded them."""
    runs = {}
    for reading in RUNS:
        def run(reading=reading) -> dict:
            return Chapter(chapter.source_id, chapter.group, reading, data_dir=chapter.registry.data_dir,
                           name=f"readings-{reading}").record()
        recorded = recorded_run(output_dir, f"readings-{reading}", run)
        if recorded["reading"] != reading:
            raise AssertionError(f"readings-{reading} was recorded under reading {recorded['reading']!r}")
        runs[reading] = recorded["derived"]
    return Comparison(chapter, runs)
