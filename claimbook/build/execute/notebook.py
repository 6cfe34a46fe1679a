"""One notebook, executed with papermill in a worker process: the executed copy, its key, its log.

What two runs of the same inputs would write differently is removed before the notebook is saved
(:func:`normalize_executed`): clocks, absolute paths, random cell IDs. The kernel's and papermill's
own output goes to the entry's log (:func:`redirect_output`), so the console shows one line per
chapter; a failing cell is described in words a notebook author can act on
(:func:`describe_cell_error`). The executed notebook is written before its key, so a key never
vouches for a notebook that is half written.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from ..shared import ANSI, INJECTED, relative
from .jobs import Job, Outcome
from .kernels import ipc_kernel_manager, kernel_environment


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


@contextlib.contextmanager
def redirect_output(path: Path) -> Iterator[None]:
    """Point this process's stdout and stderr file descriptors (inherited by kernels) at a file."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "wb") as file:
        os.dup2(file.fileno(), 1)
        os.dup2(file.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def describe_cell_error(job: Job, err, failed_notebook: Path) -> str:
    """Say which chapter and which cell failed, and how, in words a notebook author can act on."""
    import nbformat

    source_cells = nbformat.read(str(job.notebook), as_version=4).cells
    cell_number = next((i for i, cell in enumerate(source_cells, start=1)
                        if cell.cell_type == "code" and cell.source == err.source), None)
    where = f"cell {cell_number}" if cell_number else f"cell index {err.cell_index} of the executed notebook"
    first_line = next((line for line in err.source.splitlines() if line.strip()), "")
    trace = ANSI.sub("", "\n".join(err.traceback))
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
        if INJECTED in tags:
            cell["id"] = INJECTED
            # The injected cell holds build paths; readers see the chapter's own parameters cell.
            if "remove-cell" not in tags:
                tags.append("remove-cell")
        elif "id" in cell and cell["id"] not in source_ids:
            cell["id"] = f"cell-{index}"
