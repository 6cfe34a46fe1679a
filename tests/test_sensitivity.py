"""The sensitivity analysis can fail: the corner check catches wrong interval arithmetic, the scenarios
vary the assumptions, and the conclusions' statuses follow the ranges."""
from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from claimbook.chapter import Chapter
from claimbook.corners import ALL_CORNERS_UP_TO, SAMPLED_CORNERS, Figures, corners, enclosure_failures, swings
from claimbook.derived import assumed_interval, evaluate_intervals, load_formulas
from claimbook.interval import Interval
from claimbook.registry import Registry
from claimbook.sensitivity import (
    DEFAULT,
    FAILS,
    HOLDS,
    SCENARIOS,
    UNDECIDED,
    EnclosureError,
    Scenario,
    check_enclosure,
    conclusion_statuses,
    load_runs,
    run_scenario,
)

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "derived-mini"


def test_the_interval_arithmetic_encloses_every_corner_of_every_scenario(registry):
    for scenario in SCENARIOS:
        assert check_enclosure(registry, scenario) > len(load_formulas(registry=registry))


def _naive_subtraction(self, other):
    """A deliberately wrong rule: subtract lower from lower and upper from upper."""
    other = other if isinstance(other, Interval) else Interval.exact(other)
    ends = sorted((self.lower - other.lower, self.upper - other.upper))
    point = self.point - other.point
    return Interval(min(ends[0], point), point, max(ends[1], point))


def test_the_check_fails_on_a_deliberately_wrong_subtraction(registry, monkeypatch):
    monkeypatch.setattr(Interval, "__sub__", _naive_subtraction)
    with pytest.raises(EnclosureError, match="kaian-profit-increase-beyond-cost-saving is .* outside its interval"):
        check_enclosure(registry)


def test_the_check_fails_on_a_deliberately_wrong_division(monkeypatch):
    """Dividing the lower end by the lower end misses the quotient's true range."""
    def naive_division(self, other):
        other = other if isinstance(other, Interval) else Interval.exact(other)
        ends = sorted((self.lower / other.lower, self.upper / other.upper))
        point = self.point / other.point
        return Interval(min(ends[0], point), point, max(ends[1], point))

    monkeypatch.setattr(Interval, "__truediv__", naive_division)
    with pytest.raises(EnclosureError, match="outside its interval"):
        check_enclosure(Registry(MINI))


def test_the_scenario_run_stops_the_chapter_on_a_wrong_rule(registry, monkeypatch, tmp_path):
    monkeypatch.setattr(Interval, "__sub__", _naive_subtraction)
    chapter = Chapter("xinhua-2026-jiangxi", "all", output_dir=str(tmp_path), name="scenario-margin-10")
    with pytest.raises(EnclosureError, match="scenario-margin-10"):
        run_scenario(chapter, 0.1, "both")
    assert not (tmp_path / "scenario-margin-10.json").exists()  # nothing recorded for a failed check


def test_all_corners_up_to_the_limit_then_a_seeded_sample():
    small = {f"c{i}": Interval(0, 1, 2) for i in range(3)}
    assert len(list(corners(small))) == 8
    assert len(list(corners({"exact": Interval.exact(4), **small}))) == 8  # an exact input has one end
    large = {f"c{i}": Interval(0, 1, 2) for i in range(ALL_CORNERS_UP_TO + 2)}
    drawn = list(corners(large))
    assert len(drawn) == SAMPLED_CORNERS and drawn == list(corners(large))  # seeded: the same every run
    assert all(set(c.values()) <= {0, 2} for c in drawn)


def test_a_range_too_narrow_is_caught_at_its_corners():
    registry = Registry(MINI)
    figures = Figures(registry, load_formulas(registry=registry))
    intervals = evaluate_intervals(registry, claim_interval=assumed_interval)
    too_narrow = {k: Interval.exact(v.point) if not v.is_exact else v for k, v in intervals.items()}
    checked, outside = enclosure_failures(figures, too_narrow, assumed_interval)
    assert checked > len(intervals) and {c.derived_id for c in outside} >= {"px-leverage", "bsc-output-baseline-x15"}


def test_the_margin_and_the_reading_of_a_multiple_are_parameters(registry):
    output = registry.claims["baoshunchang-output-2025"]
    assert Scenario(Decimal("0.05")).claim_range(output).lower == pytest.approx(4.75e8)
    assert Scenario(Decimal("0.2")).claim_range(output).lower == pytest.approx(4e8)
    growth = registry.claims["baoshunchang-output-growth-10y"]
    assert (Scenario(Decimal("0.1")).claim_range(growth).lower,
            Scenario(Decimal("0.1")).claim_range(growth).upper) == (15, 16)
    assert Scenario(Decimal("0.1"), "colloquial").claim_range(growth) == Interval.exact(15)
    assert Scenario(Decimal("0.1"), "literal").claim_range(growth) == Interval.exact(16)


def test_the_reading_moves_the_figures_that_carry_both_readings(registry):
    values = {s.multiple: evaluate_intervals(registry, claim_interval=s.claim_range)["baoshunchang-output-2015"]
              for s in SCENARIOS if s.margin == Decimal("0.1")}
    assert values["colloquial"].point == pytest.approx(5e8 / 15) and values["literal"].point == pytest.approx(5e8 / 16)
    assert values["literal"].upper == pytest.approx(5e8 / 16) and values["colloquial"].upper == pytest.approx(5e8 / 15)
    assert values["both"].contains(values["literal"]) and values["both"].contains(values["colloquial"])


def test_swings_name_the_input_that_drives_a_range(registry):
    figures = Figures(registry, load_formulas(registry=registry))
    narrow, default = Scenario(Decimal("0.05")), DEFAULT
    assert swings(figures, "baoshunchang-output-2015", narrow.claim_range)[0].claim_id \
        == "baoshunchang-output-growth-10y"
    assert swings(figures, "baoshunchang-output-2015", default.claim_range)[0].claim_id == "baoshunchang-output-2025"
    exact = swings(figures, "byd-fuzhou-revenue-2024-implied", default.claim_range)
    assert all(s.size == 0 for s in exact)


def test_a_conclusion_holds_fails_or_stays_undecided_with_the_ranges(registry):
    stated = conclusion_statuses(evaluate_intervals(registry))
    by_margin = {s.margin: conclusion_statuses(evaluate_intervals(registry, claim_interval=s.claim_range))
                 for s in SCENARIOS if s.multiple == "both"}
    assert by_margin[Decimal("0.05")]["baoshunchang-readings"] == FAILS
    assert by_margin[Decimal("0.1")]["baoshunchang-readings"] == HOLDS
    assert stated["xinfeng-electronics-majority"] == UNDECIDED
    assert stated["kaian-profit-covers-saving"] == HOLDS == stated["byd-more-than-doubled"]


def test_the_manifest_runs_exactly_the_scenarios_of_the_package():
    entries = yaml.safe_load((ROOT / "chapters" / "manifest.yml").read_text(encoding="utf-8"))["entries"]
    runs = {e["name"]: e["parameters"] for e in entries if e["notebook"] == "scenario.ipynb"}
    assert set(runs) == {s.name for s in SCENARIOS}
    for scenario in SCENARIOS:
        parameters = runs[scenario.name]
        assert Decimal(str(parameters["margin"])) == scenario.margin and parameters["multiple"] == scenario.multiple
    sensitivity = next(e for e in entries if e["name"] == "sensitivity")
    assert set(sensitivity["needs"]) == set(runs)


def test_the_chapter_reads_every_run_and_does_a_missing_one_itself(registry, tmp_path):
    for scenario in SCENARIOS:
        chapter = Chapter("xinhua-2026-jiangxi", "all", output_dir=str(tmp_path), name=scenario.name)
        run_scenario(chapter, float(scenario.margin), scenario.multiple)
    chapter = Chapter("xinhua-2026-jiangxi", "all", output_dir=str(tmp_path), name="sensitivity")
    runs = load_runs(chapter, str(tmp_path))
    summary = runs.summary().splitlines()
    assert summary[-1] == "In every run, no evaluation lies outside its figure's interval."
    assert [line.split()[0] for line in summary[1:-1]] == [s.name for s in SCENARIOS]
    assert max(map(len, summary)) <= 72  # fits a code block on the page and in the PDF
    assert "{constant}`MARGIN_NARROW`" in runs.driver_table().text
    assert " fails " in runs.conclusion_table().text
    assert all(math.isfinite(low) and math.isfinite(high) for _, low, high in runs.tornado_rows(8))
    # Outside the build (Jupyter, a stock jupyter-book build) no run recorded it: the chapter runs it.
    (tmp_path / f"{SCENARIOS[0].name}.json").unlink()
    assert load_runs(chapter, str(tmp_path)).results == runs.results
    assert not (tmp_path / f"{SCENARIOS[0].name}.json").exists(), "a run done in the chapter records nothing"
