"""The benchmark page: {benchmark-results} renders benchmarks/results.json, every figure marked as a
measurement; a missing file is said, a malformed one fails the build naming the file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from claimbook.audit import audit_html_page

from sphinx_run import sphinx

REPO = Path(__file__).resolve().parent.parent

RESULTS = {
    "cpu_count": 2, "platform": "Linux-test", "versions": {"python": "3.11.7", "sphinx": "7.4.7"},
    "measured_at": "2026-11-28 16:00", "commit": "abc123def456",
    "load_average_before": {"clean": 0.07},
    "clean": {"ours_html_seconds": 21.5, "ours_html_runs_seconds": [21.5, 23.25],
              "ours_html_phases_seconds": {"notebooks": 9.75, "html": 10.5},
              "ours_html_and_pdf_seconds": 40.125, "ours_html_and_pdf_phases_seconds": {"notebooks": 9.5},
              "jupyter_book_force_html_seconds": 43.0, "jupyter_book_force_runs_seconds": [43.0, 44.0],
              "jupyter_book_force_executing_seconds": 32.0, "entries_executed": 12,
              "ratio_html": 0.5, "target_ratio_max": 0.6, "meets_target": True},
    "scaling": [{"chapters": 5, "workers": 2, "seconds_1_worker": 20.37, "seconds_n_workers": 12.02,
                 "seconds_per_chapter_1_worker": 4.07, "seconds_per_chapter_n_workers": 2.4,
                 "speedup": 1.69, "speedup_n_plus_1": 2.31}],
}


def build(tmp_path: Path, results, builder: str = "html"):
    src = tmp_path / "src"
    (src / "benchmarks").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["claimbook.sphinxext.benchpage"]\nproject = "bench"\n'
                                 'html_show_sphinx = False\nhtml_show_copyright = False\n', encoding="utf-8")
    (src / "index.rst").write_text("Benchmarks\n==========\n\n.. benchmark-results::\n", encoding="utf-8")
    if results is not None:
        text = results if isinstance(results, str) else json.dumps(results)
        (src / "benchmarks" / "results.json").write_text(text, encoding="utf-8")
    out = tmp_path / builder
    return sphinx(src, out, builder, check=False), out


def test_every_figure_of_the_results_is_shown_as_a_measurement(tmp_path):
    run, out = build(tmp_path, RESULTS)
    assert run.returncode == 0, run.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    measures = [span.get_text() for span in soup.select("span.cb-measure")]
    for shown in ("21.50 s", "23.25 s", "43.00 s", "0.500", "0.60", "yes", "40.12 s", "9.75 s", "2.31×", "5"):
        assert shown in measures, shown
    assert [t.get_text() for t in soup.select("table caption .caption-text")][:2] == ["The machine", "Clean build"]
    assert "No-op rebuild" not in html  # not measured in this run: no table
    report = audit_html_page(html, "index.html")
    assert report.untraced == [] and report.count("allowed:measurement") > 20


def test_a_missing_results_file_is_said_not_an_error(tmp_path):
    run, out = build(tmp_path, None)
    assert run.returncode == 0, run.stderr
    assert "No benchmark has been run" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["{not json", json.dumps({**RESULTS, "clean": {"ratio_html": 0.5}})])
def test_a_malformed_results_file_fails_the_build_naming_it(tmp_path, text):
    run, _ = build(tmp_path, text)
    assert run.returncode != 0
    assert "benchmarks/results.json: not a results file of claimbook bench" in run.stderr
    assert "make bench" in run.stderr


def test_the_printed_book_points_to_the_html_edition(tmp_path):
    run, out = build(tmp_path, RESULTS, "latex")
    assert run.returncode == 0, run.stderr
    tex = (out / "bench.tex").read_text(encoding="utf-8")
    assert "HTML edition" in tex and "21.50" not in tex


def test_the_book_shows_the_committed_results(book_html):
    page = book_html / "chapters" / "benchmarks.html"
    results = json.loads((REPO / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    measures = {span.get_text() for span in soup.select("span.cb-measure")}
    assert f"{results['clean']['ratio_html']:.3f}" in measures
    assert f"{results['noop']['ours_seconds']:.2f} s" in measures
