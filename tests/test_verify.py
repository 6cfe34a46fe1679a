"""``python -m claimbook verify`` on a throwaway copy of this repository: real papermill, real kernels.

The copy is built once (notebooks and the published derived.csv; Sphinx is not what verify reads),
verified once end to end, and then tampered with in further copies: verify must fail and name the
chapter and the value, the cell or the row that no longer matches a fresh execution.
"""
from __future__ import annotations

import base64
import io
import json
import shutil
from pathlib import Path

import pytest

from claimbook.build import BookPaths, BuildOptions, build
from claimbook.build.manifest import load_manifest
from claimbook.build.publishing import publish, swap_into_place, write_derived_from_registry
from claimbook.build.shared import INJECTED
from claimbook.files import read_csv_rows, write_rows
from claimbook.outputs import MYST
from claimbook.verify import VerifyOptions, compare_builds, copy_inputs, shown, verify

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> BookPaths:
    """A copy of the repository with a published build: executed notebooks and _build/html/data."""
    paths = copy_inputs(ROOT, tmp_path_factory.mktemp("published") / "book")
    out = io.StringIO()
    assert build(paths, BuildOptions(validate=False, html=False, out=out)) == 0, out.getvalue()
    paths.staged_html.mkdir(parents=True)
    publish(paths, write_derived_from_registry(paths), pdf=False)
    swap_into_place(paths.staged_html, paths.html)
    return paths


@pytest.fixture(scope="module")
def verified(published, tmp_path_factory) -> tuple[int, str, BookPaths]:
    """One full verify run, its fresh execution kept for the comparisons below. The book was built
    with kernels forked from the pool; the reviewer's run starts every kernel from scratch."""
    keep = tmp_path_factory.mktemp("fresh") / "run"
    out = io.StringIO()
    status = verify(published, VerifyOptions(keep=keep, kernel_pool=False, out=out))
    return status, out.getvalue(), BookPaths(keep)


@pytest.fixture
def tampered(published, tmp_path) -> BookPaths:
    """A copy of the published book that a test may edit."""
    target = tmp_path / "tampered"
    shutil.copytree(published.root, target)
    return BookPaths(target)


def entries():
    return load_manifest(ROOT / "chapters" / "manifest.yml")


def first_claim_id(values_file: Path) -> str:
    return sorted(json.loads(values_file.read_text(encoding="utf-8"))["claims"])[0]


def reports_by_name(published: BookPaths, fresh: BookPaths) -> dict:
    return {r.name: r for r in compare_builds(published, fresh, load_manifest(published.manifest))}


def test_verify_passes_on_a_fresh_build(verified):
    status, output, fresh = verified
    assert status == 0, output
    for entry in entries():
        assert f"[identical] {entry.name}" in output
        assert (fresh.cache / f"{entry.name}.ipynb").is_file(), "every entry is executed afresh"
    assert "[identical] data/derived.csv" in output
    assert "verify: reproducible" in output and "[different]" not in output


def test_a_tampered_recorded_value_fails_naming_the_chapter_and_the_value(tampered):
    values_file = tampered.cache / "firms.json"
    values = json.loads(values_file.read_text(encoding="utf-8"))
    claim_id = first_claim_id(values_file)
    values["claims"][claim_id][0] = (values["claims"][claim_id][0] or 0) * 10 + 1
    values_file.write_text(json.dumps(values, indent=1, sort_keys=True), encoding="utf-8")

    out = io.StringIO()
    status = verify(tampered, VerifyOptions(chapters=["firms"], out=out))
    output = out.getvalue()
    assert status == 1, output
    assert "[different] firms" in output
    assert f"firms.json: claims.{claim_id}: published [" in output
    assert "NOT reproducible" in output and "firms" in output.splitlines()[-1]


def test_a_tampered_derived_csv_fails_naming_the_figure_and_the_column(tampered):
    path = tampered.html / "data" / "derived.csv"
    rows = read_csv_rows(path)
    victim = rows[0]["derived_id"]
    rows[0]["value"] = "12345"
    write_rows(path, rows)

    out = io.StringIO()
    status = verify(tampered, VerifyOptions(chapters=["headline"], out=out))
    output = out.getvalue()
    assert status == 1, output
    assert "[identical] headline" in output
    assert "[different] data/derived.csv" in output
    assert f"derived.csv: {victim}.value: published '12345', fresh '" in output


def test_a_changed_notebook_output_is_reported_by_chapter_and_cell(tampered, verified):
    """A line of a table as the book renders it (its MyST) typed by hand."""
    _, _, fresh = verified
    path = tampered.cache / "headline.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if c.get("id") != INJECTED]
    number, cell, index, output = next(
        (n, c, i, o) for n, c in enumerate(cells, start=1) for i, o in enumerate(c.get("outputs", []), start=1)
        if len("".join(o.get("data", {}).get(MYST, "")).splitlines()) > 3)
    lines = "".join(output["data"][MYST]).splitlines()
    lines_before = list(lines)
    lines[2] = "| typed by hand |"
    output["data"][MYST] = "\n".join(lines)
    path.write_text(json.dumps(notebook), encoding="utf-8")

    report = reports_by_name(tampered, fresh)["headline"]
    assert not report.identical
    text = "\n".join(report.lines())
    assert text.startswith("[different] headline")
    assert (f"cell {number} (id {cell['id']}): output {index} {MYST}: published line 3 "
            f"'| typed by hand |', fresh {shown(lines_before[2])}") in text


@pytest.mark.parametrize("mime", ["image/svg+xml", "image/png"])
def test_a_changed_figure_is_reported_with_its_cell(tampered, verified, mime):
    _, _, fresh = verified
    path = tampered.cache / "firms.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = [o for c in notebook["cells"] for o in c.get("outputs", []) if mime in o.get("data", {})]
    assert found, f"the charts of firms have no {mime} output"  # SVG for HTML, PNG for print
    content = found[0]["data"][mime]
    content = "".join(content) if isinstance(content, list) else content
    if mime == "image/png":  # one byte of the picture changes
        picture = bytearray(base64.b64decode(content))
        picture[-20] ^= 0xFF
        found[0]["data"][mime] = base64.b64encode(bytes(picture)).decode()
    else:
        found[0]["data"][mime] = content.replace("</svg>", "<!-- drawn by hand --></svg>")
    path.write_text(json.dumps(notebook), encoding="utf-8")

    lines = "\n".join(reports_by_name(tampered, fresh)["firms"].lines())
    assert "[different] firms" in lines and f"{mime}: published" in lines


def test_html_compiled_from_other_outputs_than_the_cache_is_reported(tampered, verified):
    _, _, fresh = verified
    sources = tampered.html / "_sources" / "chapters"
    sources.mkdir(parents=True)
    notebook = json.loads((tampered.cache / "headline.ipynb").read_text(encoding="utf-8"))
    shutil.copy2(tampered.cache / "ecosystem.ipynb", sources / "ecosystem.ipynb")  # the same: fine
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                output["data"]["text/markdown"] = "an older table"
    (sources / "headline.ipynb").write_text(json.dumps(notebook), encoding="utf-8")

    reports = reports_by_name(tampered, fresh)
    assert reports["ecosystem"].identical
    text = "\n".join(reports["headline"].lines())
    assert "_build/html page, cell" in text and "compiled from other outputs than _build/cache" in text


def test_without_a_published_build_verify_fails_before_executing_anything(tmp_path):
    paths = copy_inputs(ROOT, tmp_path / "book")
    out = io.StringIO()
    status = verify(paths, VerifyOptions(out=out))
    output = out.getvalue()
    assert status == 2
    assert "no published build" in output and "_build/cache/headline.ipynb" in output
    assert "_build/html/data/derived.csv" in output and "make book" in output
    assert "executing" not in output


def test_an_unknown_chapter_is_refused(published):
    out = io.StringIO()
    assert verify(published, VerifyOptions(chapters=["no-such-page"], out=out)) == 2
    assert "no manifest entry called 'no-such-page'" in out.getvalue()


def test_keep_refuses_a_folder_that_is_not_a_clean_start(published, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "left-over.ipynb").write_text("{}")
    for keep, message in ((tmp_path / "used", "is not empty"), (published.root / "fresh", "inside the book")):
        out = io.StringIO()
        assert verify(published, VerifyOptions(keep=keep, out=out)) == 2
        assert message in out.getvalue() and "executing" not in out.getvalue()


def test_invalid_data_is_reported_as_validate_reports_it_and_nothing_executes(tampered):
    claims = tampered.data / "claims.csv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("586.7亿元,", "586.8亿元,", 1), encoding="utf-8")
    out = io.StringIO()
    assert verify(tampered, VerifyOptions(out=out)) == 2
    output = out.getvalue()
    assert "error: " in output and "claims.csv, row " in output and "(line " in output and "column 'exact'" in output
    assert "does not validate" in output and "Nothing was executed" in output
    assert "Traceback" not in output and "executing" not in output
