"""The sensitivity analysis: how the derived figures and the chapters' conclusions move when the
method's assumptions change, checked against the formulas evaluated at the corners of their box.

What the article states is fixed (the ``lower``/``upper`` of each claim). What the method assumes is
not: the margin on the side a qualifier leaves open (近 X → at least X·(1−margin)) and the reading of
an ambiguous multiple (增加15倍 as ×15 or ×16). Each :class:`Scenario` fixes both, and papermill runs
``chapters/scenario.ipynb`` once per scenario (the ``scenario-*`` entries of ``chapters/manifest.yml``).
A run (:func:`run_scenario`)

1. evaluates every derived figure with interval arithmetic over the scenario's claim ranges;
2. evaluates each formula with floats at the corners of its inputs' box (:mod:`claimbook.corners`)
   and fails if any corner value lies outside the interval: the check fails when the arithmetic is
   wrong, so it tests the arithmetic rather than repeating it;
3. records each input's swing of each figure, and the status of the chapters' conclusions
   (:data:`CONCLUSIONS`) under the scenario.

The robustness chapter (``chapters/sensitivity.ipynb``) loads the runs (:func:`load_runs`) and shows
which input drives each range and which conclusions hold under which assumption. Where no run
recorded its results (Jupyter, a stock ``jupyter-book build``), the chapter does each run itself,
with the same :func:`run_scenario`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .chapter import Chapter, Markdown, cell, claim_role, derived_role, recorded_run
from .corners import Figures, enclosure_failures, swings
from .derived import MULTIPLE_READINGS, assumed_interval, evaluate_intervals, load_formulas
from .display import format_change, format_value
from .interval import Interval
from .qualifiers import MARGIN, SENSITIVITY_MARGINS, method_constants
from .registry import Registry

BOTH = "both"  # an ambiguous multiple keeps both readings as its range
HOLDS, FAILS, UNDECIDED = "holds", "fails", "undecided"


@dataclass(frozen=True)
class Scenario:
    margin: Decimal
    multiple: str = BOTH

    @property
    def name(self) -> str:
        """The manifest entry: ``scenario-margin-10``, ``scenario-margin-10-literal``."""
        suffix = "" if self.multiple == BOTH else f"-{self.multiple}"
        return f"scenario-margin-{int(self.margin * 100)}{suffix}"

    def claim_range(self, claim) -> Interval:
        return assumed_interval(claim, self.margin, None if self.multiple == BOTH else self.multiple)


def scenario_name(margin: float, multiple: str) -> str:
    """The manifest entry that runs ``chapters/scenario.ipynb`` with these parameters."""
    return Scenario(Decimal(str(margin)), multiple).name


SCENARIOS = tuple(Scenario(m) for m in SENSITIVITY_MARGINS) + tuple(Scenario(MARGIN, r) for r in MULTIPLE_READINGS)
MARGIN_SCENARIOS = tuple(s for s in SCENARIOS if s.multiple == BOTH)  # one per margin, both readings kept
DEFAULT = Scenario(MARGIN)


# --- conclusions the chapters draw --------------------------------------------------------------

@dataclass(frozen=True)
class Conclusion:
    """A statement a chapter makes from ranges, in MyST with roles, and how to test it on them."""
    key: str
    chapter: str
    text: str
    test: Callable[[dict[str, Interval]], str]


def _certainly_greater(left: str, right: str | float) -> Callable[[dict[str, Interval]], str]:
    def test(values: dict[str, Interval]) -> str:
        a = values[left]
        b = values[right] if isinstance(right, str) else Interval.exact(right)
        return HOLDS if a.certainly_greater(b) else FAILS if a.upper <= b.lower else UNDECIDED
    return test


def _above(left: str, floor: float, inclusive: bool = False) -> Callable[[dict[str, Interval]], str]:
    """Holds when the whole range is above ``floor`` (or at it, if ``inclusive``)."""
    def test(values: dict[str, Interval]) -> str:
        a = values[left]
        if a.lower > floor or (inclusive and a.lower == floor):
            return HOLDS
        return FAILS if a.upper < floor or (not inclusive and a.upper == floor) else UNDECIDED
    return test


def _readings_closer_than_range(x15: str, x16: str) -> Callable[[dict[str, Interval]], str]:
    def test(values: dict[str, Interval]) -> str:
        gap = abs(values[x15].point - values[x16].point)
        return HOLDS if gap < min(values[x15].width, values[x16].width) else FAILS
    return test


CONCLUSIONS = (
    Conclusion("baoshunchang-readings", "firms",
               "The two readings of {claim-exact}`baoshunchang-output-growth-10y` put Baoshunchang's earlier output "
               "closer together ({derived}`baoshunchang-output-2015-x15` and {derived}`baoshunchang-output-2015-x16`) "
               "than the range of either under {claim-exact}`baoshunchang-output-2025`.",
               _readings_closer_than_range("baoshunchang-output-2015-x15", "baoshunchang-output-2015-x16")),
    Conclusion("kaian-profit-covers-saving", "firms",
               "Kaian's stated profit increase is at least its stated cost saving: "
               "{derived-title}`kaian-profit-increase-beyond-cost-saving` is not negative.",
               _above("kaian-profit-increase-beyond-cost-saving", 0.0, inclusive=True)),
    Conclusion("byd-more-than-doubled", "firms",
               "BYD's Fuzhou base more than doubled its revenue: {derived-title}`byd-fuzhou-revenue-increase-2025` "
               "exceeds {derived-title}`byd-fuzhou-revenue-2024-implied`.",
               _certainly_greater("byd-fuzhou-revenue-increase-2025", "byd-fuzhou-revenue-2024-implied")),
    Conclusion("wodeer-more-than-one-a-year", "firms",
               "Wodeer increased its capital more than once a year on average: "
               "{derived-title}`wodeer-capital-increases-per-year` exceeds one.",
               _certainly_greater("wodeer-capital-increases-per-year", 1.0)),
    Conclusion("xinfeng-electronics-majority", "business",
               "Electronic-information firms are a majority of Xinfeng's listed firms: "
               "{derived-title}`xinfeng-electronics-share-of-listed-firms` is above one half.",
               _above("xinfeng-electronics-share-of-listed-firms", 0.5)),
)


def conclusion_statuses(values: dict[str, Interval]) -> dict[str, str]:
    return {c.key: c.test(values) for c in CONCLUSIONS}


# --- one scenario --------------------------------------------------------------------------------

class EnclosureError(AssertionError):
    """The interval arithmetic gave a range that misses a value the formula takes in the box."""


def run_scenario(chapter: Chapter, margin: float, multiple: str) -> dict:
    """Evaluate, check and record one scenario (see the module docstring); raises
    :class:`EnclosureError` naming each corner outside its figure's interval."""
    scenario = Scenario(Decimal(str(margin)), multiple)
    if scenario not in SCENARIOS:
        raise ValueError(f"margin {margin} with multiple {multiple!r} is not one of the scenarios "
                         f"{', '.join(s.name for s in SCENARIOS)}")
    figures, intervals, checked = _enclosure(chapter.registry, scenario)
    result = {
        "scenario": {"name": scenario.name, "margin": float(scenario.margin), "multiple": multiple},
        "evaluations": checked,
        "intervals": {k: [v.lower, v.point, v.upper] for k, v in intervals.items()},
        "swings": {k: [[s.claim_id, s.low, s.high] for s in swings(figures, k, scenario.claim_range)]
                   for k in intervals},
        "conclusions": conclusion_statuses(intervals),
    }
    chapter.record(sensitivity=result)
    return result


def check_enclosure(registry: Registry, scenario: Scenario = DEFAULT) -> int:
    """The corner check alone (for tests and for a reader): the number of evaluations made."""
    return _enclosure(registry, scenario)[2]


def _enclosure(registry: Registry, scenario: Scenario) -> tuple[Figures, dict[str, Interval], int]:
    """(the formulas as floats, every figure's interval under ``scenario``, the corner evaluations
    made); raises :class:`EnclosureError` naming each corner outside its figure's interval."""
    formulas = load_formulas(registry=registry)
    intervals = evaluate_intervals(registry, formulas, claim_interval=scenario.claim_range)
    figures = Figures(registry, formulas)
    checked, outside = enclosure_failures(figures, intervals, scenario.claim_range)
    if outside:
        raise EnclosureError(f"{scenario.name}: {len(outside)} of {checked} evaluations lie outside the interval "
                             "the arithmetic gives:\n  " + "\n  ".join(str(c) for c in outside[:20]))
    return figures, intervals, checked


# --- the robustness chapter ------------------------------------------------------------------------

def _percent_of(value: float, point: float) -> float:
    """How far ``value`` lies from ``point``, in per cent of the point."""
    return 100 * (value / point - 1)


@dataclass
class Runs:
    chapter: Chapter
    results: dict[str, dict]  # scenario name → run_scenario's result

    def summary(self) -> str:
        """What the check did, a row per run, as the code's output: narrow enough for the page and the PDF.
        A run that finds a value outside its figure's interval raises, so every run here found none."""
        width = max(len(s.name) for s in SCENARIOS)
        lines = [f"{'run':<{width}}  derived figures  evaluations"]
        for scenario in SCENARIOS:
            result = self.results[scenario.name]
            lines.append(f"{scenario.name:<{width}}  {len(result['intervals']):>15}  {result['evaluations']:>11}")
        lines.append("In every run, no evaluation lies outside its figure's interval.")
        return "\n".join(lines)

    def moving(self, scenario: Scenario = DEFAULT) -> list[str]:
        """Derived figures whose range under the scenario is not a single value, widest (relative) first."""
        intervals = self.results[scenario.name]["intervals"]
        ranged = [k for k, (low, point, high) in intervals.items() if high != low and point != 0]
        return sorted(ranged, key=lambda k: (-(intervals[k][2] - intervals[k][0]) / abs(intervals[k][1]), k))

    def drivers(self, derived_id: str, scenario: Scenario) -> list[tuple[str, float]]:
        """(claim id, swing) of the inputs that move the figure under ``scenario``, largest first."""
        return [(claim_id, abs(high - low)) for claim_id, low, high in self.results[scenario.name]["swings"][derived_id]
                if high != low]

    def driver_table(self) -> Markdown:
        """Each moving figure and the input that moves it most under each margin, as roles."""
        header = " | ".join(f"Main input at {{constant}}`{_constant_name(s.margin)}`" for s in MARGIN_SCENARIOS)
        lines = [f"| Derived figure | {header} |", "|---" * (len(MARGIN_SCENARIOS) + 1) + "|"]
        for derived_id in self.moving():
            cells = []
            for scenario in MARGIN_SCENARIOS:
                top = self.drivers(derived_id, scenario)[:1]
                cells.append(claim_role(top[0][0], "claim-exact") if top else "none")
            lines.append(f"| {derived_role(derived_id, 'derived-title')} | " + " | ".join(cells) + " |")
        return Markdown("\n".join(lines), self.chapter.reader)

    def conclusion_table(self) -> Markdown:
        """Each conclusion under the stated bounds alone and under each scenario: holds, fails or undecided."""
        stated = conclusion_statuses({k: d.interval for k, d in self.chapter.derived.items()})
        heads = ["Stated bounds only"] + [_scenario_head(s) for s in SCENARIOS]
        lines = [f"| Conclusion | Chapter | {' | '.join(heads)} |", "|---" * (len(heads) + 2) + "|"]
        for c in CONCLUSIONS:
            statuses = [stated[c.key]] + [self.results[s.name]["conclusions"][c.key] for s in SCENARIOS]
            lines.append(f"| {cell(c.text)} | {{ref}}`chapter-{c.chapter}` | " + " | ".join(statuses) + " |")
        return Markdown("\n".join(lines), self.chapter.reader)

    def swing_rows(self, count: int) -> list[tuple[str, str, float, float]]:
        """(derived id, claim id, change at the input's lower end, at its upper end, in per cent of
        the point) for the inputs of the ``count`` widest figures under the default scenario."""
        rows = []
        for derived_id in self.moving()[:count]:
            point = self.results[DEFAULT.name]["intervals"][derived_id][1]
            for claim_id, low, high in self.results[DEFAULT.name]["swings"][derived_id]:
                if high != low:
                    rows.append((derived_id, claim_id, _percent_of(low, point), _percent_of(high, point)))
        return rows

    def tornado_rows(self, count: int) -> list[tuple[str, float, float]]:
        """(label, change at the input's lower end, at its upper end, in per cent of the point): the
        :meth:`swing_rows` labelled with the figure's title and the input's words."""
        return [(self._swing_label(derived_id, claim_id), low, high)
                for derived_id, claim_id, low, high in self.swing_rows(count)]

    def _swing_label(self, derived_id: str, claim_id: str) -> str:
        return f"{self.chapter.derived[derived_id].title} ← {self.chapter.registry.claims[claim_id].exact}"

    def tornado_download(self, count: int) -> list[dict]:
        """The tornado chart's rows for its download, with the ids of the figure and of the input."""
        return [{"label": self._swing_label(derived_id, claim_id), "derived_id": derived_id, "claim_id": claim_id,
                 "sentence_id": self._sentence_of(claim_id), "change_at_lower_end_percent": low,
                 "change_at_upper_end_percent": high} for derived_id, claim_id, low, high in self.swing_rows(count)]

    def _sentence_of(self, claim_id: str) -> str:
        claim = self.chapter.registry.claims[claim_id]
        return f"{claim.source_id}:{claim.sentence_id}"

    def margin_spans(self, count: int) -> list[tuple[str, list[tuple[float, float]]]]:
        """(derived id, [(lower, upper) change in per cent of the point under each margin])."""
        rows = []
        for derived_id in self.moving()[:count]:
            spans = []
            for scenario in MARGIN_SCENARIOS:
                low, point, high = self.results[scenario.name]["intervals"][derived_id]
                spans.append((_percent_of(low, point), _percent_of(high, point)))
            rows.append((derived_id, spans))
        return rows

    def margin_rows(self, count: int) -> list[tuple[str, list[tuple[float, float]]]]:
        """(figure title, [(lower, upper) change in per cent of the point under each margin])."""
        return [(self.chapter.derived[derived_id].title, spans) for derived_id, spans in self.margin_spans(count)]

    def margin_download(self, count: int) -> list[dict]:
        """The margin chart's rows for its download: one per figure and assumed margin."""
        return [{"label": self.chapter.derived[derived_id].title, "derived_id": derived_id,
                 "margin": float(scenario.margin), "lower_change_percent": low, "upper_change_percent": high}
                for derived_id, spans in self.margin_spans(count)
                for scenario, (low, high) in zip(MARGIN_SCENARIOS, spans, strict=True)]

    @staticmethod
    def tornado_alt(rows) -> str:
        parts = [f"{label}: from {format_change(low)} to {format_change(high)}" for label, low, high in rows]
        return ("Change of each derived figure, in per cent of its stated-value reading, as one input moves "
                "across its assumed range: " + "; ".join(parts) + ".")

    @staticmethod
    def margin_alt(rows) -> str:
        margins = [format_value(s.margin, "fraction", exact=True) for s in MARGIN_SCENARIOS]
        parts = [f"{title}: " + ", ".join(f"margin {m} from {format_change(lo)} to {format_change(hi)}"
                                          for m, (lo, hi) in zip(margins, spans, strict=True))
                 for title, spans in rows]
        return "Range of each derived figure, in per cent of its stated-value reading, under each assumed margin: " \
               + "; ".join(parts) + "."


def _constant_name(margin: Decimal) -> str:
    """The name of the method's constant that holds ``margin`` (MARGIN, MARGIN_NARROW, MARGIN_WIDE)."""
    return next(name for name, (value, _unit, _meaning) in method_constants().items()
                if name.startswith("MARGIN") and value == margin)


def _scenario_head(scenario: Scenario) -> str:
    head = f"Margin {{constant}}`{_constant_name(scenario.margin)}`"
    if scenario.multiple != BOTH:
        head += f", {scenario.multiple} reading"
    return head


def load_runs(chapter: Chapter, output_dir: str | None) -> Runs:
    """The results the scenario runs recorded in ``output_dir`` as ``<scenario name>.json``; a run
    that recorded nothing there is done here (:func:`claimbook.chapter.recorded_run`)."""
    results = {}
    for scenario in SCENARIOS:
        def run(scenario: Scenario = scenario) -> dict:
            runner = Chapter(chapter.source_id, chapter.group, name=scenario.name, registry=chapter.registry)
            return {"sensitivity": run_scenario(runner, float(scenario.margin), scenario.multiple)}
        recorded = recorded_run(output_dir, scenario.name, run)["sensitivity"]
        if recorded["scenario"]["name"] != scenario.name:
            raise AssertionError(f"{scenario.name} was recorded for {recorded['scenario']['name']!r}")
        results[scenario.name] = recorded
    return Runs(chapter, results)
