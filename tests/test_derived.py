"""Derived figures: formula loading and checking, interval evaluation, and the published table.

Most tests run against the small data directory in ``tests/fixtures/derived-mini``; the last ones
evaluate the real ``data/formulas.csv`` against the real registry.
"""
from __future__ import annotations

import csv
import io
import math
import re
import shutil
from pathlib import Path

import pytest

from claimbook.derived import (
    FORMULA_COLUMNS,
    PUBLISHED_COLUMNS,
    evaluate_all,
    evaluate_intervals,
    load_formulas,
    publish_number,
    published_csv,
    write_published,
)
from claimbook.errors import DataError
from claimbook.interval import Interval
from claimbook.registry import Registry

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIXTURE = Path(__file__).parent / "fixtures" / "derived-mini"
HEADER = ",".join(FORMULA_COLUMNS)


@pytest.fixture(scope="module")
def mini() -> Registry:
    return Registry(FIXTURE)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A writable copy of the fixture, so a test can replace its formulas.csv."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


def write_formulas(data_dir: Path, *rows: str) -> Path:
    path = data_dir / "formulas.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def row(derived_id: str, formula: str, *, source="mini", group="firms", kind="ratio", unit="multiplier") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(
        [derived_id, source, group, f"Title of {derived_id}", formula, unit, kind, "A description."]
    )
    return buffer.getvalue()


def load_error(data_dir: Path, *rows: str) -> DataError:
    path = write_formulas(data_dir, *rows)
    with pytest.raises(DataError) as caught:
        load_formulas(path)
    return caught.value


# --- loading --------------------------------------------------------------------------------------

def test_load_formulas_keeps_file_order_and_names_inputs_once_in_order(mini):
    formulas = load_formulas(FIXTURE / "formulas.csv", mini)
    ids = [f.derived_id for f in formulas]
    assert ids[:3] == ["byd-revenue-2024-implied", "bsc-cagr-x16", "bsc-ratio-x16"]
    by_id = {f.derived_id: f for f in formulas}
    assert by_id["byd-revenue-2024-implied"].inputs == ("byd-revenue-2025", "byd-revenue-growth-2025")
    assert by_id["px-remaining-share"].inputs == ("px-leveraged", "px-seed")
    assert by_id["bsc-output-baseline-x15"].inputs == ("bsc-output-2025", "bsc-growth")
    assert by_id["px-leverage"].row == 7 and by_id["px-leverage"].anchor == "derived-px-leverage"


def test_registry_defaults_to_the_directory_of_the_formulas_file():
    assert len(load_formulas(FIXTURE / "formulas.csv")) == 9


@pytest.mark.parametrize("formula, message", [
    ("{nope} + 1", "unknown id 'nope'"),
    ("{px-seed} +", "syntax error"),
    ("{px-seed", "unbalanced brace"),
    ("{Px_Seed}", "is not a claim or derived id"),
    ("log({px-seed})", "unknown function 'log'"),
    ("__import__('os')", "unknown function '__import__'"),
    ("{px-seed}.real", "not allowed \\(Attribute\\)"),
    ("{px-seed}[0]", "not allowed \\(Subscript\\)"),
    ("{px-seed} > 1", "not allowed \\(Compare\\)"),
    ("[{px-seed}]", "not allowed \\(List\\)"),
    ("lambda: 1", "not allowed \\(Lambda\\)"),
    ("{px-seed} // {px-leveraged}", "not allowed \\(BinOp\\)"),
    ("{px-seed} * 3", "the number 3 is not a structural constant"),
    ("{px-seed} * 1e8", "is not a structural constant"),
    ("{px-seed} + 'a'", "literal 'a' is not allowed"),
    ("{px-seed} * True", "literal True is not allowed"),
    ("px", "bare name 'px'"),
    ("_ref0 + {px-seed}", "reserved"),
    ("{bsc-output-year} + 1", "claim 'bsc-output-year' has no numeric value"),
    ("reading({bsc-growth}, 'x17')", "has no reading 'x17' \\(readings: x15, x16\\)"),
    ("reading({px-seed}, 'x1')", "has no reading 'x1' \\(readings: none\\)"),
    ("reading({bsc-growth}, {px-seed})", "reading name in quotes"),
    ("reading(1, 'x15')", "claim id in braces"),
    ("cagr({px-seed})", "cagr\\(\\) takes 2 arguments, got 1"),
    ("min({px-seed})", "min\\(\\) takes at least 2 arguments"),
    ("max(*{px-seed})", "positional arguments only"),
    ("root(x={px-seed}, n=1)", "positional arguments only"),
])
def test_bad_formulas_are_rejected_naming_file_row_and_column(data_dir, formula, message):
    error = load_error(data_dir, row("fine", "{px-seed} / {px-leveraged}"), row("bad", formula))
    assert (error.path.name, error.row, error.column) == ("formulas.csv", 3, "formula")
    assert error.message.endswith(f"in '{formula}'")
    assert re.search(message, error.message), error.message


def test_reading_of_a_derived_figure_is_rejected(data_dir):
    error = load_error(data_dir, row("a", "{px-seed} / {px-leveraged}"), row("b", "reading({a}, 'x1')"))
    assert error.row == 3 and "claim id in braces" in error.message


def test_a_derived_figure_may_use_one_defined_later(data_dir):
    path = write_formulas(data_dir, row("twice", "{once} + {once}"), row("once", "{px-leverage-raw}"),
                          row("px-leverage-raw", "{px-leveraged} / {px-seed}"))
    values = evaluate_intervals(Registry(data_dir))
    assert list(values) == ["twice", "once", "px-leverage-raw"]
    assert values["twice"].point == pytest.approx(2 * 5600000000 / 450000000)
    assert path.exists()


def test_a_cycle_is_named(data_dir):
    error = load_error(data_dir, row("a", "{b} + 1"), row("b", "{c} * {px-seed}"), row("c", "{a} / {px-seed}"))
    assert (error.row, error.column) == (2, "formula")
    assert error.message == "cycle between derived figures: a → b → c → a"


def test_a_self_reference_is_a_cycle(data_dir):
    error = load_error(data_dir, row("ok", "{px-seed} + 1"), row("self", "{self} + 1"))
    assert error.row == 3 and error.message.endswith("self → self")


@pytest.mark.parametrize("rows, where, message", [
    ((row("a", "{px-seed}"), row("a", "{px-seed}")), (3, "derived_id"), "duplicate id 'a' \\(first on row 2\\)"),
    ((row("px-seed", "{px-leveraged}"),), (2, "derived_id"), "already a claim id"),
    ((row("Not_Kebab", "{px-seed}"),), (2, "derived_id"), "not a kebab-case id"),
    ((row("a", "{px-seed}", source="elsewhere"),), (2, "source_id"), "unknown source 'elsewhere'"),
    ((row("a", "{px-seed}", group="nowhere"),), (2, "group"), "unknown group 'nowhere'; known: business, firms"),
    ((row("a", "{px-seed}", kind="guess"),), (2, "kind"), "unknown kind 'guess'"),
    ((row("a", "{px-seed}", unit=""),), (2, "unit"), "unit is empty"),
    ((row("a", " {px-seed}"),), (2, "formula"), "leading or trailing spaces"),
    ((row("a", ""),), (2, "formula"), "formula is empty"),
    (("a,mini,firms,Revenue in 2024,{px-seed},yuan,ratio,Fine.",), (2, "title"), "digits in prose"),
    (("a,mini,firms,Title,{px-seed},yuan,ratio,About ５ years.",), (2, "description"), "digits in prose"),
    (("a,mini,firms,Title,{px-seed},yuan,ratio",), (2, None), "wrong number of fields"),
    ((row("a", "{px-seed}"), row("b", "{px-seed}") + ",extra"), (3, None), "wrong number of fields"),
])
def test_malformed_rows_are_rejected(data_dir, rows, where, message):
    error = load_error(data_dir, *rows)
    assert (error.row, error.column) == where
    assert re.search(message, error.message), error.message


def test_a_missing_column_is_named(data_dir):
    path = data_dir / "formulas.csv"
    path.write_text("derived_id,source_id,group,title,formula,unit,description\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 1, column 'kind': missing column"):
        load_formulas(path)


def test_a_missing_file_is_named(data_dir):
    (data_dir / "formulas.csv").unlink()
    with pytest.raises(DataError, match="formulas.csv: file is missing"):
        evaluate_all(Registry(data_dir))


# --- evaluation -------------------------------------------------------------------------------------

def test_values_and_intervals(mini):
    values = evaluate_all(mini)
    byd = values["byd-revenue-2024-implied"]
    assert byd.value == byd.lower == byd.upper == pytest.approx(58670000000 / 2.178)
    assert (byd.unit, byd.kind, byd.group, byd.source_id) == ("yuan", "implied", "firms", "mini")
    assert byd.formula == "{byd-revenue-2025} / (1 + {byd-revenue-growth-2025})"

    cagr16 = values["bsc-cagr-x16"]
    assert cagr16.value == pytest.approx(16 ** 0.1 - 1) and cagr16.lower == cagr16.upper == cagr16.value

    x15 = values["bsc-output-baseline-x15"]  # 近 states a ceiling: the lower end rests on the limit 0
    assert (x15.lower, x15.upper, x15.lower_stated, x15.upper_stated) == (0, pytest.approx(500000000 / 15), False, True)
    assert (x15.assumed_lower, x15.assumed_upper) == pytest.approx((450000000 / 15, 500000000 / 15))
    either = values["bsc-output-baseline-range"]
    assert (either.assumed_lower, either.value, either.assumed_upper) == pytest.approx(
        (450000000 / 16, 500000000 / 15, 500000000 / 15))

    leverage = values["px-leverage"]
    assert (leverage.lower, leverage.value, leverage.upper) == (0, pytest.approx(56 / 4.5), pytest.approx(56 / 4.5))
    assert (leverage.assumed_lower, leverage.assumed_upper) == pytest.approx((11.2, 56 / 4.5))
    assert values["px-seed-share"].upper == math.inf and not values["px-seed-share"].upper_stated
    # min(…, 1) closes the open side of the share: the formula states that cap
    assert values["px-other-share"].interval == Interval(0, 1 - 4.5 / 56, 1 - 4.5 / 56)
    # naming the total twice loses the correlation: wider than the complement
    assert values["px-remaining-share"].assumed_lower < values["px-other-share"].assumed_lower


def test_reading_picks_the_bound_of_the_assumed_range_and_keeps_both_ranges(mini):
    for reading in ("lower", "point", "upper"):
        leverage = evaluate_all(mini, reading)["px-leverage"]
        assert leverage.value == {"lower": leverage.assumed_lower, "point": leverage.point,
                                  "upper": leverage.assumed_upper}[reading]
        assert (leverage.lower, leverage.upper) == (0, pytest.approx(56 / 4.5))
    with pytest.raises(ValueError, match="reading must be one of"):
        evaluate_all(mini, "middle")


@pytest.mark.parametrize("formula", [
    "{px-seed} / ({px-seed} - {px-seed})",
    "{px-seed} / ({px-leveraged} - {px-leveraged})",
])
def test_division_by_zero_names_the_formula(data_dir, formula):
    write_formulas(data_dir, row("fine", "{px-leverage-ok}"), row("px-leverage-ok", "{px-leveraged} / {px-seed}"),
                   row("broken", formula))
    with pytest.raises(DataError) as caught:
        evaluate_all(Registry(data_dir))
    error = caught.value
    assert (error.path.name, error.row, error.column) == ("formulas.csv", 4, "formula")
    assert "'broken' cannot be evaluated" in error.message and "contains zero" in error.message


def test_a_domain_error_names_the_formula(data_dir):
    write_formulas(data_dir, row("negative-root", "root(1 - {px-leverage-x}, {bsc-baseline-years})"),
                   row("px-leverage-x", "{px-leveraged} / {px-seed}"))
    expected = "row 2, column 'formula': 'negative-root' cannot be evaluated: root of a negative"
    with pytest.raises(DataError, match=expected):
        evaluate_all(Registry(data_dir))


def test_a_claim_with_disordered_bounds_names_claims_csv(data_dir):
    claims = data_dir / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "5600000000,0,5600000000", "5600000000,5700000000,5600000000"), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims.csv, row 8 \(line 13\), column 'value': "
                                        r"Interval needs lower <= point <= upper"):
        evaluate_all(Registry(data_dir))


# --- publishing -------------------------------------------------------------------------------------

def test_publish_number_kills_float_noise():
    assert publish_number(0.1 + 0.2) == "0.3"
    assert publish_number(56 / 4.5) == "12.4444444444"
    assert publish_number(58670000000 / 2.178) == "26937557392.1"
    assert publish_number(26.0) == "26" and publish_number(-0.0) == "0"


def test_write_published_is_deterministic(mini, tmp_path):
    first = write_published(tmp_path / "a" / "derived.csv", mini)
    second = write_published(tmp_path / "b" / "derived.csv", Registry(FIXTURE))
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "\r" not in text and text.endswith("\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == PUBLISHED_COLUMNS
    leverage = next(r for r in rows if r["derived_id"] == "px-leverage")
    assert (leverage["value"], leverage["lower"], leverage["upper"]) == ("12.4444444444", "0", "12.4444444444")
    assert (leverage["open_end"], leverage["assumed_lower"], leverage["assumed_upper"]) \
        == ("lower", "11.2", "12.4444444444")
    seed_share = next(r for r in rows if r["derived_id"] == "px-seed-share")
    assert (seed_share["upper"], seed_share["open_end"]) == ("", "upper")  # an open end is an empty cell
    assert leverage["inputs"] == "px-leveraged;px-seed"
    assert leverage["formula"] == "{px-leveraged} / {px-seed}"
    assert next(r for r in rows if r["derived_id"] == "bsc-ratio-x16")["value"] == "16"


def test_published_reading_changes_only_the_value_column(mini):
    lower = list(csv.DictReader(io.StringIO(published_csv(mini, "lower"))))
    point = list(csv.DictReader(io.StringIO(published_csv(mini, "point"))))
    for low, mid in zip(lower, point, strict=True):
        assert low["value"] == low["assumed_lower"]
        assert {k: v for k, v in low.items() if k != "value"} == {k: v for k, v in mid.items() if k != "value"}


# --- the real data -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> dict:
    return evaluate_all(Registry(DATA_DIR))


def test_real_formulas_evaluate_with_sound_intervals(real):
    assert len(real) >= 40
    for value in real.values():
        assert value.lower <= value.value <= value.upper, value.derived_id
        assert value.inputs, value.derived_id


def test_real_known_values(real):
    byd = real["byd-fuzhou-revenue-2024-implied"]
    assert byd.value == pytest.approx(26.94e9, rel=1e-3) and byd.unit == "yuan"
    leverage = real["pingxiang-investment-leverage"]
    assert leverage.lower == 0 and not leverage.lower_stated  # 近 states no floor
    assert leverage.upper == pytest.approx(56 / 4.5) and leverage.upper_stated
    assert leverage.assumed_lower == pytest.approx(11.2)
    assert real["electronics-big-firms-revenue-floor"].upper == math.inf
    assert real["baoshunchang-output-2015"].according_to == (
        "施军, general manager of Jiangxi Baoshunchang Superalloy",)
    assert "digital-transformation-funds-per-surveyed-firm" not in real  # a total over a count of another scope
    assert real["byd-fuzhou-investment-per-year"].value == pytest.approx(3.75e9)
    assert real["baoshunchang-output-cagr-x16"].value == pytest.approx(16 ** 0.1 - 1)
    assert real["baoshunchang-output-cagr-x15"].value == pytest.approx(15 ** 0.1 - 1)
    assert real["out-of-province-projects-2024q1q3-implied"].value == 2392
    assert real["one-thing-time-remaining"].value == pytest.approx(0.32)


def test_real_published_table_is_deterministic(tmp_path):
    first = write_published(tmp_path / "one.csv")
    second = write_published(tmp_path / "two.csv", Registry(DATA_DIR))
    assert first.read_bytes() == second.read_bytes()
