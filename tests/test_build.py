"""The build pipeline on a tiny throwaway book: real papermill, real kernels, real Jupyter Book.

Each notebook of the tiny book appends its name to ``runs.log`` when a kernel executes it, so the
tests count kernel runs instead of trusting the pipeline's own report.
"""
from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

from claimbook.build import BookPaths, BuildOptions, build
from claimbook.build.execute.jobs import statuses_in
from claimbook.build.manifest import check_toc, load_manifest
from claimbook.errors import DataError

RECORD_RUN = textwrap.dedent("""\
    import json, pathlib
    pathlib.Path('runs.log').open('a').write(NAME + '\\n')
    out = pathlib.Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    """)


def notebook(*cells: str, parameters: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    defaults = ("source_id = 'demo'\ngroup = 'demo'\nreading = 'point'\noutput_dir = '.'\n" + parameters)
    nb.cells = [nbformat.v4.new_markdown_cell("# A page")]
    nb.cells.append(nbformat.v4.new_code_cell(defaults, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"c{index}"  # fixed ids: the source notebook itself is deterministic
    return nb


# NAME below is the entry's page name, passed as a parameter by the manifest.
PAGE = notebook(
    RECORD_RUN + "rows = open('data/values.csv').read().splitlines()[1:]\n"
    "json.dump({'group': group, 'rows': len(rows)}, open(out / f'{NAME}.json', 'w'))",
    "print(f'{group}: {len(rows)} rows, reading {reading}')",
    "{'b': 2, 'a': 1, 'set': sorted({'x', 'y'})}",
    parameters="NAME = 'page'\n",
)

CHART = notebook(
    RECORD_RUN,
    "import matplotlib\nmatplotlib.use('agg')\nmatplotlib.rcParams['svg.hashsalt'] = 'claimbook'\n"
    "import matplotlib.pyplot as plt\nfrom IPython.display import SVG, display\n"
    "fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([0, 1], [1, 0])\n"
    "fig.savefig(out / 'chart.svg')\ndisplay(SVG(filename=str(out / 'chart.svg')))",
    parameters="NAME = 'chart'\n",
)

UPSTREAM = notebook(
    RECORD_RUN + "import time\ntime.sleep(1.0)  # long enough that an unordered downstream would run first\n"
    "json.dump({'total': 41 + len(group)}, open(out / 'upstream.json', 'w'))",
    parameters="NAME = 'upstream'\n",
)

DOWNSTREAM = notebook(
    RECORD_RUN + "total = json.load(open(out / 'upstream.json'))['total']\nprint('upstream total', total)",
    parameters="NAME = 'downstream'\n",
)

BROKEN = notebook(
    RECORD_RUN,
    "x = 1",
    "raise ValueError('the registry has no claim called nope')",
    "print('never reached')",
    parameters="NAME = 'broken'\n",
)

CONFIG = {
    "title": "Tiny book",
    "author": "tests",
    "only_build_toc_files": True,
    "exclude_patterns": ["_build"],
    "execute": {"execute_notebooks": "off"},
    "sphinx": {"config": {"html_show_copyright": False, "html_show_sphinx": False}},
}


def entry(name: str, nb: str, group: str = "demo", needs: list[str] | None = None) -> dict:
    item = {"name": name, "notebook": nb,
            "parameters": {"source_id": "demo", "group": group, "reading": "point", "NAME": name}}
    if needs:
        item["needs"] = needs
    return item


class TinyBook:
    """A throwaway repository with the layout the pipeline expects."""

    def __init__(self, root: Path):
        self.root = root
        self.paths = BookPaths(root)
        for folder in ("chapters", "data"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        for name, nb in {"page.ipynb": PAGE, "chart.ipynb": CHART, "upstream.ipynb": UPSTREAM,
                         "downstream.ipynb": DOWNSTREAM, "broken.ipynb": BROKEN}.items():
            nbformat.write(nb, str(root / "chapters" / name))
        (root / "data" / "values.csv").write_text("id,value\na,1\nb,2\n", encoding="utf-8")
        (root / "data" / "claims.csv").write_text("claim_id,value\na,1\n", encoding="utf-8")
        (root / "data" / "datapackage.json").write_text(json.dumps({"name": "tiny", "resources": [
            {"name": "claims", "path": "claims.csv"}, {"name": "derived", "path": "derived.csv"}]}),
            encoding="utf-8")
        (root / "requirements.txt").write_text("papermill\n", encoding="utf-8")
        (root / "_config.yml").write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
        (root / "chapters" / "intro.md").write_text("# Tiny book\n\nAn introduction.\n", encoding="utf-8")

    def manifest(self, *entries: dict) -> None:
        self.paths.manifest.write_text(yaml.safe_dump({"entries": list(entries)}, sort_keys=False),
                                       encoding="utf-8")
        toc = {"format": "jb-book", "root": "chapters/intro",
               "chapters": [{"file": f"chapters/{e['name']}"} for e in entries]}
        (self.root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")

    def build(self, **options) -> tuple[int, str]:
        out = io.StringIO()
        options = {"validate": False, "html": False, "pdf": False, "jobs": 2,
                   "write_derived": write_tiny_derived, **options}
        status = build(self.paths, BuildOptions(out=out, **options))
        return status, out.getvalue()

    def runs(self) -> list[str]:
        log = self.root / "runs.log"
        return log.read_text().split() if log.exists() else []

    def executed(self, name: str) -> bytes:
        return (self.paths.cache / f"{name}.ipynb").read_bytes()


def write_tiny_derived(path: Path) -> None:
    path.write_text("derived_id,value\nsum,3\n", encoding="utf-8")


@pytest.fixture
def book(tmp_path) -> TinyBook:
    return TinyBook(tmp_path / "book")


def test_cache_hit_runs_no_kernel_and_a_parameter_change_reruns_only_its_entry(book):
    book.manifest(entry("alpha", "page.ipynb", "one"), entry("beta", "page.ipynb", "two"))
    status, output = book.build()
    assert status == 0, output
    assert statuses_in(output) == {"alpha": "executed", "beta": "executed"}
    assert sorted(book.runs()) == ["alpha", "beta"]

    status, output = book.build()
    assert status == 0, output
    assert statuses_in(output) == {"alpha": "cached", "beta": "cached"}
    assert sorted(book.runs()) == ["alpha", "beta"], "a cached build must not start a kernel"

    book.manifest(entry("alpha", "page.ipynb", "one"), entry("beta", "page.ipynb", "three"))
    status, output = book.build()
    assert status == 0, output
    assert statuses_in(output) == {"alpha": "cached", "beta": "executed"}
    assert sorted(book.runs()) == ["alpha", "beta", "beta"]
    assert json.loads((book.paths.cache / "beta.json").read_text())["group"] == "three"


def test_data_change_reruns_the_entries_that_read_data_and_nothing_else_does(book):
    book.manifest(entry("alpha", "page.ipynb"))
    assert book.build()[0] == 0
    (book.root / "notes.txt").write_text("not an input of any chapter")
    assert statuses_in(book.build()[1]) == {"alpha": "cached"}

    with open(book.root / "data" / "values.csv", "a") as values:
        values.write("c,3\n")
    status, output = book.build()
    assert status == 0, output
    assert statuses_in(output) == {"alpha": "executed"}
    assert json.loads((book.paths.cache / "alpha.json").read_text())["rows"] == 3
    assert book.runs() == ["alpha", "alpha"]


def test_executed_notebooks_are_byte_identical_across_runs(book):
    book.manifest(entry("alpha", "page.ipynb"), entry("chart", "chart.ipynb"))
    assert book.build()[0] == 0
    first = {name: book.executed(name) for name in ("alpha", "chart")}
    for name in ("alpha", "chart"):
        (book.paths.cache / f"{name}.key").unlink()  # force a second execution
    status, output = book.build()
    assert statuses_in(output) == {"alpha": "executed", "chart": "executed"}
    assert book.runs().count("chart") == 2
    for name, data in first.items():
        assert book.executed(name) == data, f"{name} changed between two executions"
    text = first["chart"].decode()
    for volatile in ("start_time", "end_time", "iopub.execute_input", "output_path"):
        assert volatile not in text
    assert "1970" not in text and "2026-01-01" in text, "kernels should see the fixed SOURCE_DATE_EPOCH"


def test_needs_orders_execution_and_propagates_reexecution(book):
    # Listed downstream first: the manifest order must not matter, only `needs`.
    book.manifest(entry("downstream", "downstream.ipynb", needs=["upstream"]),
                  entry("upstream", "upstream.ipynb"),
                  entry("alpha", "page.ipynb"))
    status, output = book.build()
    assert status == 0, output
    assert book.runs().index("upstream") < book.runs().index("downstream")
    assert "upstream total 45" in book.executed("downstream").decode()

    book.manifest(entry("downstream", "downstream.ipynb", needs=["upstream"]),
                  entry("upstream", "upstream.ipynb", group="longer"),
                  entry("alpha", "page.ipynb"))
    status, output = book.build()
    assert statuses_in(output) == {"alpha": "cached", "upstream": "executed", "downstream": "executed"}
    assert "upstream total 47" in book.executed("downstream").decode()


def test_failing_notebook_names_chapter_and_cell_and_keeps_the_last_good_book(book):
    book.manifest(entry("alpha", "page.ipynb"), entry("broken", "broken.ipynb"),
                  entry("after", "downstream.ipynb", needs=["broken"]))
    book.paths.html.mkdir(parents=True)
    (book.paths.html / "index.html").write_text("last good book")

    status, output = book.build(html=True)
    assert status != 0
    assert statuses_in(output) == {"alpha": "executed", "broken": "failed", "after": "failed"}
    # Cell 5 of the source notebook: markdown, parameters, the run record, `x = 1`, the raise.
    assert "chapter 'broken': failed in cell 5 of chapters/broken.ipynb" in output
    assert "ValueError: the registry has no claim called nope" in output
    assert "Traceback" in output or "raise ValueError" in output
    assert "not run: it needs 'broken', which failed" in output
    assert "never reached" not in book.runs()
    assert (book.paths.html / "index.html").read_text() == "last good book"
    assert not book.paths.stage.exists(), "nothing is staged when a chapter fails"


def test_html_build_publishes_data_and_a_failed_compile_keeps_the_previous_book(book):
    book.manifest(entry("alpha", "page.ipynb"))
    status, output = book.build(html=True)
    assert status == 0, output
    html = book.paths.html
    assert (html / "chapters" / "alpha.html").is_file()
    assert (html / "data" / "derived.csv").read_text() == "derived_id,value\nsum,3\n"
    assert (html / "data" / "claims.csv").is_file() and (html / "data" / "datapackage.json").is_file()
    good_page = (html / "chapters" / "intro.html").read_bytes()

    status, output = book.build(html=True)
    assert status == 0 and "[book] up to date" in output
    assert book.runs() == ["alpha"]

    # A page with a broken cross-reference is a Sphinx warning, and warnings fail the build.
    (book.root / "chapters" / "intro.md").write_text("# Tiny book\n\nSee {doc}`missing-page`.\n")
    status, output = book.build(html=True)
    assert status != 0
    assert "jupyter-book html build failed" in output and "missing-page" in output
    assert (html / "chapters" / "intro.html").read_bytes() == good_page


@pytest.mark.parametrize("meddle", [
    lambda html: (html / "chapters" / "alpha.html").write_text("<p>hollow</p>"),  # a page replaced
    lambda html: (html / "stray.html").write_text("<p>another tool's page</p>"),  # a page added
    lambda html: (html / "data" / "derived.csv").unlink(),  # a published file removed
])
def test_a_published_book_changed_by_another_tool_is_compiled_and_published_again(book, meddle):
    """``jupyter-book build .`` writes into _build/html too: the build trusts only the files it published."""
    book.manifest(entry("alpha", "page.ipynb"))
    assert book.build(html=True)[0] == 0
    good_page = (book.paths.html / "chapters" / "alpha.html").read_bytes()
    meddle(book.paths.html)
    status, output = book.build(html=True)
    assert status == 0 and "up to date" not in output and "[html] compiled" in output
    assert (book.paths.html / "chapters" / "alpha.html").read_bytes() == good_page
    assert not (book.paths.html / "stray.html").exists() and (book.paths.html / "data" / "derived.csv").is_file()
    assert "up to date" in book.build(html=True)[1]


def test_a_key_file_without_the_digest_of_the_published_files_is_not_trusted(book):
    book.manifest(entry("alpha", "page.ipynb"))
    assert book.build(html=True)[0] == 0
    record = json.loads(book.paths.book_key.read_text())
    book.paths.book_key.write_text(record["key"] + "\n")  # what an older build wrote: the key alone
    assert "[html] compiled" in book.build(html=True)[1]


@pytest.mark.parametrize("change, message", [
    (lambda e: e[0].update(needs=["ghost"]), "needs 'ghost', which is not an entry"),
    (lambda e: (e[0].update(needs=["b"]), e[1].update(needs=["a"])), "cycle"),
    (lambda e: e[1].update(name="a"), "used more than once"),
    (lambda e: e[0].update(notebook="absent.ipynb"), "does not exist"),
    (lambda e: e[0]["parameters"].pop("reading"), "lacks the parameter 'reading'"),
    (lambda e: e[0]["parameters"].update(reading="middle"), "is not one of lower, point, upper"),
    (lambda e: e[0]["parameters"].update(output_dir="/tmp"), "output_dir is set by the build"),
])
def test_manifest_errors_name_the_entry_and_field(book, change, message):
    entries = [entry("a", "page.ipynb"), entry("b", "page.ipynb")]
    change(entries)
    book.manifest(*entries)
    with pytest.raises(DataError, match=message):
        load_manifest(book.paths.manifest)


def test_manifest_rejects_a_markdown_page_with_an_entrys_name(book):
    book.manifest(entry("intro", "page.ipynb"))
    with pytest.raises(DataError, match="would collide"):
        load_manifest(book.paths.manifest)


def test_repository_manifest_and_table_of_contents_agree():
    """Every page of the book has a source, every entry the build runs can be executed (both checked
    as the build checks them), and no notebook is committed with outputs."""
    root = Path(__file__).resolve().parent.parent
    entries = load_manifest(root / "chapters" / "manifest.yml")
    check_toc(BookPaths(root), entries)
    for entry in entries:
        notebook = nbformat.read(str(root / "chapters" / entry.notebook), as_version=4)
        assert all(not c.outputs for c in notebook.cells if c.cell_type == "code"), \
            f"{entry.notebook} is committed with outputs; clear them"


def test_print_leaves_out_what_the_html_folds_away(tmp_path):
    from claimbook.build.staging import fold_away_for_print

    nb = notebook("1 + 1", "2 + 2", "3 + 3")
    nb.cells[2].metadata["tags"] = ["hide-input"]
    nb.cells[3].metadata["tags"] = ["hide-output"]
    nb.cells[4].metadata["tags"] = ["hide-cell", "remove-cell"]
    (tmp_path / "chapters").mkdir()
    nbformat.write(nb, str(tmp_path / "chapters" / "page.ipynb"))
    nbformat.write(notebook(), str(tmp_path / "chapters" / "plain.ipynb"))

    assert fold_away_for_print(tmp_path) == [tmp_path / "chapters" / "page.ipynb"]
    tags = [c.metadata.get("tags") for c in nbformat.read(str(tmp_path / "chapters" / "page.ipynb"), 4).cells]
    assert tags[2:] == [["hide-input", "remove-input"], ["hide-output", "remove-output"],
                        ["hide-cell", "remove-cell"]]
    assert tags[1] == ["parameters"]
