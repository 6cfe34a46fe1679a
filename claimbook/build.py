"""Build the book: execute the chapter notebooks, stage a book folder, compile it, publish it.

Papermill executes and Jupyter Book only compiles (``execute_notebooks: "off"``):

1. validate ``data/`` (``claimbook.validate``);
2. execute every entry of ``chapters/manifest.yml`` with papermill, in a process pool, after the
   entries it ``needs``. An entry runs again only when the sha256 of one of its inputs changed
   (its notebook, its parameters, the data it reads — see :func:`data_inputs` —, every file of
   ``claimbook/``, ``requirements.txt``, and the keys of the entries it needs). The executed
   notebook, its key and the values it wrote live in ``_build/cache/``. Kernels are forked from a
   preloaded pool (:mod:`claimbook.kernelpool`) unless ``BuildOptions.kernel_pool`` is off;
3. stage ``_build/stage/``: the config, ``data/``, ``_static/``, ``chapters/*.md`` and the executed
   notebooks (as ``chapters/<entry name>.ipynb``);
4. compile HTML, then the PDF (where cells the HTML folds away are left out), with Sphinx warnings
   as errors and missing glyphs as errors; publish the data package and the PDF into the HTML folder,
   and only then swap the result into ``_build/html`` and ``_build/latex``. A failure at any step
   leaves the last good book where it was. An unchanged stage is not compiled again.

Every function takes a :class:`BookPaths`, so tests can point the pipeline at a throwaway book.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

import yaml

from .errors import DataError, read_yaml

REPO_ROOT = Path(__file__).resolve().parent.parent

# Bump when the way executed notebooks are produced changes, so old cache entries are not reused.
CACHE_FORMAT = "claimbook-build-cache/2"

# Kernels get a fixed environment so that executed notebooks are byte-identical from run to run:
# a fixed hash seed (set iteration order) and a fixed clock for files that embed a date
# (matplotlib's SVG and PDF metadata honour SOURCE_DATE_EPOCH). The epoch is 2026-01-01T00:00Z,
# the year the article appeared; any fixed value would do.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "SOURCE_DATE_EPOCH": "1767225600",
    # ipykernel's debugger otherwise warns about frozen modules on every kernel start.
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}

BUILD_FLAGS = ["-W", "-n", "--keep-going"]
# Besides _config.yml and _toc.yml: the bibliography, the citation metadata and the benchmark
# results, which claimbook.sphinxext and claimbook.sphinxext.benchpage read beside the staged pages.
BOOK_FILES = ("references.bib", "CITATION.cff", "benchmarks/results.json")
READINGS = ("point", "lower", "upper")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Files that say nothing about an input's content: compiled bytecode and packaging metadata.
_IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
_IGNORED_SUFFIXES = {".pyc", ".pyo"}


class BuildError(Exception):
    """A step of the build failed; the message says which and why."""


@dataclass(frozen=True)
class BookPaths:
    """Where a book's inputs are, and where its build goes."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).resolve())

    chapters = property(lambda self: self.root / "chapters")
    manifest = property(lambda self: self.root / "chapters" / "manifest.yml")
    data = property(lambda self: self.root / "data")
    package = property(lambda self: self.root / "claimbook")
    requirements = property(lambda self: self.root / "requirements.txt")
    build = property(lambda self: self.root / "_build")
    cache = property(lambda self: self.root / "_build" / "cache")
    logs = property(lambda self: self.root / "_build" / "logs")
    stage = property(lambda self: self.root / "_build" / "stage")
    staged_html = property(lambda self: self.root / "_build" / "stage" / "_build" / "html")
    staged_latex = property(lambda self: self.root / "_build" / "stage" / "_build" / "latex")
    html = property(lambda self: self.root / "_build" / "html")
    latex = property(lambda self: self.root / "_build" / "latex")
    book_key = property(lambda self: self.root / "_build" / "book.key")


# --------------------------------------------------------------------------------------------
# The manifest


@dataclass(frozen=True)
class Entry:
    """One executed page: ``notebook`` run with ``parameters``, published as ``chapters/<name>``."""

    name: str
    notebook: str
    parameters: dict
    needs: tuple[str, ...] = ()


_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REQUIRED_PARAMETERS = ("source_id", "group", "reading")


def load_manifest(path: Path) -> list[Entry]:
    """Read and check ``chapters/manifest.yml``; entries come back in an order that honours ``needs``."""
    path = Path(path)
    document = read_yaml(path, "manifest")
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise DataError(path, None, "entries", "expected a mapping with a list under 'entries'")

    entries: list[Entry] = []
    for number, raw in enumerate(document["entries"], start=1):
        entries.append(_parse_entry(path, number, raw))

    names = [e.name for e in entries]
    for number, entry in enumerate(entries, start=1):
        if names.count(entry.name) > 1:
            raise DataError(path, number, "name", f"entry name '{entry.name}' is used more than once")
        for need in entry.needs:
            if need not in names:
                raise DataError(path, number, "needs", f"'{entry.name}' needs '{need}', which is not an entry")
            if need == entry.name:
                raise DataError(path, number, "needs", f"'{entry.name}' needs itself")
        notebook = path.parent / entry.notebook
        if not notebook.is_file():
            raise DataError(path, number, "notebook", f"notebook '{entry.notebook}' does not exist in {path.parent}")
        check_parameters(path, number, entry, notebook)
        if (path.parent / f"{entry.name}.md").exists():
            raise DataError(path, number, "name",
                            f"chapters/{entry.name}.md exists too; the executed notebook is published as "
                            f"chapters/{entry.name}.ipynb and the two pages would collide")
    return dependency_order(path, entries)


def _parse_entry(path: Path, number: int, raw) -> Entry:
    if not isinstance(raw, dict):
        raise DataError(path, number, None, "an entry must be a mapping")
    unknown = set(raw) - {"name", "notebook", "parameters", "needs"}
    if unknown:
        raise DataError(path, number, sorted(unknown)[0], "unknown field")
    name, notebook = raw.get("name"), raw.get("notebook")
    if not isinstance(name, str) or not _NAME.match(name):
        raise DataError(path, number, "name", f"{name!r} is not a kebab-case page name")
    if not isinstance(notebook, str) or not notebook.endswith(".ipynb") or Path(notebook).is_absolute() \
            or ".." in Path(notebook).parts:
        raise DataError(path, number, "notebook", f"{notebook!r} is not a .ipynb path under chapters/")
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise DataError(path, number, "parameters", "parameters must be a mapping")
    for required in _REQUIRED_PARAMETERS:
        if required not in parameters:
            raise DataError(path, number, "parameters", f"'{name}' lacks the parameter '{required}'")
    if parameters["reading"] not in READINGS:
        raise DataError(path, number, "parameters",
                        f"reading {parameters['reading']!r} is not one of {', '.join(READINGS)}")
    if "output_dir" in parameters:
        raise DataError(path, number, "parameters", "output_dir is set by the build; leave it out")
    needs = raw.get("needs") or []
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise DataError(path, number, "needs", "needs must be a list of entry names")
    return Entry(name=name, notebook=notebook, parameters=dict(parameters), needs=tuple(needs))


def parameters_cell_names(notebook: Path) -> set[str] | None:
    """The names the notebook's cell tagged ``parameters`` assigns; None when it has no such cell."""
    import ast

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (ValueError, AttributeError):
        raise DataError(notebook, None, None, "not a readable notebook (invalid JSON)") from None
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise DataError(notebook, None, f"cell {number}", f"the parameters cell is not valid Python: {exc.msg}") \
                from None
        names = set()
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        names.add(leaf.id)
        return names
    return None


def check_parameters(path: Path, number: int, entry: Entry, notebook: Path) -> None:
    """Papermill only warns about a parameter the notebook does not declare (and injects it
    anyway), or about a notebook without a parameters cell; here both stop the build."""
    declared = parameters_cell_names(notebook)
    if declared is None:
        raise DataError(path, number, "notebook",
                        f"chapters/{entry.notebook} has no code cell tagged 'parameters', so the parameters "
                        f"of '{entry.name}' have nowhere to go")
    for name in [*entry.parameters, "output_dir"]:
        if name not in declared:
            passed = "the build passes" if name == "output_dir" else f"'{entry.name}' passes"
            raise DataError(path, number, "parameters",
                            f"{passed} '{name}', which the parameters cell of chapters/{entry.notebook} does not "
                            f"set (it sets: {', '.join(sorted(declared)) or 'nothing'})")


def check_toc(paths: BookPaths, entries: list[Entry]) -> None:
    """Every page ``_toc.yml`` names is an entry's executed notebook or a file of the book; checked
    before anything runs, because Sphinx would only say so after every notebook was executed."""
    toc = paths.root / "_toc.yml"
    document = read_yaml(toc, "table of contents", parse=yaml.compose)
    pages = {f"chapters/{e.name}" for e in entries}
    for key, value in _toc_files(document):
        page = value.value.strip()
        stem = page.rsplit(".", 1)[0] if page.endswith((".md", ".ipynb", ".rst")) else page
        if stem in pages or any((paths.root / f"{stem}{suffix}").is_file() for suffix in (".md", ".ipynb", ".rst")):
            continue
        raise DataError(toc, value.start_mark.line + 1, key,
                        f"'{page}' is neither a manifest entry (chapters/<name>) nor a Markdown page in {paths.root}")


def _toc_files(node):
    """(key, scalar node) for every ``file:`` and ``root:`` value of a composed YAML document."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in ("file", "root") and isinstance(value, yaml.ScalarNode):
                yield key.value, value
            else:
                yield from _toc_files(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _toc_files(item)


def dependency_order(path: Path, entries: list[Entry]) -> list[Entry]:
    """Entries sorted so that each comes after everything it needs; manifest order breaks ties."""
    done: set[str] = set()
    ordered: list[Entry] = []
    remaining = list(entries)
    while remaining:
        ready = [e for e in remaining if all(n in done for n in e.needs)]
        if not ready:
            cycle = ", ".join(e.name for e in remaining)
            raise DataError(path, None, "needs", f"these entries need each other in a cycle: {cycle}")
        for entry in ready:
            ordered.append(entry)
            done.add(entry.name)
        remaining = [e for e in remaining if e.name not in done]
    return ordered


# --------------------------------------------------------------------------------------------
# Content hashes


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_digest(directory: Path, skip: frozenset[str] = frozenset()) -> str:
    """One sha256 for every file under ``directory``: relative paths and contents, never timestamps.
    ``skip`` names relative paths (POSIX) left out, for files keyed some other way."""
    digest = hashlib.sha256()
    directory = Path(directory)
    if directory.is_dir():
        for file in sorted(p for p in directory.rglob("*") if p.is_file()):
            relative = file.relative_to(directory)
            if _IGNORED_PARTS.intersection(relative.parts) or file.suffix in _IGNORED_SUFFIXES \
                    or any(part.endswith(".egg-info") for part in relative.parts) \
                    or relative.as_posix() in skip:
                continue
            digest.update(relative.as_posix().encode("utf-8") + b"\0")
            digest.update(file_digest(file).encode("ascii") + b"\n")
    return digest.hexdigest()


def shared_inputs(paths: BookPaths) -> dict[str, str]:
    """The code every entry depends on, hashed once per build (data/: see :func:`data_inputs`)."""
    return {
        "package": tree_digest(paths.package),
        "requirements": file_digest(paths.requirements) if paths.requirements.is_file() else "",
    }


# --- What an entry reads from data/ -----------------------------------------------------------
#
# Every file of data/ is an input of every entry, except claims.csv: an entry is keyed on the rows
# of claims.csv it can read. Those are the rows of its group (every row for the group "all"), the
# rows its group's derived figures are computed from (through other derived figures too), and the
# rows of any claim or derived figure its notebook names. Editing a claim of one group then
# re-executes that group's chapter and the chapters that span every group, and nothing else.
# When claims.csv or formulas.csv cannot be read the rule falls back to all of data/: more
# re-execution, never a stale chapter.

CLAIMS_FILE = "claims.csv"


def data_inputs(paths: BookPaths, entries: list[Entry]) -> dict[str, dict[str, str]]:
    """For each entry name, the digests of the parts of ``data/`` it reads."""
    try:
        rows = _claim_rows(paths.data / CLAIMS_FILE)
        formula_inputs = _formula_claims(paths.data)
    except (DataError, KeyError, TypeError, ValueError):
        everything = {"data": tree_digest(paths.data)}
        return {entry.name: everything for entry in entries}
    others = tree_digest(paths.data, skip=frozenset({CLAIMS_FILE}))
    return {
        entry.name: {
            "data": others,
            "claims": _rows_digest(_rows_read_by(paths, entry, rows, formula_inputs)),
        }
        for entry in entries
    }


def claim_read_only_by(paths: BookPaths, group: str) -> str:
    """A claim of ``group`` that no other group's notebook names: editing it must re-execute only
    that group's chapter and the chapters that span every group (the benchmark and tests use it)."""
    others = "".join((paths.chapters / e.notebook).read_text(encoding="utf-8")
                     for e in load_manifest(paths.manifest) if e.parameters["group"] not in (group, "all"))
    return next(row["claim_id"] for row in _claim_rows(paths.data / CLAIMS_FILE)
                if row["group"] == group and row["claim_id"] not in others)


def _claim_rows(path: Path) -> list[dict[str, str]]:
    from .source import read_csv_rows

    rows = read_csv_rows(path)
    for row in rows:
        if None in row or not isinstance(row["claim_id"], str) or not isinstance(row["group"], str):
            raise ValueError(f"{path}: a row does not fit the header")
    return rows


def _formula_claims(data: Path) -> dict[str, set[str]]:
    """For each group and each derived id: the claim ids its derived figures are computed from."""
    from .derived import load_formulas
    from .registry import Registry

    if not (data / "formulas.csv").is_file():
        return {}
    registry = Registry(data)
    formulas = {f.derived_id: f for f in load_formulas(data / "formulas.csv", registry)}

    def claims_of(derived_id: str, seen: set[str]) -> set[str]:
        found = set()
        for ref in formulas[derived_id].inputs:
            if ref in formulas:
                if ref not in seen:
                    seen.add(ref)
                    found |= claims_of(ref, seen)
            else:
                found.add(ref)
        return found

    by_name: dict[str, set[str]] = {}
    for derived_id, formula in formulas.items():
        claims = claims_of(derived_id, {derived_id})
        by_name[derived_id] = claims
        by_name.setdefault(f"group:{formula.group}", set()).update(claims)
    return by_name


def _rows_read_by(paths: BookPaths, entry: Entry, rows: list[dict[str, str]],
                  formula_inputs: dict[str, set[str]]) -> list[dict[str, str]]:
    group = entry.parameters.get("group")
    if group == "all":
        return rows
    wanted = set(formula_inputs.get(f"group:{group}", ()))
    # Ids the notebook names itself (a chart bar, a table row); a substring match errs on the side
    # of keying a row too many.
    text = (paths.chapters / entry.notebook).read_text(encoding="utf-8")
    for identifier in [row["claim_id"] for row in rows] + [n for n in formula_inputs if ":" not in n]:
        if identifier and identifier in text:
            wanted |= formula_inputs.get(identifier, {identifier})
    return [row for row in rows if row["group"] == group or row["claim_id"] in wanted]


def _rows_digest(rows: list[dict[str, str]]) -> str:
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def entry_inputs(paths: BookPaths, entry: Entry, shared: dict[str, str], need_keys: dict[str, str],
                 data: dict[str, str]) -> dict:
    """Everything whose change must re-execute ``entry``, as a JSON-able record."""
    return {
        "format": CACHE_FORMAT,
        "name": entry.name,
        "notebook": file_digest(paths.chapters / entry.notebook),
        "parameters": entry.parameters,
        "package": shared["package"],
        "requirements": shared["requirements"],
        **data,
        "needs": {name: need_keys[name] for name in entry.needs},
    }


def key_of(inputs: dict) -> str:
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Execution


@dataclass(frozen=True)
class Job:
    """An entry ready to run: absolute paths, final parameters and its cache key."""

    name: str
    notebook: Path
    parameters: dict
    needs: tuple[str, ...]
    key: str
    inputs: dict
    root: Path
    cache: Path

    @property
    def executed(self) -> Path:
        return self.cache / f"{self.name}.ipynb"

    @property
    def key_file(self) -> Path:
        return self.cache / f"{self.name}.key"

    @property
    def log_file(self) -> Path:
        return self.cache / f"{self.name}.log"

    def is_cached(self) -> bool:
        if not (self.executed.is_file() and self.key_file.is_file()):
            return False
        try:
            return json.loads(self.key_file.read_text(encoding="utf-8")).get("key") == self.key
        except (ValueError, AttributeError):
            return False


@dataclass
class Outcome:
    name: str
    status: str  # "executed" | "cached" | "failed"
    seconds: float = 0.0
    message: str = ""


def plan_jobs(paths: BookPaths, entries: list[Entry]) -> list[Job]:
    """Turn manifest entries (in dependency order) into jobs with their cache keys."""
    shared = shared_inputs(paths)
    data = data_inputs(paths, entries)
    keys: dict[str, str] = {}
    jobs = []
    for entry in entries:
        inputs = entry_inputs(paths, entry, shared, keys, data[entry.name])
        keys[entry.name] = key_of(inputs)
        jobs.append(Job(
            name=entry.name,
            notebook=paths.chapters / entry.notebook,
            # Relative to the kernel's working directory (the book's root): an absolute path
            # would put the checkout's location into the executed notebook's bytes.
            parameters={**entry.parameters, "output_dir": relative(paths.cache, paths.root)},
            needs=entry.needs,
            key=keys[entry.name],
            inputs=inputs,
            root=paths.root,
            cache=paths.cache,
        ))
    return jobs


def execute_jobs(jobs: list[Job], workers: int | None = None,
                 report: Callable[[Outcome], None] = lambda outcome: None,
                 pool: bool = True) -> dict[str, Outcome]:
    """Run the jobs that are not cached, in parallel, each after the jobs it needs.

    A job whose prerequisite failed is not run and fails too. When every job is cached no process
    and no kernel is started.
    """
    outcomes: dict[str, Outcome] = {}
    to_run: list[Job] = []
    for job in jobs:
        if job.is_cached():
            outcomes[job.name] = Outcome(job.name, "cached")
            report(outcomes[job.name])
        else:
            to_run.append(job)
    if not to_run:
        return outcomes

    jobs[0].cache.mkdir(parents=True, exist_ok=True)
    import multiprocessing

    # "spawn": each worker is a fresh interpreter, so no forked copy of this process's state
    # (threads, open ZeroMQ sockets) leaks into the kernels.
    context = multiprocessing.get_context("spawn")
    pending = list(to_run)
    running = {}
    with kernel_pool(jobs[0].root, jobs[0].cache, enabled=pool), \
            ProcessPoolExecutor(max_workers=max(1, min(workers or os.cpu_count() or 1, len(to_run))),
                                mp_context=context) as workers_pool:
        while pending or running:
            for job in list(pending):
                blocked = [n for n in job.needs if n in outcomes and outcomes[n].status == "failed"]
                if blocked:
                    pending.remove(job)
                    outcomes[job.name] = Outcome(job.name, "failed", 0.0,
                                                 f"not run: it needs '{blocked[0]}', which failed")
                    report(outcomes[job.name])
                elif all(n in outcomes for n in job.needs):
                    pending.remove(job)
                    running[workers_pool.submit(execute_job, job)] = job
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                job = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker process itself died
                    outcome = Outcome(job.name, "failed", 0.0, f"the worker running it died: {exc!r}")
                outcomes[job.name] = outcome
                report(outcome)
    return outcomes


def execute_job(job: Job) -> Outcome:
    """Execute one notebook with papermill (in a pool worker); write notebook, key and log."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.monotonic()
    os.environ.update(kernel_environment(job.root))
    running = job.cache / f"{job.name}.running.ipynb"
    failed = job.cache / f"{job.name}.failed.ipynb"
    failed.unlink(missing_ok=True)
    try:
        # The kernel and papermill talk on stdout/stderr; keep that in the entry's log so the
        # console shows one line per chapter.
        with redirect_output(job.log_file):
            papermill.execute_notebook(
                str(job.notebook), str(running),
                parameters=job.parameters, kernel_name="python3", cwd=str(job.root),
                progress_bar=False, kernel_manager_class=ipc_kernel_manager(),
            )
    except PapermillExecutionError as err:
        if running.exists():
            running.replace(failed)
        return Outcome(job.name, "failed", time.monotonic() - started, describe_cell_error(job, err, failed))
    except Exception:
        if running.exists():
            running.replace(failed)
        return Outcome(job.name, "failed", time.monotonic() - started,
                       f"papermill could not execute {relative(job.notebook, job.root)} "
                       f"(log: {relative(job.log_file, job.root)}):\n{traceback.format_exc()}")

    notebook = nbformat.read(str(running), as_version=4)
    source = nbformat.read(str(job.notebook), as_version=4)
    normalize_executed(notebook, source, job)
    job.key_file.unlink(missing_ok=True)  # never let an old key vouch for a half-replaced notebook
    job.executed.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    running.unlink()
    # The key is written last: it is what marks the executed notebook as complete and current.
    job.key_file.write_text(json.dumps({"key": job.key, "inputs": job.inputs}, indent=1, sort_keys=True,
                                       ensure_ascii=False) + "\n", encoding="utf-8")
    return Outcome(job.name, "executed", time.monotonic() - started)


def importing_from(root: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` with ``root`` first on PYTHONPATH, so claimbook is imported from the book being built
    (whose data/ it then reads), not from wherever this process found it."""
    env = dict(env)
    search_path = env.get("PYTHONPATH", "").split(os.pathsep)
    if search_path[0] != str(root):  # a pool worker runs several jobs of the same book
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), *search_path]))
    return env


def kernel_environment(root: Path) -> dict[str, str]:
    """The environment kernels run in: this one, :data:`KERNEL_ENV`, and the book's claimbook."""
    return importing_from(root, {**os.environ, **KERNEL_ENV})


class kernel_pool:
    """Run a :mod:`claimbook.kernelpool` fork server while the jobs execute (``enabled=False``:
    every kernel starts from scratch, as Jupyter starts it)."""

    def __init__(self, root: Path, cache: Path, enabled: bool = True):
        self.root, self.cache, self.enabled = root, cache, enabled

    def __enter__(self):
        if not self.enabled:
            return self
        import tempfile
        import uuid

        from . import kernelpool

        # A Unix socket path must stay short: /tmp, not the cache folder.
        self.socket = os.path.join(tempfile.gettempdir(), f"claimbook-pool-{uuid.uuid4().hex}")
        self.log = open(self.cache / "kernel-pool.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claimbook.kernelpool", "--serve", self.socket], cwd=self.root,
            env=kernel_environment(self.root), stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True)  # Ctrl-C reaches the build, which then stops the pool
        # Inherited by the pool workers and, through their kernel managers, by the clients.
        os.environ[kernelpool.ENV_VAR] = self.socket
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return False
        from . import kernelpool

        os.environ.pop(kernelpool.ENV_VAR, None)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return False


def ipc_kernel_manager():
    """A kernel manager that talks to its kernel over Unix sockets with unique paths.

    Over TCP each kernel picks five free ports by binding and releasing them; kernels started at
    the same moment by different pool workers can pick the same port, and the loser dies before
    replying ("Kernel died before replying to kernel_info": jupyter_client issue 487, whose port
    cache only works inside one process). Socket files named after a fresh UUID cannot collide.
    """
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    from .kernelpool import pooled_kernel_cmd

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("connection_file")
        def _default_connection_file(self):
            # The sockets are named after this file (<name>-ipc-<n>), so it must be unique and
            # absolute; /tmp keeps the path within the length a Unix socket allows.
            return os.path.join(tempfile.gettempdir(), f"claimbook-kernel-{uuid.uuid4().hex}.json")

        def format_kernel_cmd(self, extra_arguments=None):
            return pooled_kernel_cmd(super().format_kernel_cmd(extra_arguments))

    return IPCKernelManager


class redirect_output:
    """Point this process's stdout and stderr file descriptors (inherited by kernels) at a file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = [os.dup(1), os.dup(2)]
        self.file = open(self.path, "wb")
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        for fd in self.saved:
            os.close(fd)
        self.file.close()
        return False


def describe_cell_error(job: Job, err, failed_notebook: Path) -> str:
    """Say which chapter and which cell failed, and how, in words a notebook author can act on."""
    import nbformat

    source_cells = nbformat.read(str(job.notebook), as_version=4).cells
    cell_number = next((i for i, cell in enumerate(source_cells, start=1)
                        if cell.cell_type == "code" and cell.source == err.source), None)
    where = f"cell {cell_number}" if cell_number else f"cell index {err.cell_index} of the executed notebook"
    first_line = next((line for line in err.source.splitlines() if line.strip()), "")
    trace = _ANSI.sub("", "\n".join(err.traceback))
    return (f"failed in {where} of {relative(job.notebook, job.root)} "
            f"(In [{err.exec_count}]: {first_line})\n"
            f"{err.ename}: {err.evalue}\n{trace}\n"
            f"executed notebook: {relative(failed_notebook, job.root)}; log: {relative(job.log_file, job.root)}")


def normalize_executed(notebook, source, job: Job) -> None:
    """Remove what differs between two runs of the same inputs: clocks, paths, random cell IDs."""
    meta = notebook.metadata.get("papermill", {})
    for volatile in ("start_time", "end_time", "duration", "output_path"):
        meta.pop(volatile, None)
    meta["input_path"] = relative(job.notebook, job.root)
    source_ids = {cell.get("id") for cell in source.cells}
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("execution", None)
        for volatile in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(volatile, None)
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
            # The injected cell holds build paths; readers see the chapter's own parameters cell.
            if "remove-cell" not in tags:
                tags.append("remove-cell")
        elif "id" in cell and cell["id"] not in source_ids:
            cell["id"] = f"cell-{index}"


def relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------------
# Staging, compiling, publishing


def stage_book(paths: BookPaths, entries: list[Entry]) -> None:
    """Lay out ``_build/stage/`` afresh: the book exactly as Jupyter Book will see it."""
    if paths.stage.exists():
        shutil.rmtree(paths.stage)
    paths.stage.mkdir(parents=True)
    for required in ("_config.yml", "_toc.yml"):
        if not (paths.root / required).is_file():
            raise BuildError(f"{required} is missing from {paths.root}")
        shutil.copy2(paths.root / required, paths.stage / required)
    # Files the Sphinx side reads beside the pages; staged, they are part of the staged book's key.
    for optional in BOOK_FILES:
        if (paths.root / optional).is_file():
            (paths.stage / optional).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.root / optional, paths.stage / optional)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for folder in ("data", "_static"):
        if (paths.root / folder).is_dir():
            shutil.copytree(paths.root / folder, paths.stage / folder, ignore=ignore)
    for page in sorted(paths.chapters.rglob("*.md")):
        target = paths.stage / "chapters" / page.relative_to(paths.chapters)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, target)
    (paths.stage / "chapters").mkdir(exist_ok=True)
    for entry in entries:
        shutil.copy2(paths.cache / f"{entry.name}.ipynb", paths.stage / "chapters" / f"{entry.name}.ipynb")


# A printed page cannot unfold anything: what the HTML folds away is left out of the PDF.
PRINT_TAGS = {"hide-input": "remove-input", "hide-output": "remove-output", "hide-cell": "remove-cell"}


def fold_away_for_print(stage: Path) -> list[Path]:
    """Retag the staged notebooks for the PDF build (after the HTML build); return those changed."""
    import nbformat

    changed = []
    for path in sorted((stage / "chapters").rglob("*.ipynb")):
        notebook = nbformat.read(str(path), as_version=4)
        touched = False
        for cell in notebook.cells:
            tags = cell.metadata.get("tags", [])
            for folded, removed in PRINT_TAGS.items():
                if folded in tags and removed not in tags:
                    tags.append(removed)
                    touched = True
        if touched:
            path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
            changed.append(path)
    return changed


def staged_book_key(paths: BookPaths) -> str:
    """The hash of everything the compile and publish steps read (data/ is staged)."""
    return key_of({
        "format": CACHE_FORMAT,
        "stage": tree_digest(paths.stage),
        **shared_inputs(paths),
    })


def jupyter_book_env(paths: BookPaths) -> dict[str, str]:
    """The environment for Jupyter Book: the book's repository importable (``claimbook.sphinxext``)."""
    return importing_from(paths.root, os.environ)


def jupyter_book_command() -> list[str]:
    beside_python = Path(sys.executable).parent / "jupyter-book"
    program = str(beside_python) if beside_python.exists() else shutil.which("jupyter-book")
    if not program:
        raise BuildError("jupyter-book is not installed (run `make book`, which installs requirements.txt)")
    return [program]


def compile_book(paths: BookPaths, builder: str) -> float:
    """Run ``jupyter-book build`` on the stage with Sphinx warnings as errors; return seconds taken."""
    paths.logs.mkdir(parents=True, exist_ok=True)
    log_path = paths.logs / f"{builder}.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        result = subprocess.run(
            jupyter_book_command() + ["build", str(paths.stage), "--builder", builder, *BUILD_FLAGS],
            cwd=paths.root, env=jupyter_book_env(paths), stdout=log, stderr=subprocess.STDOUT,
        )
    text = _ANSI.sub("", log_path.read_text(encoding="utf-8", errors="replace"))
    if result.returncode != 0:
        raise BuildError(f"jupyter-book {builder} build failed (exit {result.returncode}); "
                         f"full log: {relative(log_path, paths.root)}\n{build_problems(text)}")
    if builder == "pdflatex":
        check_latex_log(paths)
    return time.monotonic() - started


def build_problems(log_text: str, limit: int = 60) -> str:
    """The lines of a Jupyter Book log that say what went wrong (or its tail, if none do)."""
    wanted = re.compile(r"WARNING|ERROR|CRITICAL|Error|error:|^!|Traceback|Exception")
    lines = [line for line in log_text.splitlines() if wanted.search(line)]
    if not lines:
        lines = log_text.splitlines()[-limit:]
    return "\n".join(lines[:limit])


def check_latex_log(paths: BookPaths) -> None:
    """Fail on glyphs the PDF fonts lack: XeLaTeX only logs them and prints nothing."""
    log = paths.staged_latex / "book.log"
    if not log.is_file():
        raise BuildError(f"the LaTeX log {relative(log, paths.root)} is missing; did the PDF build run?")
    missing = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
               if "Missing character" in line]
    if missing:
        raise BuildError("the PDF has characters that no font covers:\n" + "\n".join(sorted(set(missing))))


def publish(paths: BookPaths, write_derived: Callable[[Path], object], pdf: bool = True) -> None:
    """Put the data package and the PDF into the staged HTML, ready to be swapped in."""
    data_out = paths.staged_html / "data"
    data_out.mkdir(parents=True, exist_ok=True)
    package_file = paths.data / "datapackage.json"
    for required in (package_file, paths.data / "claims.csv"):
        if not required.is_file():
            raise BuildError(f"cannot publish the data package: {relative(required, paths.root)} is missing")
    shutil.copy2(package_file, data_out / "datapackage.json")
    # Every other file the package lists goes along, so the published copy validates on its own;
    # derived.csv is computed, not copied.
    for resource in json.loads(package_file.read_text(encoding="utf-8")).get("resources", []):
        resource_path = resource.get("path")
        if not isinstance(resource_path, str) or Path(resource_path).name == "derived.csv":
            continue
        source = paths.data / resource_path
        if source.is_file():
            (data_out / resource_path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, data_out / resource_path)
    write_derived(data_out / "derived.csv")
    if pdf:
        shutil.copy2(paths.staged_latex / "book.pdf", paths.staged_html / "book.pdf")


def audit_staged(paths: BookPaths, pdf: bool, say: Callable[[str], None]) -> None:
    """Refuse to publish a book in which a reader would see an untraced number (claimbook.audit)."""
    from .audit import audit_book

    untraced = []
    for label, report in audit_book(paths.staged_html, pdf):
        say(f"[audit] {report.summary(label)}")
        untraced += [f"{f.page}: '{f.number}' in …{f.context}…" for f in report.untraced]
    if untraced:
        raise BuildError("untraced numbers in the book:\n  " + "\n  ".join(untraced[:40]))


def swap_into_place(staged: Path, live: Path) -> None:
    """Replace ``live`` with ``staged`` by renames, so ``live`` is never half-written."""
    old = live.with_name(live.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if live.exists():
        live.rename(old)
    staged.rename(live)
    if old.exists():
        shutil.rmtree(old)


def write_derived_from_registry(paths: BookPaths) -> Callable[[Path], object]:
    def write(target: Path):
        from .derived import write_published
        from .registry import Registry

        return write_published(target, Registry(paths.data))
    return write


def run_validation(paths: BookPaths) -> None:
    from . import validate

    try:
        status = validate.main([str(paths.data)])
    except SystemExit as exc:
        status = exc.code
    if status:
        raise BuildError("data validation failed (see the problems above); fix data/ and build again")


# --------------------------------------------------------------------------------------------
# The whole build


@dataclass
class BuildOptions:
    jobs: int | None = None
    validate: bool = True
    html: bool = True
    pdf: bool = True
    force: bool = False
    audit: bool = True
    kernel_pool: bool = True
    write_derived: Callable[[Path], object] | None = None
    out: TextIO = field(default_factory=lambda: sys.stdout)


def progress_line(outcome: Outcome) -> str:
    return f"[{outcome.status}] {outcome.name} ({outcome.seconds:.1f}s)"


def build(paths: BookPaths, options: BuildOptions | None = None) -> int:
    """Run the pipeline; return the process exit status (0 when the new book is in place)."""
    options = options or BuildOptions()
    out = options.out

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    def report(outcome: Outcome) -> None:
        say(progress_line(outcome))

    try:
        if options.validate:
            run_validation(paths)
        entries = load_manifest(paths.manifest)
        if options.html:
            check_toc(paths, entries)
        started = time.monotonic()
        outcomes = execute_jobs(plan_jobs(paths, entries), options.jobs, report, options.kernel_pool)
        counts = {status: sum(o.status == status for o in outcomes.values()) for status in ("executed", "cached")}
        say(f"notebooks: {counts['executed']} executed, {counts['cached']} cached "
            f"({time.monotonic() - started:.1f}s)")
        failures = [o for o in outcomes.values() if o.status == "failed"]
        if failures:
            for failure in failures:
                say(f"\nchapter '{failure.name}': {failure.message}")
            raise BuildError(f"{len(failures)} chapter(s) failed: {', '.join(f.name for f in failures)}")
        if not options.html:
            return 0

        stage_book(paths, entries)
        key = staged_book_key(paths) + ("+pdf" if options.pdf else "")
        if not options.force and book_is_current(paths, key, options.pdf):
            say("[book] up to date: _build/html")
            return 0
        say(f"[html] compiled ({compile_book(paths, 'html'):.1f}s)")
        if options.pdf:
            fold_away_for_print(paths.stage)
            say(f"[pdf] compiled ({compile_book(paths, 'pdflatex'):.1f}s)")
        publish(paths, options.write_derived or write_derived_from_registry(paths), pdf=options.pdf)
        if options.audit:
            audit_staged(paths, options.pdf, say)
        paths.book_key.unlink(missing_ok=True)
        swap_into_place(paths.staged_html, paths.html)
        if options.pdf:
            swap_into_place(paths.staged_latex, paths.latex)
        paths.book_key.write_text(key + "\n", encoding="utf-8")
        say(f"[book] published: {relative(paths.html / 'index.html', paths.root)}"
            + (f" and {relative(paths.html / 'book.pdf', paths.root)}" if options.pdf else ""))
        return 0
    except (BuildError, DataError) as exc:
        say(f"build failed: {exc}")
        shutil.rmtree(paths.stage, ignore_errors=True)  # a failed stage is never half-published later
        say("the previous _build/html, if any, was left as it was")
        return 1


def book_is_current(paths: BookPaths, key: str, pdf: bool) -> bool:
    """True when the published book was built from exactly these staged bytes."""
    if not (paths.book_key.is_file() and (paths.html / "index.html").is_file()):
        return False
    if pdf and not (paths.html / "book.pdf").is_file():
        return False
    return paths.book_key.read_text(encoding="utf-8").strip() == key


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the book's repository (default: this one)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: CPU count)")
    parser.add_argument("--force", action="store_true", help="compile the book even if nothing changed")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDF (faster)")
    parser.add_argument("--no-audit", dest="audit", action="store_false",
                        help="publish even if the audit finds untraced numbers (for drafts only)")
    add_kernel_pool_argument(parser)


def add_kernel_pool_argument(parser: argparse.ArgumentParser) -> None:
    """``--no-kernel-pool``, shared by ``build`` and ``verify``."""
    parser.add_argument("--no-kernel-pool", dest="kernel_pool", action="store_false",
                        help="start every kernel from scratch instead of forking it from a preloaded pool")


def main(args: argparse.Namespace | None = None) -> int:
    if args is None:
        parser = argparse.ArgumentParser(prog="python -m claimbook build", description=__doc__.split("\n")[0])
        add_arguments(parser)
        args = parser.parse_args()
    return build(BookPaths(args.root), BuildOptions(jobs=args.jobs, force=args.force, pdf=args.pdf,
                                                  audit=args.audit,
                                                  kernel_pool=args.kernel_pool))
