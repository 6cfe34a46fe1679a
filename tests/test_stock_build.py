"""The ecosystem's own command on the book: ``jupyter-book build .``, before and after ``make book``.

On a throwaway copy of the repository (never the real ``_build``): the stock build executes the
chapters itself (jupyter-cache) and must give the same pages, chart for chart, table for table and
traced number for traced number, as the published book; and ``claimbook build`` (what ``make book``
runs) must never take the stock build's pages, HTML or PDF, for its own.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from claimbook.audit import audit_book
from claimbook.verify import copy_inputs

from tools import BIN, CONSOLE_SCRIPT, REPO, env_without_book_root, run_ok

COUNTED = {"figures": r"<figure\b", "tables": r"<table\b", "claims": r"data-claim=", "derived": r"data-derived="}


def output_of(command: list, book: Path) -> str:
    """What ``command`` prints, run in ``book`` with the book found from there; it must succeed."""
    result = run_ok(command, book, env_without_book_root())
    return result.stdout + result.stderr


def jupyter_book(book: Path, *options: str) -> str:
    return output_of([BIN / "jupyter-book", "build", ".", *options], book)


def make_book(book: Path) -> str:
    return output_of([CONSOLE_SCRIPT, "build"], book)


def contents(html: Path) -> dict[str, dict[str, int]]:
    """For each chapter page: how many figures, tables and traced claims and derived figures it shows."""
    pages = {}
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        pages[page.stem] = {what: len(re.findall(pattern, text)) for what, pattern in COUNTED.items()}
    return pages


def assert_complete(html: Path, published: dict) -> None:
    assert contents(html) == published
    for label, report in audit_book(html, False).reports:
        assert not report.untraced, report.summary(label)


@pytest.fixture(scope="module")
def published(book_html) -> dict:
    """What the published book of the repository shows, page by page (``make test`` builds it first)."""
    found = contents(book_html)
    assert found["firms"]["figures"] == 3 and found["firms"]["tables"] == 2, found["firms"]
    return found


@pytest.fixture
def clone(tmp_path) -> Path:
    """The repository as a clone has it: its inputs and the committed benchmark results, no _build."""
    book = copy_inputs(REPO, tmp_path / "clone").root
    shutil.copytree(REPO / "benchmarks", book / "benchmarks")
    return book


def test_jupyter_book_build_before_and_after_make_book_leaves_a_complete_book(clone, published):
    # A new user's first command: a complete book, executed by Jupyter Book itself.
    jupyter_book(clone)
    assert_complete(clone / "_build" / "html", published)

    # make book does not take those pages for its own: it compiles and publishes its book.
    output = make_book(clone)
    assert "up to date" not in output and "[book] published" in output, output
    html = clone / "_build" / "html"
    assert_complete(html, published)
    assert (html / "book.pdf").is_file() and (html / "data" / "derived.csv").is_file()
    assert "[book] up to date" in make_book(clone)

    # With a published book, a stock HTML build writes over it; make book publishes its own again.
    jupyter_book(clone)
    output = make_book(clone)
    assert "[html] compiled" in output and "[book] published" in output, output
    assert_complete(html, published)
    assert (html / "book.pdf").is_file() and (html / "data" / "derived.csv").is_file()

    # The same for the PDF: a stock LaTeX build writes into _build/latex.
    jupyter_book(clone, "--builder", "pdflatex")
    output = make_book(clone)
    assert "[pdf] compiled" in output and "[book] published" in output, output


def test_jupyter_book_build_stops_on_a_chapter_that_fails(clone):
    """A failing chapter would be a hollow page: the stock build exits non-zero instead."""
    import nbformat

    path = clone / "chapters" / "firms.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('the registry has no claim called nope')"))
    nbformat.write(notebook, str(path))
    result = subprocess.run([str(BIN / "jupyter-book"), "build", "."], cwd=clone, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode != 0
    assert "the registry has no claim called nope" in result.stdout + result.stderr
