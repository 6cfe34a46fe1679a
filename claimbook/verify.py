"""Reviewers' check: re-execute every chapter from scratch and compare with the published build.

``claimbook verify`` (``make verify``) copies the book's inputs (the repository without
what is generated or local: ``_build``, ``.git``, ``.venv``, caches) into a clean temporary
folder, executes every manifest entry there with the build's own papermill pipeline
(:func:`claimbook.build.execute.jobs.plan_jobs` and :func:`claimbook.build.execute.execute_jobs`,
no cache), recomputes ``derived.csv``, and compares with what the published build holds:

- ``_build/cache/<name>.json``: the values each chapter recorded (claims, derived figures under the
  chapter's reading, figure alt texts), value by value;
- ``_build/cache/<name>.ipynb``: every output the book or a reader sees (:data:`COMPARED_MIMES`:
  the MyST and figure outputs of :mod:`claimbook.outputs`, Markdown, text, HTML, SVG, PDF and PNG,
  glued ones included), printed output and error, cell by cell;
- ``_build/html/data/derived.csv``, row by row and column by column;
- and, where the HTML keeps a copy of a page's notebook (``_build/html/_sources``), that the page was
  compiled from those same outputs.

The package is copied along, so the copy is a whole book whose chapters read the copied ``data/``
(they find it from their working directory, the copy's root); its code is the repository's, byte
for byte.

The data are validated first (:func:`data_problems`): on invalid data verify prints the problems,
each named by file, row (and line) and column, and executes nothing.

Exit status: 0 when everything is identical, 1 on any difference, 2 when the data do not validate,
there is no published build to compare with or a chapter fails to execute.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .build import BookPaths
from .build.execute import execute_jobs
from .build.execute.jobs import plan_jobs, progress_line
from .build.keys import file_digest
from .build.manifest import Entry, load_manifest
from .build.publishing import write_derived_from_registry
from .build.shared import INJECTED, BuildError
from .errors import DataError
from .outputs import FIGURE, MYST

# Left behind when the repository is copied: what is generated, local or version control. The rest
# is copied whole (a few megabytes), so no input a chapter or the compile reads can be forgotten.
NOT_INPUTS_AT_ROOT = {"_build", ".git", ".venv", ".venv-bench", "venv", "test-artifacts", "benchmarks"}
NOT_INPUTS_ANYWHERE = ("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".pytest_cache", ".hypothesis",
                       ".DS_Store")
# text/html is the interactive claims table (itables), which is as deterministic as the rest;
# charts are SVG for the HTML and PDF or PNG for the LaTeX; MYST and FIGURE are what the book
# renders of a table and a chart (claimbook.outputs).
COMPARED_MIMES = (MYST, FIGURE, "text/markdown", "text/plain", "text/html", "image/svg+xml", "application/pdf",
                  "image/png")
# myst-nb's glue stores a figure under this prefix (papermill's record format).
GLUE_PREFIX = "application/papermill.record/"
BUILD_ONLY_FILES = {".ipynb", ".key", ".log"}
_SHOWN = 150  # characters of a differing value shown in the report


@dataclass
class Difference:
    where: str    # "headline.json", "cell 7 (id …)", "derived.csv"
    what: str     # the value or output that differs
    published: str
    fresh: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: published {self.published}, fresh {self.fresh}"


@dataclass
class ChapterReport:
    name: str
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    def lines(self) -> list[str]:
        head = f"[{'identical' if self.identical else 'different'}] {self.name}"
        return [head] + [f"    {d}" for d in self.differences] + [f"    note: {n}" for n in self.notes]


# --------------------------------------------------------------------------------------------
# Values and outputs


def shown(value) -> str:
    """A value as the report prints it: strings quoted, on one line and cut short; the rest as JSON."""
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text[:_SHOWN] + ("…" if len(text) > _SHOWN else ""))
    return json.dumps(value, ensure_ascii=False)


def flatten(value, prefix: str = "") -> dict[str, object]:
    """Nested mappings as ``{"claims.some-id": leaf}``; lists and scalars are leaves."""
    if isinstance(value, dict) and value:
        flat = {}
        for key in value:
            flat.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix or "(whole file)": value}


def compare_values(where: str, published, fresh) -> list[Difference]:
    """Value-by-value differences between two recorded JSON documents."""
    old, new = flatten(published), flatten(fresh)
    differences = []
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            differences.append(Difference(where, key, shown(old[key]), "(absent)"))
        elif key not in old:
            differences.append(Difference(where, key, "(absent)", shown(new[key])))
        elif old[key] != new[key]:
            differences.append(Difference(where, key, shown(old[key]), shown(new[key])))
    return differences


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as exc:
        return {"(unreadable JSON)": str(exc)}


def compared_outputs(cell: dict) -> list[tuple[str, str]]:
    """(label, content) of every output of ``cell`` that verify compares, in order."""
    found = []
    for number, output in enumerate(cell.get("outputs", []), start=1):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            found.append((f"output {number} printed text", _text(output.get("text", ""))))
        elif kind == "error":
            found.append((f"output {number} error", f"{output.get('ename')}: {output.get('evalue')}"))
        elif kind in ("display_data", "execute_result"):
            for mime, content in output.get("data", {}).items():
                base = mime[len(GLUE_PREFIX):] if mime.startswith(GLUE_PREFIX) else mime
                if base in COMPARED_MIMES:
                    glued = " (glued)" if mime != base else ""
                    found.append((f"output {number} {base}{glued}", _text(content)))
    return found


def _text(content) -> str:
    if isinstance(content, list):
        return "".join(content)
    return content if isinstance(content, str) else json.dumps(content, sort_keys=True)


def numbered_cells(notebook: dict) -> list[tuple[str, dict]]:
    """Cells with the label a notebook author knows: the cell's number in the source notebook
    (papermill's injected parameters cell is not counted) and its id."""
    cells = [c for c in notebook.get("cells", []) if c.get("id") != INJECTED]
    return [(f"cell {n} (id {c.get('id', '?')})", c) for n, c in enumerate(cells, start=1)]


def describe_change(label: str, old: str, new: str) -> tuple[str, str]:
    """Short published/fresh texts for a differing output: the first differing line, or digests."""
    if any(kind in label for kind in ("svg", "pdf", "png")):
        old_lines, new_lines = old.splitlines(), new.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
                     min(len(old_lines), len(new_lines)))

        def digest(text: str) -> str:
            return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

        where = f" line {first + 1}" if "svg" in label else ""
        return (f"{len(old)} chars sha256 {digest(old)}{where}", f"{len(new)} chars sha256 {digest(new)}")
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for index in range(max(len(old_lines), len(new_lines))):
        a = old_lines[index] if index < len(old_lines) else "(no line)"
        b = new_lines[index] if index < len(new_lines) else "(no line)"
        if a != b:
            prefix = f"line {index + 1} " if max(len(old_lines), len(new_lines)) > 1 else ""
            return prefix + shown(a), shown(b)
    return shown(old), shown(new)  # only line ends differ


def compare_notebooks(published: dict, fresh: dict, where: str = "") -> list[Difference]:
    """Differences between the compared outputs of two executions of the same notebook, by cell."""
    old_cells, new_cells = numbered_cells(published), numbered_cells(fresh)
    differences = []
    if len(old_cells) != len(new_cells):
        differences.append(Difference(where or "notebook", "number of cells", str(len(old_cells)),
                                      str(len(new_cells))))
    for (label, old_cell), (_, new_cell) in zip(old_cells, new_cells, strict=False):
        old_outputs, new_outputs = compared_outputs(old_cell), compared_outputs(new_cell)
        cell_where = f"{where}{label}"
        for (old_label, old_text), (new_label, new_text) in zip(old_outputs, new_outputs, strict=False):
            if old_label != new_label:
                differences.append(Difference(cell_where, "kind of output", old_label, new_label))
            elif old_text != new_text:
                differences.append(Difference(cell_where, old_label, *describe_change(old_label, old_text,
                                                                                       new_text)))
        for label, _ in old_outputs[len(new_outputs):]:
            differences.append(Difference(cell_where, label, "present", "(absent)"))
        for label, _ in new_outputs[len(old_outputs):]:
            differences.append(Difference(cell_where, label, "(absent)", "present"))
    return differences


def read_notebook(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def derived_rows(text: str) -> dict[str, dict[str, str]]:
    return {row.get("derived_id", ""): row for row in csv.DictReader(io.StringIO(text))}


def compare_derived(published_text: str, fresh_text: str) -> list[Difference]:
    """Row-by-row, column-by-column differences of two ``derived.csv`` files."""
    where = "derived.csv"
    if published_text == fresh_text:
        return []
    old, new = derived_rows(published_text), derived_rows(fresh_text)
    differences = []
    for derived_id in list(old) + [d for d in new if d not in old]:
        if derived_id not in new:
            differences.append(Difference(where, f"row {derived_id}", "present", "(absent)"))
        elif derived_id not in old:
            differences.append(Difference(where, f"row {derived_id}", "(absent)", "present"))
        else:
            for column in dict.fromkeys(list(old[derived_id]) + list(new[derived_id])):
                a, b = old[derived_id].get(column), new[derived_id].get(column)
                if a != b:
                    differences.append(Difference(where, f"{derived_id}.{column}", shown(a), shown(b)))
    if not differences:
        differences.append(Difference(where, "bytes (row order, header or quoting)",
                                      f"sha256 {hashlib.sha256(published_text.encode()).hexdigest()[:12]}",
                                      f"sha256 {hashlib.sha256(fresh_text.encode()).hexdigest()[:12]}"))
    return differences


# --------------------------------------------------------------------------------------------
# The published build and a fresh one


def missing_published(published: BookPaths, entries: list[Entry]) -> list[str]:
    """What a published build must hold for verify to have something to compare with."""
    wanted = [published.cache / f"{e.name}.ipynb" for e in entries] + [published.html / "data" / "derived.csv"]
    return [str(path.relative_to(published.root)) for path in wanted if not path.is_file()]


def compare_entry(published: BookPaths, fresh: BookPaths, entry: Entry) -> ChapterReport:
    report = ChapterReport(entry.name)
    values = f"{entry.name}.json"
    old_values, new_values = read_json(published.cache / values), read_json(fresh.cache / values)
    if old_values is not None or new_values is not None:
        report.differences += compare_values(values, old_values if old_values is not None else {},
                                             new_values if new_values is not None else {})
    cached = read_notebook(published.cache / f"{entry.name}.ipynb")
    report.differences += compare_notebooks(cached or {}, read_notebook(fresh.cache / f"{entry.name}.ipynb") or {})
    # The HTML keeps the notebook it was compiled from; it must hold the outputs of the cache.
    compiled = read_notebook(published.html / "_sources" / "chapters" / f"{entry.name}.ipynb")
    if compiled is not None and cached is not None:
        stale = compare_notebooks(cached, compiled, where="_build/html page, ")
        for difference in stale:
            difference.what += " (the published HTML was compiled from other outputs than _build/cache)"
        report.differences += stale
    return report


def compare_other_files(published: BookPaths, fresh: BookPaths, entries: list[Entry]) -> ChapterReport:
    """Files the notebooks wrote besides ``<name>.json`` (shared values, exported charts)."""
    report = ChapterReport("other files written by the chapters")
    named = {f"{e.name}.json" for e in entries}
    for path in sorted(fresh.cache.rglob("*")) if fresh.cache.is_dir() else []:
        relative_name = path.relative_to(fresh.cache).as_posix()
        if not path.is_file() or path.suffix in BUILD_ONLY_FILES or relative_name in named:
            continue
        old = published.cache / relative_name
        if not old.is_file():
            report.differences.append(Difference(relative_name, "file", "(absent)", "present"))
        elif path.suffix == ".json":
            report.differences += compare_values(relative_name, read_json(old), read_json(path))
        elif old.read_bytes() != path.read_bytes():
            report.differences.append(Difference(relative_name, "bytes", f"sha256 {_digest(old)}",
                                                 f"sha256 {_digest(path)}"))
    return report


def _digest(path: Path) -> str:
    return file_digest(path)[:12]


def compare_builds(published: BookPaths, fresh: BookPaths, entries: list[Entry]) -> list[ChapterReport]:
    """One report per entry, one for derived.csv, and one for any other file the chapters wrote."""
    reports = [compare_entry(published, fresh, entry) for entry in entries]
    derived = ChapterReport("data/derived.csv")
    derived.differences = compare_derived(
        (published.html / "data" / "derived.csv").read_text(encoding="utf-8"),
        (fresh.build / "derived.csv").read_text(encoding="utf-8"))
    reports.append(derived)
    others = compare_other_files(published, fresh, entries)
    if others.differences:
        reports.append(others)
    return reports


def copy_inputs(root: Path, target: Path) -> BookPaths:
    """A clean copy of the book's repository: its inputs, no _build, no caches, no version control."""
    root = Path(root).resolve()
    anywhere = shutil.ignore_patterns(*NOT_INPUTS_ANYWHERE)

    def ignore(folder: str, names: list[str]) -> set[str]:
        left = set(anywhere(folder, names))
        if Path(folder).resolve() == root:
            left |= NOT_INPUTS_AT_ROOT.intersection(names)
        return left

    shutil.copytree(root, target, ignore=ignore, dirs_exist_ok=True)
    return BookPaths(target)


def needed(entries: list[Entry], names: list[str]) -> list[Entry]:
    """The named entries and everything they need, in dependency order."""
    by_name = {e.name: e for e in entries}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise BuildError(f"no manifest entry called {', '.join(repr(n) for n in unknown)}; "
                         f"entries: {', '.join(by_name)}")
    wanted: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in wanted:
            wanted.add(name)
            stack.extend(by_name[name].needs)
    return [e for e in entries if e.name in wanted]


def data_problems(published: BookPaths) -> list[DataError]:
    """What ``claimbook validate`` finds in the book's data: a chapter would only fail on it, in a
    traceback, so verify checks it first and reports it as validate does."""
    from .validate import problems

    return problems(published.data)


def published_key(published: BookPaths, name: str) -> str | None:
    record = read_json(published.cache / f"{name}.key")
    return record.get("key") if isinstance(record, dict) else None


# --------------------------------------------------------------------------------------------
# The command


@dataclass
class VerifyOptions:
    jobs: int | None = None
    chapters: list[str] = field(default_factory=list)  # empty: every entry
    keep: Path | None = None  # execute here and keep it (default: a temporary folder, removed)
    kernel_pool: bool = True  # False: every kernel starts from scratch (claimbook.kernelpool)
    out: TextIO = field(default_factory=lambda: sys.stdout)


def verify(published: BookPaths, options: VerifyOptions | None = None) -> int:
    """Re-execute from a clean copy of ``published``'s inputs, compare, print the report."""
    options = options or VerifyOptions()

    def say(text: str = "") -> None:
        print(text, file=options.out, flush=True)

    try:
        entries = load_manifest(published.manifest)
        if options.chapters:
            entries = needed(entries, options.chapters)
    except (DataError, BuildError) as exc:
        say(f"verify failed: {exc}")
        return 2
    invalid = data_problems(published)
    if invalid:
        for problem in invalid:
            say(f"error: {problem}")
        say(f"verify: data/ does not validate ({len(invalid)} problem(s) above); fix them, then verify again. "
            f"Nothing was executed.")
        return 2
    missing = missing_published(published, entries)
    if missing:
        say(f"verify: no published build to compare with in {published.build}: missing "
            + ", ".join(missing) + "\nbuild the book first (`make book`), then verify")
        return 2

    if options.keep:
        keep = Path(options.keep).resolve()
        if keep.exists() and any(keep.iterdir()):
            say(f"verify: {options.keep} is not empty; --keep needs a new or empty folder (from scratch)")
            return 2
        if keep == published.root or published.root in keep.parents:
            say(f"verify: {options.keep} is inside the book it would copy; keep the execution elsewhere")
            return 2
    workdir = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="claimbook-verify-"))
    try:
        fresh = copy_inputs(published.root, workdir)
        say(f"verify: executing {len(entries)} chapter(s) from a clean copy of the inputs in {workdir}")
        started = time.monotonic()
        jobs = plan_jobs(fresh, entries)
        outcomes = execute_jobs(jobs, options.jobs, lambda outcome: say("  " + progress_line(outcome)),
                                options.kernel_pool)
        failed = [o for o in outcomes.values() if o.status != "executed"]
        if failed:
            for outcome in failed:
                say(f"\nchapter '{outcome.name}' did not execute: {outcome.message}")
            say("verify: could not re-execute every chapter; nothing compared")
            return 2
        write_derived_from_registry(fresh)(fresh.build / "derived.csv")
        say(f"verify: executed in {time.monotonic() - started:.1f}s; comparing with {published.build}\n")

        reports = compare_builds(published, fresh, entries)
        changed_inputs = [job.name for job in jobs if published_key(published, job.name) != job.key]
        for report in reports:
            if report.name in changed_inputs and not report.identical:
                report.notes.append("its inputs changed since the published build (cache key differs): "
                                    "rebuild with `make book`, then verify again")
            for line in report.lines():
                say(line)
        different = [r.name for r in reports if not r.identical]
        say()
        if different:
            say(f"verify: NOT reproducible: {len(different)} of {len(reports)} differ: {', '.join(different)}")
            return 1
        say(f"verify: reproducible: all {len(reports)} identical")
        return 0
    except (DataError, BuildError) as exc:
        say(f"verify failed: {exc}")
        return 2
    finally:
        if options.keep:
            say(f"verify: the fresh execution is kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
