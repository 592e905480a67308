"""Running one function in a child process that cannot take the server down with it.

An uploaded file is parsed by native code (python-calamine, in Rust) that aborts the whole process when an
allocation fails; a worker that did so would drop every request it held. So the parse runs in a child forked
for it, with an address-space limit (RLIMIT_AS, the memory it may add to what the worker already maps) and a
CPU-time limit, while the worker waits on a pipe with a wall-clock deadline and kills it when that passes.
Whatever the child does, the worker sees either the function's result (or the items a generator yields, each
unpickled as it arrives, while the child makes the next), the exception it raised, or ChildFailed saying the
child ran out of memory or time.

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
import struct
import threading
import time

# Exit statuses of the child beyond the function's own outcome.
_NO_MEMORY = 3  # Python raised MemoryError
_BROKEN = 4
# Rust aborts (SIGABRT) when an allocation fails; the kernel's OOM killer sends SIGKILL.
_OUT_OF_MEMORY = {signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS}
_LENGTH = struct.Struct("<Q")  # each message the child sends: its length, then the pickle


class ChildFailed(Exception):
    """The child ran out of memory (`reason == "memory"`) or time (`"time"`)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def run_isolated(function, *args, memory_mb: int, seconds: float):
    """`function(*args)` in a forked child: its result, or the exception it raised, raised again here."""
    return _run(lambda: iter((function(*args),)), memory_mb=memory_mb, seconds=seconds)[0]


def stream_isolated(generator, *args, memory_mb: int, seconds: float) -> list:
    """The items `generator(*args)` yields in a forked child, each sent as soon as it is made and unpickled here
    while the child makes the next (two cores: the transfer costs little more than the child's own work); the
    exception it raised, raised again here."""
    return _run(lambda: generator(*args), memory_mb=memory_mb, seconds=seconds)


def _run(produce, *, memory_mb: int, seconds: float) -> list:
    budget = _mapped_bytes() + memory_mb * 1024 * 1024
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, produce, budget, seconds)
    os.close(write_end)
    outcome = "timed out"
    try:
        items, raised, outcome = _receive(read_end, deadline=time.monotonic() + seconds)
    finally:
        os.close(read_end)
        if outcome == "timed out":
            os.kill(pid, signal.SIGKILL)
        if outcome != "finished":
            _, status = os.waitpid(pid, 0)
    if outcome == "finished":
        # The child said it is done: only its exit is left, which takes a while for a process that maps what the
        # worker maps. A thread collects it, so that the worker need not wait (nor leave a zombie).
        threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
        if raised is not None:
            raise raised
        return items
    if outcome == "timed out":
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
    raise RuntimeError(f"解析文件的子进程异常退出（状态 {os.WEXITSTATUS(status)}）")


def _pickle(message) -> bytes:
    """A frame: the length, then the message in pickle's fast mode (no memo of every object written, a tenth of
    the time for 100,000 rows; the messages are plain rows and values, none referring to itself)."""
    out = io.BytesIO()
    out.write(bytes(_LENGTH.size))
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(message)
    frame = out.getbuffer()
    _LENGTH.pack_into(frame, 0, len(frame) - _LENGTH.size)
    return bytes(frame)


def _mapped_bytes() -> int:
    """The address space this process maps now (VmSize): the child's limit comes on top of it."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _receive(read_end: int, *, deadline: float) -> tuple[list, BaseException | None, str]:
    """The items the child sends, the exception it sent if any, and how it ended: "finished" (it said so),
    "ended" (the pipe closed before it said so: it died) or "timed out". The garbage collector rests meanwhile:
    it would walk the whole heap again and again while a hundred thousand rows are created (plain lists and
    values, nothing for it to collect)."""
    poller = select.poll()  # not select.select: a busy worker's descriptors may pass FD_SETSIZE
    poller.register(read_end, select.POLLIN)
    items, raised, pending = [], None, bytearray()
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                return items, raised, "timed out"
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                return items, raised, "ended"
            pending += chunk
            while len(pending) >= _LENGTH.size:
                (size,) = _LENGTH.unpack_from(pending)
                if len(pending) < _LENGTH.size + size:
                    break
                kind, value = pickle.loads(pending[_LENGTH.size : _LENGTH.size + size])
                del pending[: _LENGTH.size + size]
                if kind == "item":
                    items.append(value)
                elif kind == "raised":
                    raised = value
                else:
                    return items, raised, "finished"
    finally:
        if collecting:
            gc.enable()


def _limit(kind: int, soft: int, hard: int) -> None:
    _, current = resource.getrlimit(kind)
    if current != resource.RLIM_INFINITY:  # an operator's lower limit stays
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(kind, (soft, hard))


def _child(write_end: int, produce, budget: int, seconds: float) -> None:
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
            for item in produce():
                _send(write_end, _pickle(("item", item)))
        except MemoryError:
            raise
        except Exception as exc:  # sent back, raised again in the worker
            try:
                frame = _pickle(("raised", exc))
            except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
                frame = _pickle(("raised", RuntimeError(repr(exc))))
            _send(write_end, frame)
        _send(write_end, _pickle(("finished", None)))
        status = 0
    except MemoryError:
        status = _NO_MEMORY
    finally:
        os._exit(status)


def _send(write_end: int, frame: bytes) -> None:
    view = memoryview(frame)
    while view:
        view = view[os.write(write_end, view) :]
