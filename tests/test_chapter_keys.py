"""Cache keys follow the data each chapter reads (claimbook.build.keys.data_inputs), on a copy of this repository.

Keys are computed without executing anything, so these tests are fast; tests/test_build.py shows
that an unchanged key means no kernel is started and a changed key re-executes the entry.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from claimbook.build import BookPaths
from claimbook.build.execute.jobs import plan_jobs
from claimbook.build.keys import claim_read_only_by
from claimbook.build.manifest import load_manifest
from claimbook.files import read_csv_rows
from claimbook.registry import edit_claim
from claimbook.verify import copy_inputs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def book(tmp_path) -> BookPaths:
    return copy_inputs(ROOT, tmp_path / "book")


def keys(paths: BookPaths) -> dict[str, str]:
    return {job.name: job.key for job in plan_jobs(paths, load_manifest(paths.manifest))}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def read_claims(paths: BookPaths) -> list[dict[str, str]]:
    return read_csv_rows(paths.data / "claims.csv")


def edit_note(paths: BookPaths, claim_id: str, note: str = "Edited by a test.") -> None:
    edit_claim(paths.data / "claims.csv", claim_id, "note", note)


def spanning_entries(paths: BookPaths) -> set[str]:
    """Entries whose group is 'all', and every entry that needs one of them."""
    entries = load_manifest(paths.manifest)
    found = {e.name for e in entries if e.parameters["group"] == "all"}
    for entry in entries:  # dependency order: a need is always seen before what needs it
        if found.intersection(entry.needs):
            found.add(entry.name)
    return found


def test_editing_one_claim_reexecutes_its_group_and_the_chapters_that_span_all_groups(book):
    before = keys(book)
    claim_id = claim_read_only_by(book, "firms")
    edit_note(book, claim_id)
    assert changed(before, keys(book)) == {"firms"} | spanning_entries(book)
    assert {"headline", "ecosystem", "innovation", "business"}.isdisjoint(changed(before, keys(book)))


def test_rewriting_claims_csv_without_changing_a_value_reexecutes_nothing(book):
    """Keys follow the rows' values, not the file's bytes: every field quoted is the same data."""
    before = keys(book)
    path = book.data / "claims.csv"
    original = path.read_bytes()
    rows = read_claims(book)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert path.read_bytes() != original and read_claims(book) == rows
    assert changed(before, keys(book)) == set()


def test_a_formula_reading_another_groups_claim_ties_the_two_chapters(book):
    claim_id = claim_read_only_by(book, "firms")
    with open(book.data / "formulas.csv", "a", encoding="utf-8") as formulas:
        formulas.write(f"test-cross-group,xinhua-2026-jiangxi,headline,A figure of the opening read from a firm,"
                       f"{{{claim_id}}} * 1,count,ratio,Written by a test.\n")
    before = keys(book)
    edit_note(book, claim_id)
    assert changed(before, keys(book)) == {"firms", "headline"} | spanning_entries(book)


def test_a_claim_the_notebook_names_is_an_input_of_that_chapter(book):
    claim_id = claim_read_only_by(book, "firms")
    path = book.chapters / "ecosystem.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "test-bar", "metadata": {},
                              "outputs": [], "source": f"ch.bar('{claim_id}', 'A firm, for comparison')"})
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    before = keys(book)
    edit_note(book, claim_id)
    assert changed(before, keys(book)) == {"firms", "ecosystem"} | spanning_entries(book)


@pytest.mark.parametrize("file", ["groups.csv", "glosses.csv", "sources.csv", "formulas.csv"])
def test_every_other_data_file_is_an_input_of_every_chapter(book, file):
    before = keys(book)
    with open(book.data / file, "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert changed(before, keys(book)) == set(before)


def test_an_unreadable_claims_file_falls_back_to_keying_all_of_data(book):
    before = keys(book)
    text = (book.data / "claims.csv").read_text(encoding="utf-8")
    (book.data / "claims.csv").write_text(text.replace(",group,", ",grp,", 1), encoding="utf-8")
    assert changed(before, keys(book)) == set(before)
