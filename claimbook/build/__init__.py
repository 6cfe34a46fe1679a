"""Build the book: execute the chapter notebooks, stage a book folder, compile it, publish it.

Papermill executes and Jupyter Book only compiles (``execute_notebooks: "off"``):

1. validate ``data/`` (:func:`claimbook.validate.report`);
2. execute every entry of ``chapters/manifest.yml`` (:mod:`.manifest`) with papermill, in a process
   pool, after the entries it ``needs`` (:mod:`.execute`). An entry runs again only when the sha256
   of one of its inputs changed (:mod:`.keys`: its notebook, its parameters, the data it reads — see
   :func:`.keys.data_inputs` —, every file of ``claimbook/``, ``requirements.txt``, and the keys of
   the entries it needs). The executed notebook, its key and the values it wrote live in
   ``_build/cache/``. Kernels are forked from a preloaded pool (:mod:`claimbook.kernelpool`) unless
   ``BuildOptions.kernel_pool`` is off (:mod:`.execute.kernels`);
3. stage ``_build/stage/`` (:mod:`.staging`): the config, ``data/``, ``_static/``, ``chapters/*.md``
   and the executed notebooks (as ``chapters/<entry name>.ipynb``);
4. compile HTML, then the PDF (where cells the HTML folds away are left out), with Sphinx warnings
   as errors and missing glyphs as errors (:mod:`.compiler`); publish the data package and the PDF
   into the HTML folder, audit it, and only then swap the result into ``_build/html`` and
   ``_build/latex`` (:mod:`.publishing`). A failure at any step leaves the last good book where it
   was. An unchanged stage is not compiled again, unless the published files changed since they
   were published (a stock ``jupyter-book build .`` writes there too).

Every function takes a :class:`~.shared.BookPaths`, so tests can point the pipeline at a throwaway
book. This module holds the orchestration only; each step lives in the submodule named above, and
callers import a step's functions from there.
"""
from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..errors import DataError
from ..published import PDF_FILE
from .compiler import compile_book
from .execute import execute_jobs
from .execute.jobs import Outcome, plan_jobs, progress_line
from .manifest import check_toc, load_manifest
from .publishing import (
    audit_staged,
    publish,
    published_as_recorded,
    record_published,
    swap_into_place,
    write_derived_from_registry,
)
from .shared import BookPaths, BuildError, relative
from .staging import fold_away_for_print, stage_book, staged_book_key

__all__ = ["BookPaths", "BuildOptions", "build"]


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
        record_published(paths, key, options.pdf)
        say(f"[book] published: {relative(paths.html / 'index.html', paths.root)}"
            + (f" and {relative(paths.html / PDF_FILE, paths.root)}" if options.pdf else ""))
        return 0
    except (BuildError, DataError) as exc:
        say(f"build failed: {exc}")
        shutil.rmtree(paths.stage, ignore_errors=True)  # a failed stage is never half-published later
        say("the previous _build/html, if any, was left as it was")
        return 1


def run_validation(paths: BookPaths) -> None:
    from .. import validate

    if validate.report(paths.data):
        raise BuildError("data validation failed (see the problems above); fix data/ and build again")


def book_is_current(paths: BookPaths, key: str, pdf: bool) -> bool:
    """True when the published book was built from exactly these staged bytes and is, file for
    file, what this build published (:func:`.publishing.published_as_recorded`)."""
    if not (paths.html / "index.html").is_file():
        return False
    if pdf and not (paths.html / PDF_FILE).is_file():
        return False
    return published_as_recorded(paths, key, pdf)
