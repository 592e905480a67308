"""Running one function in a child process that cannot take the server down with it.

An uploaded file is parsed by native code (python-calamine, in Rust) that aborts the whole process when an
allocation fails; a worker that did so would drop every request it held. So the parse runs in a child forked
for it, with an address-space limit (RLIMIT_AS, the memory it may add to what the worker already maps) and a
CPU-time limit, while the worker waits on a pipe with a wall-clock deadline and kills it when that passes.
Whatever the child does, the worker sees either the function's result, the exception it raised, or
ChildFailed saying the child ran out of memory or time.

Why fork, and not spawn or forkserver: the child starts in a few milliseconds with the upload already in its
memory (shared copy-on-write, not sent through a pipe) and nothing to import or set up, and a started server
process per worker is not needed. Fork is safe here because the child only runs the given function on plain
data, sends back plain data, and leaves with os._exit: it never touches the database connection it inherits
(nor closes it: os._exit runs no cleanup), the logging, or anything another thread might have held locked.
The production server (gunicorn's sync workers) is single-threaded; runserver and the test server fork from a
request thread, which is equally fine for a child that does only this.
"""

import gc
import io
import os
import pickle
import resource
import select
import signal
import time

# Exit statuses of the child beyond the function's own outcome.
_NO_MEMORY = 3  # Python raised MemoryError
_BROKEN = 4
# Rust aborts (SIGABRT) when an allocation fails; the kernel's OOM killer sends SIGKILL.
_OUT_OF_MEMORY = {signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS}


class ChildFailed(Exception):
    """The child ran out of memory (`reason == "memory"`) or time (`"time"`)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def run_isolated(function, *args, memory_mb: int, seconds: float):
    """`function(*args)` in a forked child: its result, or the exception it raised, raised again here."""
    budget = _mapped_bytes() + memory_mb * 1024 * 1024
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, function, args, budget, seconds)
    os.close(write_end)
    timed_out = True
    try:
        payload, timed_out = _receive(read_end, deadline=time.monotonic() + seconds)
    finally:
        os.close(read_end)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise ChildFailed("time")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGXCPU:
            raise ChildFailed("time")
        if number in _OUT_OF_MEMORY:
            raise ChildFailed("memory")
        raise RuntimeError(f"解析文件的子进程被信号 {number} 终止")
    if os.WEXITSTATUS(status) == _NO_MEMORY:
        raise ChildFailed("memory")
    if os.WEXITSTATUS(status) != 0:
        raise RuntimeError(f"解析文件的子进程异常退出（状态 {os.WEXITSTATUS(status)}）")
    outcome, value = _unpickle(payload)
    if outcome == "raised":
        raise value
    return value


def _pickle(message) -> bytes:
    """Pickle's fast mode: no memo of every object written (a tenth of the time for 100,000 rows); the results
    are plain rows and values, with no object referring to itself."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(message)
    return out.getvalue()


def _unpickle(payload: bytes):
    """Without the cyclic garbage collector, which would otherwise walk the whole heap again and again while a
    hundred thousand rows are created (plain lists and values: nothing for it to collect)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        if collecting:
            gc.enable()


def _mapped_bytes() -> int:
    """The address space this process maps now (VmSize): the child's limit comes on top of it."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _receive(read_end: int, *, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes until it closes the pipe, and whether the deadline passed first."""
    poller = select.poll()  # not select.select: a busy worker's descriptors may pass FD_SETSIZE
    poller.register(read_end, select.POLLIN)
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not poller.poll(left * 1000):
            return b"", True
        chunk = os.read(read_end, 1 << 20)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _limit(kind: int, soft: int, hard: int) -> None:
    _, current = resource.getrlimit(kind)
    if current != resource.RLIM_INFINITY:  # an operator's lower limit stays
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(kind, (soft, hard))


def _child(write_end: int, function, args, budget: int, seconds: float) -> None:
    status = _BROKEN
    try:
        # The collector would walk (and so copy, page by page) the whole heap shared with the worker, for a
        # process that ends in a moment anyway.
        gc.disable()
        # A known state: default signal handlers (not the server's), no core file, output to /dev/null (Rust
        # prints a backtrace when it aborts; the worker reports the failure itself).
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGABRT):
            signal.signal(number, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # CPU time ends a child the worker no longer waits for (a worker killed by the server's own timeout).
        _limit(resource.RLIMIT_CPU, int(seconds) + 1, int(seconds) + 2)  # SIGXCPU first, SIGKILL a second later
        _limit(resource.RLIMIT_AS, budget, budget)
        try:
            message = ("returned", function(*args))
        except MemoryError:
            raise
        except Exception as exc:  # sent back, raised again in the worker
            message = ("raised", exc)
        try:
            payload = _pickle(message)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            payload = _pickle(("raised", RuntimeError(repr(message[1]))))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view) :]
        status = 0
    except MemoryError:
        status = _NO_MEMORY
    finally:
        os._exit(status)
