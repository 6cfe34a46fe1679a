"""The kernel pool (claimbook.kernelpool): forked kernels look like kernels Jupyter starts, start
with the chapters' libraries imported, die with their client, and a missing pool costs nothing
but time. That a whole book executes to the same bytes with and without it is checked in
test_determinism.py."""
from __future__ import annotations

import asyncio
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from claimbook import kernelpool
from claimbook.build.execute.kernels import ipc_kernel_manager, kernel_environment, kernel_pool

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, os, sys
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "argv0": sys.argv[0], "path": sys.path,
                  "cwd": os.getcwd(), "env": dict(os.environ), "preloaded": "claimbook.chapter" in sys.modules,
                  "backend": os.environ.get("MPLBACKEND")}))
"""


async def start_and_probe():
    """Start a kernel the way the build does and run PROBE in it; return its manager and findings."""
    manager = ipc_kernel_manager()(kernel_name="python3")
    await manager.start_kernel(cwd=str(ROOT))
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        printed = []
        await client.execute_interactive(PROBE, timeout=60, output_hook=lambda msg: printed.append(
            msg["content"]["text"]) if msg["msg_type"] == "stream" else None)
    finally:
        client.stop_channels()
    found = json.loads("".join(printed))
    found["client_pid"] = manager.provisioner.process.pid
    return manager, found


async def probe_kernel(kill: bool = False) -> dict:
    """Start a kernel, run PROBE in it, stop it (or kill it)."""
    manager, found = await start_and_probe()
    await manager.shutdown_kernel(now=kill)
    return found


def run(coroutine_function, *args):
    """Run an async function to completion in a thread of its own: Playwright's sync API keeps an
    event loop running in the main thread for the whole session, where asyncio.run() is refused."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(coroutine_function(*args))).result()


@pytest.fixture
def kernel_env(monkeypatch, tmp_path):
    for name, value in kernel_environment(ROOT).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(kernelpool.ENV_VAR, raising=False)
    return tmp_path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_pooled_kernel_cmd_swaps_only_the_ipykernel_launcher(monkeypatch):
    launcher = ["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    monkeypatch.delenv(kernelpool.ENV_VAR, raising=False)
    assert kernelpool.pooled_kernel_cmd(launcher) == launcher  # no pool running
    monkeypatch.setenv(kernelpool.ENV_VAR, "/tmp/pool")
    assert kernelpool.pooled_kernel_cmd(launcher) == ["/venv/bin/python", "-m", "claimbook.kernelpool",
                                                      "-f", "/tmp/k.json"]
    other = ["/usr/bin/R", "--slave", "-e", "IRkernel::main()", "--args", "/tmp/k.json"]
    assert kernelpool.pooled_kernel_cmd(other) == other


def test_a_pooled_kernel_is_forked_preloaded_and_otherwise_like_a_fresh_one(kernel_env):
    fresh = run(probe_kernel)
    with kernel_pool(ROOT, kernel_env) as pool:
        pooled = run(probe_kernel)
        pool_pid = pool.process.pid
    assert fresh["pid"] == fresh["client_pid"]  # Jupyter's kernel is the process it launched
    assert pooled["ppid"] == pool_pid and pooled["pid"] != pooled["client_pid"]
    assert pooled["preloaded"] and not fresh["preloaded"]
    for seen in ("argv0", "path", "cwd", "backend"):
        assert pooled[seen] == fresh[seen], seen
    assert pooled["env"] == fresh["env"]
    assert kernelpool.ENV_VAR not in pooled["env"]
    assert (kernel_env / "kernel-pool.log").read_text() == ""  # the pool said nothing: nothing went wrong


def wait_until_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def test_killing_the_client_kills_its_kernel(kernel_env):
    with kernel_pool(ROOT, kernel_env) as pool:
        killed = run(probe_kernel, True)
        assert wait_until_gone(killed["pid"]), "the pool left a kernel running after its client was killed"
        assert pool.process.poll() is None  # the pool itself carries on
    assert pool.process.returncode == 0
    assert not Path(pool.socket).exists()


def test_stopping_the_pool_kills_its_kernels_and_their_clients_exit(kernel_env):
    with kernel_pool(ROOT, kernel_env):
        manager, found = run(start_and_probe)
    assert wait_until_gone(found["pid"])
    assert manager.provisioner.process.wait(timeout=10) == 1  # the client saw the pool go
    run(manager.shutdown_kernel, True)


def test_without_a_pool_the_client_starts_the_kernel_itself(kernel_env, monkeypatch):
    monkeypatch.setenv(kernelpool.ENV_VAR, str(kernel_env / "no-pool-here"))
    found = run(probe_kernel)
    assert found["pid"] == found["client_pid"]  # the client became ipykernel_launcher
    assert not found["preloaded"]
    assert kernelpool.ENV_VAR not in found["env"]
