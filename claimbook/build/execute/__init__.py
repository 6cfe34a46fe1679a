"""Execution: the jobs that are not cached run in a process pool, each after the jobs it needs.

Papermill executes; Jupyter Book only compiles. The modules here follow MyST-NB's
``myst_nb/core/execute/`` and papermill's split between its executor and its engines:

- :mod:`.jobs`: a manifest entry made ready to run (its cache key included), and its outcome;
- :mod:`.notebook`: one notebook executed with papermill in a worker, normalized, keyed and logged;
- :mod:`.kernels`: the kernels' environment, and the strategy that starts them (forked from a
  preloaded pool, or fresh), chosen by :func:`.kernels.kernel_strategy`.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from .jobs import Job, Outcome
from .kernels import kernel_strategy
from .notebook import execute_job


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
    with kernel_strategy(pool)(jobs[0].root, jobs[0].cache), \
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
