"""Notebook outputs: MyST for the book, the numbers as the book prints them for Jupyter, figure rows."""
from __future__ import annotations

import json

import pytest

from claimbook.chapter import Chapter, recorded_run
from claimbook.charts import Bar, interval_chart
from claimbook.outputs import FIGURE, MYST, Markdown, Reader
from claimbook.registry import Registry

from sphinx_run import MINI


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(Registry(MINI))


@pytest.fixture
def chapter() -> Chapter:
    return Chapter("mini", "business", data_dir=MINI)


def test_each_role_reads_as_the_book_prints_it(reader):
    myst = ("{claim}`byd-revenue-2025` ({claim-exact}`byd-revenue-2025`), {claim-range}`bsc-output-2025`, "
            "assumed {claim-assumed}`bsc-output-2025`; {derived-title}`px-leverage` is {derived}`px-leverage`, "
            "{derived-range}`px-leverage`, assumed {derived-assumed}`px-leverage`, "
            "{derived-lower}`px-leverage` to {derived-upper}`px-leverage`; margin {constant}`MARGIN`; "
            "see {doc}`the appendix <derived-figures>` and {ref}`sent-p03-s1`.")
    assert reader.markdown(myst) == (
        "58.67 billion yuan (586.7亿元), at most 500 million yuan, assumed 450–500 million yuan; Pingxiang leverage "
        "is 12.4-fold, at most 12.45-fold, assumed 11.2–12.4-fold, no stated lower bound to 12.4-fold; margin 10%; "
        "see the appendix and sent-p03-s1.")


def test_a_sentence_reads_as_its_id_and_its_chinese_text(reader):
    assert reader.markdown("{sentence}`mini:p03.s1`") == "p03.s1 「萍乡市投入4.5亿元吸引撬动项目总投资近56亿元。」"
    assert reader.markdown("{sentence}`p03.s1`") == reader.markdown("{sentence}`mini:p03.s1`")  # the first source


def test_an_unknown_id_or_role_stays_as_written_so_it_shows(reader):
    for myst in ("{claim}`no-such-claim`", "{derived}`no-such-figure`", "{sentence}`mini:p99.s9`", "{future}`x`"):
        assert reader.markdown(myst) == myst


def test_text_from_the_data_cannot_open_markup_on_the_jupyter_side(reader):
    readable = reader.markdown("{sentence}`mini:p01.s1`")
    assert readable == "p01.s1 「迷你样本\\<script\\>alert(document.cookie)\\</script\\>」"
    html = Markdown("{sentence}`mini:p01.s1`", reader)._repr_mimebundle_()["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_table_carries_myst_for_the_book_and_its_reading_for_jupyter(chapter):
    bundle = chapter.claims_table()._repr_mimebundle_()
    assert set(bundle) == {MYST, "text/markdown", "text/html", "text/plain"}
    assert "{claim}`px-seed`" in bundle[MYST]
    assert "450 million yuan" in bundle["text/markdown"] and "{claim}" not in bundle["text/markdown"]
    assert bundle["text/html"].startswith("<table>") and "450 million yuan" in bundle["text/html"]
    # Markdown's escapes are not shown as text: the data's own backslash stays one backslash
    assert "Pingxiang \\input{/etc/passwd}" in bundle["text/plain"]
    assert "Pingxiang \\input{/etc/passwd}" not in bundle["text/markdown"]


def test_a_figure_carries_its_images_and_what_the_book_needs(chapter):
    bars = [chapter.bar("px-leverage", "Leverage"), Bar("Reference", 1.0, 1.0, 1.0)]
    figure = chapter.figure("mini-leverage", interval_chart(bars, "Multiple"), alt="Leverage: twelve-fold.",
                            caption="Leverage {derived}`px-leverage`.", data=bars)
    bundle = figure._repr_mimebundle_()
    assert {"image/svg+xml", "image/png", FIGURE} <= set(bundle)
    payload = bundle[FIGURE]
    assert (payload["name"], payload["caption"], payload["alt"]) == (
        "fig-mini-leverage", "Leverage {derived}`px-leverage`.", "Leverage: twelve-fold.")
    rows = payload["csv"].splitlines()
    assert rows[0] == "label,id,type,value,lower,upper,unit,claim_ids,sentence_ids"
    # a derived figure names the claims it is computed from and their sentences, with its bounds
    assert rows[1].startswith("Leverage,px-leverage,derived,12.444")
    assert rows[1].endswith(",multiplier,px-leveraged;px-seed,mini:p03.s1")
    assert rows[2] == "Reference,,,1,,,,,"  # a bar drawn by hand is no claim
    assert chapter.figures == {"mini-leverage": "Leverage: twelve-fold."}


def test_a_figure_row_writes_a_derived_figures_numbers_as_derived_csv_does(chapter):
    """No float noise in a download: the value and bounds read as the published derived.csv reads them."""
    import csv
    import io

    from claimbook.derived import published_csv

    row = chapter.plotted_row(chapter.bar("px-leverage", "Leverage"))
    published = next(r for r in csv.DictReader(io.StringIO(published_csv(chapter.registry)))
                     if r["derived_id"] == "px-leverage")
    assert (row["value"], row["lower"], row["upper"]) == (published["value"], published["lower"], published["upper"])
    assert row["upper"] == "12.4444444444"


def test_figure_rows_may_be_given_as_they_are(chapter):
    assert chapter.plotted_row({"label": "x", "id": "px-leverage"}) == {"label": "x", "id": "px-leverage"}


def test_a_recorded_run_is_read_and_a_missing_one_computed(tmp_path):
    (tmp_path / "readings-lower.json").write_text(json.dumps({"reading": "lower", "derived": {}}))
    assert recorded_run(tmp_path, "readings-lower", lambda: pytest.fail("computed")) == {"reading": "lower",
                                                                                         "derived": {}}
    assert recorded_run(tmp_path, "readings-upper", lambda: {"computed": True}) == {"computed": True}
    assert recorded_run(None, "readings-upper", lambda: {"computed": True}) == {"computed": True}
