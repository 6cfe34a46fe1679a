"""Bad input to the build: each case names where the problem is, exits non-zero and leaves the
published book alone.

One copy of this repository serves every case; a fake published book (``_build/html`` and
``_build/latex``) sits in it, and each case restores the inputs it broke. The build runs as a
reader runs it, ``python -m claimbook build --no-pdf``, in a subprocess. Registry-level bad input
(claims.csv and its sources) is covered by tests/test_validate.py.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from claimbook.files import read_csv_rows
from claimbook.verify import copy_inputs

from tools import build_html

ROOT = Path(__file__).resolve().parent.parent
LAST_GOOD = {"html/index.html": "last good book", "html/data/derived.csv": "derived_id\nkept\n",
             "latex/book.tex": "\\documentclass{book}"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = copy_inputs(ROOT, tmp_path_factory.mktemp("pristine") / "book").root
    for name, text in LAST_GOOD.items():
        (root / "_build" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "_build" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def book(pristine, tmp_path_factory) -> Path:
    """A fresh copy of the pristine book for one case (inputs only are small; copying is cheap)."""
    root = tmp_path_factory.mktemp("case") / "book"
    shutil.copytree(pristine, root)
    return root


def run_build(root: Path) -> tuple[int, str]:
    result = build_html(root, timeout=300)
    return result.returncode, result.stdout + result.stderr


def published(root: Path) -> dict[str, str]:
    build = root / "_build"
    return {p.relative_to(build).as_posix(): p.read_text(encoding="utf-8")
            for folder in ("html", "latex") for p in sorted((build / folder).rglob("*")) if p.is_file()}


def assert_fails_and_keeps_the_last_good_book(root: Path, *messages: str) -> str:
    status, output = run_build(root)
    assert status != 0, output
    for message in messages:
        assert message in output, f"expected {message!r} in the build's output:\n{output}"
    assert published(root) == LAST_GOOD, "the published book was touched"
    assert "the previous _build/html, if any, was left as it was" in output
    assert not (root / "_build" / "stage").exists(), "nothing is staged after a failure"
    return output


def manifest(root: Path) -> dict:
    return yaml.safe_load((root / "chapters" / "manifest.yml").read_text(encoding="utf-8"))


def write_manifest(root: Path, document: dict) -> None:
    (root / "chapters" / "manifest.yml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def notebook(root: Path, name: str) -> dict:
    return json.loads((root / "chapters" / name).read_text(encoding="utf-8"))


def one_page_book(root: Path, name: str, notebook_file: str, group: str) -> None:
    """Manifest and table of contents reduced to one page, so a case executes one notebook."""
    write_manifest(root, {"entries": [{"name": name, "notebook": notebook_file, "parameters": {
        "source_id": "xinhua-2026-jiangxi", "group": group, "reading": "point"}}]})
    (root / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "chapters/intro",
                                                   "chapters": [{"file": f"chapters/{name}"}]}), encoding="utf-8")


def append_formulas(root: Path, *rows: str) -> int:
    """Append rows to formulas.csv; return the spreadsheet row number of the first one."""
    path = root / "data" / "formulas.csv"
    text = path.read_text(encoding="utf-8")
    first_row = len(text.splitlines()) + 1
    path.write_text(text + "".join(row + "\n" for row in rows), encoding="utf-8")
    return first_row


def a_claim(root: Path) -> str:
    return next(row["claim_id"] for row in read_csv_rows(root / "data" / "claims.csv") if row["value"])


def formula_row(derived_id: str, formula: str) -> str:
    return f"{derived_id},xinhua-2026-jiangxi,firms,A figure written by a test,{formula},count,ratio,Written by a test."


def test_a_notebook_that_raises_names_the_chapter_and_the_cell(book):
    nb = notebook(book, "headline.ipynb")
    position = next(i for i, c in enumerate(nb["cells"]) if "Chapter(" in "".join(c["source"])) + 1
    nb["cells"].insert(position, {"cell_type": "code", "execution_count": None, "id": "test-raise", "metadata": {},
                                  "outputs": [], "source": "raise ValueError('a claim the test made up')"})
    (book / "chapters" / "broken.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    one_page_book(book, "broken", "broken.ipynb", "headline")
    output = assert_fails_and_keeps_the_last_good_book(
        book, f"chapter 'broken': failed in cell {position + 1} of chapters/broken.ipynb",
        "ValueError: a claim the test made up", "[failed] broken")
    assert "[html]" not in output, "Sphinx must not run after a chapter failed"


def test_a_parameter_the_notebook_does_not_declare(book):
    document = manifest(book)
    document["entries"][1]["parameters"]["colour"] = "red"
    write_manifest(book, document)
    output = assert_fails_and_keeps_the_last_good_book(
        book, "manifest.yml, row 2, column 'parameters': 'ecosystem' passes 'colour', which the parameters "
              "cell of chapters/ecosystem.ipynb does not set")
    assert "[executed]" not in output


def test_a_notebook_without_a_parameters_cell(book):
    nb = notebook(book, "business.ipynb")
    for cell in nb["cells"]:
        cell["metadata"]["tags"] = [t for t in cell["metadata"].get("tags", []) if t != "parameters"]
    (book / "chapters" / "business.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    number = [e["name"] for e in manifest(book)["entries"]].index("business") + 1
    assert_fails_and_keeps_the_last_good_book(
        book, f"manifest.yml, row {number}, column 'notebook': chapters/business.ipynb has no code cell tagged "
              "'parameters'")


def test_a_manifest_naming_a_missing_notebook(book):
    document = manifest(book)
    document["entries"][2]["notebook"] = "ghost.ipynb"
    write_manifest(book, document)
    assert_fails_and_keeps_the_last_good_book(
        book, "manifest.yml, row 3, column 'notebook': notebook 'ghost.ipynb' does not exist")


def test_a_table_of_contents_entry_for_a_missing_file(book):
    toc = book / "_toc.yml"
    text = toc.read_text(encoding="utf-8")
    assert "      - file: chapters/firms\n" in text
    text = text.replace("      - file: chapters/firms\n",
                        "      - file: chapters/firms\n      - file: chapters/ghost\n")
    toc.write_text(text, encoding="utf-8")
    row = text.splitlines().index("      - file: chapters/ghost") + 1
    output = assert_fails_and_keeps_the_last_good_book(
        book, f"_toc.yml, row {row}, column 'file': 'chapters/ghost' is neither a manifest entry")
    assert "[executed]" not in output, "a broken table of contents is found before any notebook runs"


def test_a_formula_naming_an_unknown_claim(book):
    row = append_formulas(book, formula_row("test-unknown", "{no-such-claim} * 1"))
    assert_fails_and_keeps_the_last_good_book(
        book, f"formulas.csv, row {row}, column 'formula': unknown id 'no-such-claim'", "data validation failed")


def test_a_formula_dividing_by_zero(book):
    row = append_formulas(book, formula_row("test-by-zero", f"{{{a_claim(book)}}} / (1 - 1)"))
    assert_fails_and_keeps_the_last_good_book(
        book, f"formulas.csv, row {row}, column 'formula': 'test-by-zero' cannot be evaluated: division by an "
              "interval that contains zero")


def test_a_cycle_of_formulas(book):
    row = append_formulas(book, formula_row("test-cycle-a", "{test-cycle-b} + 1"),
                          formula_row("test-cycle-b", "{test-cycle-a} + 1"))
    assert_fails_and_keeps_the_last_good_book(
        book, f"formulas.csv, row {row}, column 'formula': cycle between derived figures: "
              "test-cycle-a → test-cycle-b → test-cycle-a")


def test_a_typed_number_in_prose_is_refused_by_the_audit(book):
    intro = book / "chapters" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace(
        "It follows every", "Its lede cites 586.7 billion yuan. It follows every", 1), encoding="utf-8")
    before = published(book)
    output = assert_fails_and_keeps_the_last_good_book(book, "untraced numbers in the book", "'586.7'")
    assert "chapters/intro.html" in output
    assert published(book) == before


def test_a_typo_in_a_prose_role_names_the_source_notebook_and_its_cell(book):
    nb = notebook(book, "firms.ipynb")
    index = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown" and i > 0
                 and "remove-cell" not in c["metadata"].get("tags", []))  # a cell the book shows
    nb["cells"][index]["source"] = ("".join(nb["cells"][index]["source"])
                                    + "\n\nA typo: {claim}`byd-fuzhou-revnue-2025`.\n")
    (book / "chapters" / "firms.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    one_page_book(book, "firms", "firms.ipynb", "firms")
    output = assert_fails_and_keeps_the_last_good_book(
        book, f"chapters/firms.ipynb, cell {index + 1} (markdown, id {nb['cells'][index]['id']}), line ",
        "unknown claim id 'byd-fuzhou-revnue-2025'; did you mean byd-fuzhou-revenue-2025")
    assert "_build/stage" not in output.split("full log:")[1], "the message names the staged copy"


def test_a_typo_in_a_markdown_page_names_the_page_and_its_line(book):
    intro = book / "chapters" / "intro.md"
    lines = intro.read_text(encoding="utf-8").splitlines()
    lines += ["", "A typo: {claim}`byd-fuzhou-revnue-2025`."]  # a paragraph of its own: its line is reported
    intro.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = assert_fails_and_keeps_the_last_good_book(
        book, f"chapters/intro.md:{len(lines)}: ERROR: {{claim}}: unknown claim id 'byd-fuzhou-revnue-2025'")
    assert "_build/stage" not in output.split("full log:")[1]
