"""The chapters read in Jupyter: executed by the ecosystem's own tools, anywhere in or around the book.

Every chapter is executed with ``jupyter nbconvert --execute`` from the repository's root, as a
reviewer would; one is executed with ``jupyter execute`` from ``chapters/``, with papermill from
outside the book (``book_root``, ``$CLAIMBOOK_ROOT``), and with the package of another checkout
first on the module path. The executed notebooks must show their charts as images and their numbers
as the book prints them, and must read the data of the book they belong to.
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimbook.derived import evaluate_all
from claimbook.display import format_claim, format_value
from claimbook.outputs import FIGURE, MYST, ROLE
from claimbook.registry import Registry, edit_claim, format_number
from claimbook.scaffold import READING_NOTE
from claimbook.verify import copy_inputs

from tools import BIN, REPO, chapter_pages, env_without_book_root, run_ok

PAGES = sorted(f"{name}.ipynb" for name in chapter_pages())
IMAGES = ("image/svg+xml", "image/png")


def outputs(notebook: Path) -> list[dict]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [o for c in cells for o in c.get("outputs", []) if o["output_type"] in ("display_data", "execute_result")]


def text_of(output: dict, mime: str) -> str:
    content = output["data"].get(mime, "")
    return "".join(content) if isinstance(content, list) else content


def readable_text(executed: Path) -> str:
    """The Jupyter side of the notebook's tables, as Markdown."""
    return "\n".join(text_of(o, "text/markdown") for o in outputs(executed) if MYST in o["data"])


def figure_calls(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum("".join(c["source"]).count("ch.figure(") for c in cells if c["cell_type"] == "code")


def parameter(notebook: Path, name: str) -> str:
    cell = next(c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                if "parameters" in c["metadata"].get("tags", []))
    return re.search(rf'^{name} = "([^"]*)"', "".join(cell["source"]), re.M).group(1)


def double(book: Path, claim_id: str) -> None:
    """Give a claim of ``book`` twice its value (and bounds): a book whose data can be told apart."""
    claim = Registry(book / "data").claims[claim_id]
    for column in ("value", "lower", "upper"):
        if getattr(claim, column) is not None:
            edit_claim(book / "data" / "claims.csv", claim_id, column, format_number(getattr(claim, column) * 2))


@pytest.fixture(scope="module")
def point(registry):
    return evaluate_all(registry, "point")


def assert_shows_its_figures(executed: Path, source: Path) -> None:
    figures = [o for o in outputs(executed) if FIGURE in o["data"]]
    assert len(figures) == figure_calls(source), f"{source.name}: one figure output per ch.figure call"
    for figure in figures:
        assert all(mime in figure["data"] for mime in IMAGES), f"{source.name}: a figure without SVG or PNG"
        assert base64.b64decode(text_of(figure, "image/png"))[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in text_of(figure, "image/svg+xml")


def assert_reads_as_the_book_prints(executed: Path, source: Path, registry, point) -> None:
    """Every MyST output has a readable side without roles; a group chapter's tables show each of
    its claims and derived figures as the book prints them, with the sentence and its Chinese text."""
    tables = [o for o in outputs(executed) if MYST in o["data"]]
    for output in tables:
        for mime in ("text/markdown", "text/html"):
            assert not ROLE.search(text_of(output, mime)), f"{source.name}: a role left in {mime}"
    group = parameter(source, "group")
    if group == "all":
        return
    readable = readable_text(executed)
    html = "\n".join(text_of(o, "text/html") for o in tables)
    for claim in registry.claims_in(group):
        shown = format_claim(claim)
        assert shown in readable and shown in html, f"{source.name}: {claim.claim_id} is not shown as {shown!r}"
        sentence = registry.sentence(claim.source_id, claim.sentence_id)
        assert f"{claim.sentence_id} 「{sentence.text.strip()}」" in readable, f"{claim.claim_id}: its sentence"
    for figure in (d for d in point.values() if d.group == group):
        assert format_value(figure.value, figure.unit, figure.kind) in readable, figure.derived_id


@pytest.mark.parametrize("notebook", PAGES)
def test_nbconvert_from_the_root_shows_each_chapters_figures_and_numbers(notebook, tmp_path, registry, point):
    source = REPO / "chapters" / notebook
    run_ok([BIN / "jupyter", "nbconvert", "--to", "notebook", "--execute", f"chapters/{notebook}",
            "--output-dir", tmp_path], cwd=REPO)
    executed = tmp_path / notebook
    assert_shows_its_figures(executed, source)
    assert_reads_as_the_book_prints(executed, source, registry, point)


def test_each_chapter_opens_with_the_note_on_reading_it_outside_the_book():
    for notebook in sorted((REPO / "chapters").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        assert "".join(cells[1]["source"]) == READING_NOTE, notebook.name
        assert cells[1]["metadata"].get("tags") == ["remove-cell"], f"{notebook.name}: the book leaves it out"


@pytest.fixture(scope="module")
def book_copy(tmp_path_factory) -> Path:
    return copy_inputs(REPO, tmp_path_factory.mktemp("book") / "book").root


def test_jupyter_execute_from_the_chapters_folder_shows_the_figures(book_copy, registry, point):
    run_ok([BIN / "jupyter", "execute", "firms.ipynb", "--output", "executed-firms"], cwd=book_copy / "chapters")
    source = book_copy / "chapters" / "firms.ipynb"
    executed = book_copy / "chapters" / "executed-firms.ipynb"
    assert_shows_its_figures(executed, source)
    assert_reads_as_the_book_prints(executed, source, registry, point)


@pytest.mark.parametrize("how", ["book_root parameter", "CLAIMBOOK_ROOT"])
def test_papermill_outside_the_book_reads_the_book_it_is_pointed_at(tmp_path, how):
    book = copy_inputs(REPO, tmp_path / "book").root
    claim_id = "byd-fuzhou-revenue-2025"
    double(book, claim_id)  # this book's own reading of the claim
    options = ["-p", "book_root", str(book)] if how == "book_root parameter" else []
    env = {**os.environ, "CLAIMBOOK_ROOT": str(book)} if how == "CLAIMBOOK_ROOT" else None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    executed = elsewhere / "firms.ipynb"
    run_ok([BIN / "papermill", book / "chapters" / "firms.ipynb", executed, *options, "--cwd", elsewhere],
           cwd=elsewhere, env=env)
    assert_shows_its_figures(executed, book / "chapters" / "firms.ipynb")
    assert format_claim(Registry(book / "data").claims[claim_id]) in readable_text(executed)


def test_papermill_outside_any_book_says_how_to_name_one(tmp_path):
    result = subprocess.run([str(BIN / "papermill"), str(REPO / "chapters" / "firms.ipynb"),
                             str(tmp_path / "out.ipynb"), "--cwd", str(tmp_path)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            env=env_without_book_root())
    assert result.returncode != 0
    assert "BookNotFound" in result.stderr and "book_root parameter" in result.stderr \
        and "CLAIMBOOK_ROOT" in result.stderr


def test_a_chapter_reads_its_books_data_not_that_of_the_checkout_the_package_comes_from(book_copy, tmp_path):
    """Another checkout, whose package comes first on the module path (as an editable install of it
    would), has a different value for a claim: the chapter, run from ``chapters/`` as Jupyter runs
    it, shows the book's value."""
    other = copy_inputs(REPO, tmp_path / "other").root
    claim_id = "byd-fuzhou-revenue-2025"
    double(other, claim_id)
    env = {**os.environ, "PYTHONPATH": str(other)}
    where = run_ok([sys.executable, "-c", "import claimbook; print(claimbook.__file__)"],
                   cwd=book_copy / "chapters", env=env)
    assert where.stdout.strip().startswith(str(other)), "the other checkout's package must be the one imported"
    run_ok([BIN / "jupyter", "nbconvert", "--to", "notebook", "--execute", "firms.ipynb",
            "--output-dir", tmp_path / "out"], cwd=book_copy / "chapters", env=env)
    readable = readable_text(tmp_path / "out" / "firms.ipynb")
    book_claim = Registry(book_copy / "data").claims[claim_id]
    other_claim = Registry(other / "data").claims[claim_id]
    assert format_claim(book_claim) in readable and format_claim(other_claim) not in readable
    shutil.rmtree(other)
