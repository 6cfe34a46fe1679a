"""Benchmarks of the build (``claimbook bench``, ``make bench``): a table, and ``benchmarks/results.json``.

Every measurement runs on throwaway copies of this repository in a temporary folder, so the
repository's own ``_build`` is never touched:

clean     a clean build: ``python -m claimbook build --no-pdf`` from an empty ``_build`` against
          ``jupyter-book build`` with ``execute_notebooks: force`` on the same pages (the source
          notebooks, each entry's parameters written in as the defaults, the three readings runs
          added to the table of contents so that the robustness chapter has its inputs), run
          alternately ``--repeat`` times, the fastest of each counting; and our full build with the
          PDF, for reference.
noop      building again with nothing changed: our build against a bare ``jupyter-book build`` of
          the already-built staged book (its second run, so that Sphinx has nothing to do), and the
          number of kernels our no-op started (from the build's report and from the kernel logs'
          modification times: both must say 0).
edit      the ``note`` of one claim is changed: which entries re-execute, and the time the whole
          build takes.
scaling   books of ``--sizes`` copies of one chapter notebook (notebook stage only): seconds per
          chapter with one worker, with one per CPU and with one more than CPUs, and the speed-ups.

Targets (``TARGETS``): a clean build at most a given fraction of Jupyter Book's own executor, a
no-op at most a given multiple of the bare Sphinx no-op. ``make bench`` then rebuilds the book,
whose page "How fast the book builds" (``chapters/benchmarks.md``) shows the results file.
"""
from __future__ import annotations

import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .build import BookPaths, BuildOptions, build
from .build.compiler import BUILD_FLAGS, jupyter_book_command
from .build.execute.jobs import statuses_in
from .build.execute.kernels import kernel_environment
from .build.keys import claim_read_only_by
from .build.manifest import load_manifest, toc_files
from .files import read_yaml
from .qualifiers_doc import installed_versions
from .registry import edit_claim, load_groups
from .source import load_sources
from .verify import copy_inputs

TARGETS = {"clean_ratio_max": 0.6, "noop_ratio_max": 1.2}
MEASURED_SOFTWARE = ("jupyter-book", "sphinx", "myst-nb", "papermill", "matplotlib")  # their versions, recorded
SCALING_NOTEBOOK = "firms.ipynb"  # a group chapter with charts, tables and derived figures
# Phases of our build's report, and myst-nb's line for each notebook it executes.
PHASES = {"notebooks": re.compile(r"^notebooks: .*\(([\d.]+)s\)$", re.M),
          "html": re.compile(r"^\[html\] compiled \(([\d.]+)s\)$", re.M),
          "pdf": re.compile(r"^\[pdf\] compiled \(([\d.]+)s\)$", re.M)}
MYST_NB_EXECUTED = re.compile(r"Executed notebook in ([\d.]+) seconds")


class BenchError(Exception):
    """A benchmarked command failed, so its timing would mean nothing; the message has its output."""


@dataclass
class BenchOptions:
    wanted: set[str] = field(default_factory=lambda: {"clean", "noop", "edit", "scaling"})
    sizes: list[int] = field(default_factory=lambda: [5, 10, 20])  # chapters of the scaled books
    repeat: int = 2  # clean builds of each kind, run alternately; the fastest counts
    results: Path | None = None  # default: benchmarks/results.json of the book
    keep: bool = False  # keep the temporary copies


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    """Run a command; return (seconds, combined output); fail loudly if it fails."""
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise BenchError(f"benchmark command failed (exit {result.returncode}): {' '.join(command)}\n{output[-4000:]}")
    return seconds, output


def our_build(paths: BookPaths, *options: str) -> tuple[float, dict[str, str], str]:
    """Time ``python -m claimbook build``; return (seconds, {entry: status}, output)."""
    seconds, output = timed([sys.executable, "-m", "claimbook", "build", "--root", str(paths.root), *options],
                            cwd=paths.root)
    statuses = statuses_in(output)
    return seconds, statuses, output


def phases(output: str, total: float) -> dict[str, float]:
    """Seconds per phase of our build, from its report; "other" is the rest of ``total``
    (starting up, validating data/, staging, auditing the staged book, publishing)."""
    found = {name: float(m.group(1)) for name, pattern in PHASES.items() if (m := pattern.search(output))}
    found["other"] = round(total - sum(found.values()), 2)
    return found


# --------------------------------------------------------------------------------------------
# (a) clean build


def jupyter_book_force_copy(root: Path, target: Path) -> Path:
    """The same book for Jupyter Book's own executor: one source notebook per entry, parameters as
    the notebook's defaults, and ``execute_notebooks: force``."""
    paths = copy_inputs(root, target)
    values = target / "_values"  # where the chapters record their values, as output_dir does for us
    values.mkdir()
    entries = load_manifest(paths.manifest)
    for entry in entries:
        notebook = json.loads((root / "chapters" / entry.notebook).read_text(encoding="utf-8"))
        cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
        defaults = {**entry.parameters, "output_dir": str(values)}
        # After the notebook's own defaults, as papermill injects its cell after the tagged one.
        cell["source"] = "".join(cell["source"]).rstrip("\n") + "\n" + "".join(
            f"{name} = {value!r}\n" for name, value in defaults.items())
        (paths.chapters / f"{entry.name}.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    toc_path = target / "_toc.yml"
    toc = read_yaml(toc_path, "table of contents")
    listed = {node.value for _, node in toc_files(read_yaml(toc_path, "table of contents", parse=yaml.compose))}
    unlisted = [e.name for e in entries if f"chapters/{e.name}" not in listed]
    if unlisted:  # executed for the values they record (Sphinx reads pages in name order)
        toc.setdefault("parts", []).append({"caption": "Executed for their values",
                                            "chapters": [{"file": f"chapters/{n}"} for n in unlisted]})
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    config = read_yaml(target / "_config.yml", "book's configuration")
    config["execute"]["execute_notebooks"] = "force"
    config["exclude_patterns"] = list(config.get("exclude_patterns", [])) + ["_values"]
    (target / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def bench_clean(root: Path, work: Path, repeat: int) -> dict:
    """Ours and Jupyter Book's, alternately, each from a fresh copy; the fastest run of each counts
    (the machine's other work only ever adds time)."""
    ours, theirs, executing, html_phases, entries = [], [], [], [], 0
    for run in range(1, repeat + 1):
        seconds, statuses, output = our_build(copy_inputs(root, work / f"clean-html-{run}"), "--no-pdf")
        ours.append(round(seconds, 2))
        html_phases.append(phases(output, seconds))
        entries = len(statuses)
        print(f"  run {run}: ours, HTML only: {seconds:.1f}s ({entries} entries executed; {html_phases[-1]})",
              flush=True)

        jb = jupyter_book_force_copy(root, work / f"jupyter-book-force-{run}")
        command = jupyter_book_command() + ["build", str(jb), "--builder", "html", *BUILD_FLAGS]
        seconds, output = timed(command, cwd=jb, env=kernel_environment(jb))
        if "Executing notebook failed" in output or "Notebook exception" in output:
            raise BenchError("Jupyter Book's executor failed on a notebook; its timing would not be comparable:\n"
                             + output[-4000:])
        theirs.append(round(seconds, 2))
        executing.append(round(sum(float(m) for m in MYST_NB_EXECUTED.findall(output)), 2))
        print(f"  run {run}: jupyter-book build, execute_notebooks: force: {seconds:.1f}s "
              f"(of which executing notebooks: {executing[-1]:.1f}s)", flush=True)

    ours_full = copy_inputs(root, work / "book")  # kept: the no-op and edit benchmarks continue from it
    seconds_full, _, output = our_build(ours_full)
    full_phases = phases(output, seconds_full)
    print(f"  ours, HTML and PDF: {seconds_full:.1f}s ({full_phases})", flush=True)
    ratio = min(ours) / min(theirs)
    return {
        "ours_html_seconds": min(ours),
        "ours_html_runs_seconds": ours,
        "ours_html_phases_seconds": html_phases[ours.index(min(ours))],
        "ours_html_and_pdf_seconds": round(seconds_full, 2),
        "ours_html_and_pdf_phases_seconds": full_phases,
        "jupyter_book_force_html_seconds": min(theirs),
        "jupyter_book_force_runs_seconds": theirs,
        "jupyter_book_force_executing_seconds": executing[theirs.index(min(theirs))],
        "entries_executed": entries,
        "ratio_html": round(ratio, 3),
        "target_ratio_max": TARGETS["clean_ratio_max"],
        "meets_target": ratio <= TARGETS["clean_ratio_max"],
    }


# --------------------------------------------------------------------------------------------
# (b) no-op rebuild


def kernel_logs(paths: BookPaths) -> dict[str, int]:
    """Each entry's kernel log and its modification time: an execution rewrites it."""
    return {p.name: p.stat().st_mtime_ns for p in paths.cache.glob("*.log")}


def bench_noop(work: Path, repeat: int) -> dict:
    paths = BookPaths(work / "book")
    ours, executed, rewritten = [], set(), set()
    for _ in range(repeat):
        logs_before = kernel_logs(paths)
        seconds, statuses, output = our_build(paths)
        if "[book] up to date" not in output:
            raise BenchError(f"the no-op build compiled the book again:\n{output}")
        ours.append(round(seconds, 2))
        rewritten |= {name for name, mtime in kernel_logs(paths).items() if logs_before.get(name) != mtime}
        executed |= {name for name, status in statuses.items() if status != "cached"}
    print(f"  ours: {min(ours):.2f}s (runs {ours}), kernels started: {len(executed)} (report), "
          f"{len(rewritten)} (kernel logs)", flush=True)

    # Jupyter Book on the staged book: the first run redoes the HTML (the stage was retagged for
    # the PDF and its HTML output was moved to _build/html); the runs after it have nothing to do.
    command = jupyter_book_command() + ["build", str(paths.stage), "--builder", "html", *BUILD_FLAGS]
    timed(command, cwd=paths.root, env=kernel_environment(paths.root))
    theirs = [round(timed(command, cwd=paths.root, env=kernel_environment(paths.root))[0], 2) for _ in range(repeat)]
    print(f"  bare jupyter-book build of the staged book, nothing to do: {min(theirs):.2f}s (runs {theirs})",
          flush=True)
    ratio = min(ours) / min(theirs)
    return {
        "ours_seconds": min(ours),
        "ours_runs_seconds": ours,
        "jupyter_book_noop_seconds": min(theirs),
        "jupyter_book_noop_runs_seconds": theirs,
        "ratio": round(ratio, 3),
        "kernels_started_by_report": len(executed),
        "kernels_started_by_logs": len(rewritten),
        "target_ratio_max": TARGETS["noop_ratio_max"],
        "meets_target": ratio <= TARGETS["noop_ratio_max"] and not executed and not rewritten,
    }


# --------------------------------------------------------------------------------------------
# (c) one claim edited


def bench_edit(work: Path, group: str = "firms") -> dict:
    paths = BookPaths(work / "book")
    claim_id = claim_read_only_by(paths, group)
    edit_claim(paths.data / "claims.csv", claim_id, "note", "Edited for the benchmark.")
    seconds, statuses, _ = our_build(paths)
    executed = sorted(name for name, status in statuses.items() if status == "executed")
    print(f"  note of {claim_id} edited: {len(executed)} of {len(statuses)} entries re-executed "
          f"({', '.join(executed)}); build {seconds:.1f}s", flush=True)
    return {
        "claim_edited": claim_id,
        "column_edited": "note",
        "entries": len(statuses),
        "reexecuted": executed,
        "cached": sorted(name for name, status in statuses.items() if status == "cached"),
        "build_seconds": round(seconds, 2),
    }


# --------------------------------------------------------------------------------------------
# (d) scaling


def scaled_book(root: Path, target: Path, chapters: int) -> BookPaths:
    """A book of ``chapters`` copies of one group chapter, each with its own name and group."""
    paths = copy_inputs(root, target)
    source = (root / "chapters" / SCALING_NOTEBOOK).read_text(encoding="utf-8")
    original_name = SCALING_NOTEBOOK.removesuffix(".ipynb")
    groups = [group.group_id for group in load_groups(paths.data / "groups.csv")]
    source_id = next(iter(load_sources(paths.data)))
    entries = []
    for number in range(1, chapters + 1):
        name = f"chapter-{number:02d}"
        # Each copy records its values under its own name.
        (paths.chapters / f"{name}.ipynb").write_text(
            source.replace(f"name='{original_name}'", f"name='{name}'"), encoding="utf-8")
        entries.append({"name": name, "notebook": f"{name}.ipynb", "parameters": {
            "source_id": source_id, "group": groups[(number - 1) % len(groups)], "reading": "point"}})
    paths.manifest.write_text(yaml.safe_dump({"entries": entries}, sort_keys=False), encoding="utf-8")
    return paths


def execute_notebooks(paths: BookPaths, workers: int) -> float:
    shutil.rmtree(paths.build, ignore_errors=True)
    out = io.StringIO()
    started = time.monotonic()
    status = build(paths, BuildOptions(jobs=workers, validate=False, html=False, out=out))
    seconds = time.monotonic() - started
    if status != 0:
        raise BenchError(f"the scaled book failed to execute:\n{out.getvalue()}")
    return seconds


def bench_scaling(root: Path, work: Path, sizes: list[int]) -> list[dict]:
    cpus = os.cpu_count() or 1
    rows = []
    for size in sizes:
        paths = scaled_book(root, work / f"scaled-{size}", size)
        one = execute_notebooks(paths, 1)
        many = execute_notebooks(paths, cpus)
        # One kernel more than CPUs: does it fill the gaps while kernels start and stop?
        more = execute_notebooks(paths, cpus + 1)
        rows.append({"chapters": size, "workers": cpus, "seconds_1_worker": round(one, 2),
                     "seconds_n_workers": round(many, 2), "seconds_per_chapter_1_worker": round(one / size, 2),
                     "seconds_per_chapter_n_workers": round(many / size, 2), "speedup": round(one / many, 2),
                     "seconds_n_plus_1_workers": round(more, 2), "speedup_n_plus_1": round(one / more, 2)})
        print(f"  {size} chapters: {one:.1f}s with 1 worker, {many:.1f}s with {cpus} (×{one / many:.2f}), "
              f"{more:.1f}s with {cpus + 1} (×{one / more:.2f})", flush=True)
    return rows


# --------------------------------------------------------------------------------------------


def commit(root: Path) -> str:
    """The commit measured, marked when the working tree had changes; "unknown" outside git."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()

    try:
        head = git("rev-parse", "--short=12", "HEAD")
        return head + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(results: dict) -> str:
    lines = []
    clean, noop = results.get("clean"), results.get("noop")
    if clean or noop or results.get("edit"):
        lines.append(f"{'measurement':<52} {'ours':>9} {'baseline':>9} {'ratio':>7} {'target':>7}")
    if clean:
        lines.append(f"{'clean build, HTML (s) vs jupyter-book force':<52} {clean['ours_html_seconds']:>9.1f} "
                     f"{clean['jupyter_book_force_html_seconds']:>9.1f} {clean['ratio_html']:>7.2f} "
                     f"{'≤' + str(clean['target_ratio_max']):>7}")
        lines.append(f"{'clean build, HTML and PDF (s)':<52} {clean['ours_html_and_pdf_seconds']:>9.1f}")
    if noop:
        lines.append(f"{'no-op rebuild (s) vs bare jupyter-book no-op':<52} {noop['ours_seconds']:>9.2f} "
                     f"{noop['jupyter_book_noop_seconds']:>9.2f} {noop['ratio']:>7.2f} "
                     f"{'≤' + str(noop['target_ratio_max']):>7}")
        lines.append(f"{'no-op rebuild: kernels started (report / logs)':<52} "
                     f"{noop['kernels_started_by_report']:>5} / {noop['kernels_started_by_logs']}")
    edit = results.get("edit")
    if edit:
        lines.append(f"{'one claim note edited: entries re-executed':<52} "
                     f"{len(edit['reexecuted']):>5} / {edit['entries']}")
        lines.append(f"{'one claim note edited: build (s)':<52} {edit['build_seconds']:>9.1f}")
    if results.get("scaling"):
        workers = results["scaling"][0]["workers"]
        lines += [""] if lines else []
        lines += [f"{'scaling (notebook stage)':<24} {'s/chapter, 1 worker':>20} "
                      f"{f's/chapter, {workers} workers':>20} {'speed-up':>9} {f'speed-up, {workers + 1}':>13}"]
        for row in results["scaling"]:
            lines.append(f"{str(row['chapters']) + ' chapters':<24} {row['seconds_per_chapter_1_worker']:>20.2f} "
                         f"{row['seconds_per_chapter_n_workers']:>20.2f} {'×' + format(row['speedup'], '.2f'):>9} "
                         f"{'×' + format(row['speedup_n_plus_1'], '.2f'):>13}")
    return "\n".join(lines)


def run(root: Path, options: BenchOptions) -> int:
    """Run the wanted benchmarks on copies of the book at ``root``; print the table, write the results."""
    results_path = options.results or root / "benchmarks" / "results.json"
    work = Path(tempfile.mkdtemp(prefix="claimbook-bench-"))
    results: dict = {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                     "versions": installed_versions(MEASURED_SOFTWARE),
                     "measured_at": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "commit": commit(root)}
    try:
        for name, measure in (("clean", lambda: bench_clean(root, work, options.repeat)),
                              ("noop", lambda: bench_noop(work, max(3, options.repeat))),
                              ("edit", lambda: bench_edit(work)),
                              ("scaling", lambda: bench_scaling(root, work, options.sizes))):
            if name in options.wanted:
                # Other work on the machine slows every measurement: say how busy it was.
                load = round(os.getloadavg()[0], 2)
                results.setdefault("load_average_before", {})[name] = load
                print(f"[{name}] (load average {load} on {os.cpu_count()} CPUs)", flush=True)
                results[name] = measure()
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if options.keep:
            print(f"copies kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print(f"\nwritten: {results_path}")
    return 0
