"""A fork server for IPython kernels: each chapter's kernel starts with its libraries already imported.

A fresh kernel spends about two seconds importing IPython, pandas, matplotlib, seaborn, cn2an and
this package before the notebook's first line runs; a book of twelve notebooks pays that twelve
times. The build instead starts one *pool* process (``python -m claimbook.kernelpool --serve
SOCKET``) that imports them once and then forks a kernel for each request. The fork shares the
imported modules copy-on-write, so a kernel is ready in a few milliseconds.

Jupyter's kernel manager still launches a process per kernel, the *client*
(``python -m claimbook.kernelpool -f CONNECTION_FILE``, the kernel spec's ``ipykernel_launcher``
swapped for this module; see :func:`pooled_kernel_cmd`). The client sends the pool its arguments,
working directory, environment, ``sys.path`` and standard streams, then stands in for the kernel:
signals sent to it are passed on, and it exits with the kernel's exit status. If the client is
killed, the pool kills its kernel. If there is no pool, or the pool dies, the client replaces
itself with the ordinary ``ipykernel_launcher``, so a kernel always starts.

The forked kernel sees what an ordinary kernel would see: the same environment (the pool is
started with it: ``PYTHONHASHSEED`` must be fixed before an interpreter starts), working
directory, ``sys.path``, arguments and streams. ``tests/test_determinism.py`` checks that a book
executed with the pool is byte-identical to one executed without it. Nothing here may import
more than the standard library at module level: the client must start fast. That is also why this
module stands outside the ``claimbook.build`` package, which starts it (``claimbook.build.execute.kernels``):
``python -m claimbook.build.<module>`` would first run the package's ``__init__``, which imports the
whole build (several times the client's own import time), in every client and in the pool that
every kernel is forked from.
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys
import threading
import time
import traceback

ENV_VAR = "CLAIMBOOK_KERNEL_POOL"  # the pool's socket path, for the kernel manager and the client
LAUNCHER = ["-m", "ipykernel_launcher"]

# Imported once by the pool, before any fork: what every chapter notebook imports anyway.
PRELOAD = (
    "ipykernel.kernelapp",
    "matplotlib_inline.backend_inline",
    "claimbook.chapter",
    "claimbook.charts",
    "claimbook.interactive",
    "claimbook.qualifiers_doc",
    "claimbook.sensitivity",
    "cn2an",  # claimbook.grammar imports it on first use
    "markdown_it",  # claimbook.outputs renders the Jupyter side of each table with it, on first use
)
# ipykernel sets this when it starts; matplotlib reads it when it is imported, which in the pool is
# before any kernel starts.
MPL_BACKEND = "module://matplotlib_inline.backend_inline"
MESSAGE_SIZE = 1 << 20
CONNECT_ATTEMPTS = 100  # x 50 ms: the pool binds its socket first thing after it starts
REAP_INTERVAL = 0.05


# --------------------------------------------------------------------------------------------
# The kernel manager's side


def pooled_kernel_cmd(cmd: list[str]) -> list[str]:
    """The kernel command with ``ipykernel_launcher`` replaced by this module's client, when a pool
    is running; any other command (another kernel, another launcher) is left as it is."""
    if not os.environ.get(ENV_VAR) or cmd[1:3] != LAUNCHER:
        return cmd
    return [cmd[0], "-m", "claimbook.kernelpool", *cmd[3:]]


# --------------------------------------------------------------------------------------------
# The client: one per kernel, launched by the kernel manager


def run_client(kernel_args: list[str]) -> int:
    socket_path = os.environ.pop(ENV_VAR, "")
    connection = _connect(socket_path) if socket_path else None
    if connection is None:
        _exec_launcher(kernel_args)
    request = {"args": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ), "path": sys.path}
    try:
        socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
        pid = json.loads(connection.recv(MESSAGE_SIZE))["pid"]
    except (OSError, ValueError, KeyError):
        _exec_launcher(kernel_args)  # the pool died before forking: start the kernel ourselves
    for forwarded in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(forwarded, lambda number, _frame: os.kill(pid, number))
    reply = connection.recv(MESSAGE_SIZE)
    if not reply:
        print(f"claimbook.kernelpool: the pool went away; kernel {pid} was killed with it", file=sys.stderr)
        return 1
    return json.loads(reply)["exit"]


def _connect(socket_path: str) -> socket.socket | None:
    for _ in range(CONNECT_ATTEMPTS):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            connection.connect(socket_path)
            return connection
        except (FileNotFoundError, ConnectionRefusedError):
            connection.close()
            time.sleep(0.05)
    return None


def _exec_launcher(kernel_args: list[str]) -> None:
    os.execv(sys.executable, [sys.executable, *LAUNCHER, *kernel_args])


# --------------------------------------------------------------------------------------------
# The pool


def serve(socket_path: str) -> int:
    """Listen on ``socket_path``, preload, then fork a kernel per request until SIGTERM."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(socket_path)
    listener.listen(64)  # clients that connect while the pool is still importing wait here
    parent = os.getppid()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    os.environ.setdefault("MPLBACKEND", MPL_BACKEND)
    _preload()
    if threading.active_count() > 1:
        # Forking a process with threads can copy a lock that is held; let clients start their
        # kernels themselves instead.
        print(f"claimbook.kernelpool: not forking, preloading started threads: {threading.enumerate()}",
              file=sys.stderr)
        listener.close()
        os.unlink(socket_path)
        return 1

    kernels: dict[int, socket.socket] = {}  # pid -> the client standing in for it
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    try:
        while not stopping and os.getppid() == parent:
            for key, _events in selector.select(REAP_INTERVAL):
                if key.fileobj is listener:
                    _accept(listener, selector, kernels)
                else:  # a client closed its end: it was killed, so its kernel goes too
                    _kill_kernel_of(key.fileobj, selector, kernels)
            _reap(selector, kernels)
    finally:
        for pid in kernels:
            _kill(pid)
        listener.close()
        os.unlink(socket_path)
    return 0


def _preload() -> None:
    import importlib

    for module in PRELOAD:
        try:
            importlib.import_module(module)
        except Exception:  # the kernel imports it again and shows the error in its cell
            pass


def _accept(listener, selector, kernels) -> None:
    connection, _ = listener.accept()
    try:
        message, fds, _flags, _address = socket.recv_fds(connection, MESSAGE_SIZE, 3)
        request = json.loads(message)
    except (OSError, ValueError):
        connection.close()
        return
    pid = os.fork()
    if pid == 0:
        # The kernel keeps none of the pool's sockets: a client must see its end close when the
        # pool dies, whatever kernels still run.
        for held in (listener, connection, *kernels.values()):
            held.close()
        selector.close()
        _become_kernel(request, fds)  # never returns
    for fd in fds:
        os.close(fd)
    kernels[pid] = connection
    connection.sendall(json.dumps({"pid": pid}).encode())
    selector.register(connection, selectors.EVENT_READ)


def _become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: look exactly like ``python -m ipykernel_launcher ARGS``, then run it."""
    status = 1
    try:
        for number in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[:] = request["path"]
        # What ipykernel_launcher does before it starts the kernel.
        if sys.path and (sys.path[0] == "" or os.path.abspath(sys.path[0]) == os.getcwd()):
            del sys.path[0]
        from importlib.util import find_spec

        from ipykernel import kernelapp

        sys.argv = [find_spec("ipykernel_launcher").origin, *request["args"]]

        # ipykernel read JPY_PARENT_PID when the pool imported it; the pool is this kernel's parent,
        # and the kernel watches it so that it exits if it is orphaned.
        kernelapp.launch_new_instance(argv=request["args"], parent_handle=os.getppid())
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        import atexit

        atexit._run_exitfuncs()  # what an interpreter does at exit: IPython saves its history here
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _reap(selector, kernels) -> None:
    """Collect the kernels that exited and tell their clients how."""
    while kernels:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = kernels.pop(pid, None)
        if connection is not None:
            selector.unregister(connection)
            try:
                connection.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode())
            except OSError:
                pass
            connection.close()


def _kill_kernel_of(connection, selector, kernels) -> None:
    selector.unregister(connection)
    for pid, held in list(kernels.items()):
        if held is connection:
            _kill(pid)  # reaped by the next _reap; its client is gone, so nobody is told
            kernels.pop(pid)
    connection.close()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        return serve(argv[1])
    return run_client(argv)


if __name__ == "__main__":
    sys.exit(main())
