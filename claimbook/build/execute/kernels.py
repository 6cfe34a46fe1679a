"""Kernels: the environment every chapter's kernel runs in, and the two ways to start one.

Whichever way a kernel starts, it sees the same thing: this process's environment plus
:data:`KERNEL_ENV`, with the book's own ``claimbook`` first on ``PYTHONPATH``, so executed notebooks
are byte-identical (``tests/test_determinism.py`` builds the book both ways and compares).

- :func:`kernel_pool`: kernels are forked from a :mod:`claimbook.kernelpool` server that imported the
  chapters' libraries once (the default);
- :func:`fresh_kernels`: every kernel starts from scratch, as Jupyter starts it (``--no-kernel-pool``).

:func:`kernel_strategy` chooses between them. The kernel manager (:func:`ipc_kernel_manager`) is
the same for both: it hands the launch to the pool only while a pool is running.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from ..shared import importing_from

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


def kernel_environment(root: Path) -> dict[str, str]:
    """The environment kernels run in: this one, :data:`KERNEL_ENV`, and the book's claimbook."""
    return importing_from(root, {**os.environ, **KERNEL_ENV})


@dataclass(frozen=True)
class RunningPool:
    """A kernel pool server while it runs: its process and the socket its clients connect to."""

    process: subprocess.Popen
    socket: str


@contextlib.contextmanager
def kernel_pool(root: Path, cache: Path) -> Iterator[RunningPool]:
    """Run a :mod:`claimbook.kernelpool` fork server while the jobs execute; its log is
    ``cache/kernel-pool.log``."""
    import tempfile
    import uuid

    from ... import kernelpool

    # A Unix socket path must stay short: /tmp, not the cache folder.
    socket_path = os.path.join(tempfile.gettempdir(), f"claimbook-pool-{uuid.uuid4().hex}")
    with open(cache / "kernel-pool.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "claimbook.kernelpool", "--serve", socket_path], cwd=root,
            env=kernel_environment(root), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True)  # Ctrl-C reaches the build, which then stops the pool
        # Inherited by the pool workers and, through their kernel managers, by the clients.
        os.environ[kernelpool.ENV_VAR] = socket_path
        try:
            yield RunningPool(process, socket_path)
        finally:
            os.environ.pop(kernelpool.ENV_VAR, None)
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def fresh_kernels(root: Path, cache: Path) -> Iterator[None]:
    """Every kernel starts from scratch, as Jupyter starts it: nothing runs beside the jobs."""
    yield None


def kernel_strategy(pooled: bool) -> Callable[[Path, Path], AbstractContextManager]:
    """How the jobs' kernels start: forked from a preloaded pool, or from scratch."""
    return kernel_pool if pooled else fresh_kernels


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

    from ...kernelpool import pooled_kernel_cmd

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
