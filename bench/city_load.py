"""A small asyncio load generator for bench/city.py: virtual users, each with its own signed-in session, asking
for pages of a mix with a think time between answers. Standard library only (one connection per request, which
is what gunicorn's sync workers do anyway: they close the connection after each answer).

The latency of a request runs from opening the connection to the last byte of the answer, so it includes the
time the request waited for a free worker.
"""

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass
class VirtualUser:
    role: str  # "city bureau", "county bureau", "town reporter"
    cookie: str  # "sessionid=…"
    pages: list[str]


@dataclass
class Level:
    users: int
    think: float
    seconds: float
    latencies_ms: list = field(default_factory=list)
    errors: int = 0
    error_kinds: dict = field(default_factory=dict)
    elapsed: float = 0.0

    def percentile(self, p: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def row(self) -> dict:
        return {
            "users": self.users,
            "think_s": self.think,
            "requests": self.requests,
            "req_per_s": round(self.rate, 1),
            "median_ms": round(statistics.median(self.latencies_ms)) if self.latencies_ms else None,
            "p95_ms": round(self.percentile(95)) if self.latencies_ms else None,
            "p99_ms": round(self.percentile(99)) if self.latencies_ms else None,
            "errors": self.errors,
            "error_kinds": dict(self.error_kinds),
        }


async def fetch(port: int, path: str, cookie: str, timeout: float) -> tuple[int, int]:
    """(status, bytes) of one GET."""
    path = quote(path, safe="/?=&%:")
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nAccept: text/html\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    return status, len(data)


async def _user(user: VirtualUser, level: Level, port: int, start: float, warmup: float, end: float, timeout: float):
    rng = random.Random(id(user))
    await asyncio.sleep(rng.uniform(0, max(level.think, 0.05)))  # users arrive spread over one think time
    while time.perf_counter() < end:
        path = rng.choice(user.pages)
        began = time.perf_counter()
        try:
            status, _ = await fetch(port, path, user.cookie, timeout)
            kind = None if status == 200 else f"HTTP {status}"
        except (TimeoutError, OSError) as exc:
            kind = type(exc).__name__
        took = (time.perf_counter() - began) * 1000
        if began >= start + warmup:
            if kind is None:
                level.latencies_ms.append(took)
            else:
                level.errors += 1
                level.error_kinds[kind] = level.error_kinds.get(kind, 0) + 1
        if level.think:
            await asyncio.sleep(level.think)


def run_level(
    users: list[VirtualUser], *, port: int, think: float, seconds: float, warmup: float = 5.0, timeout: float = 60.0
) -> Level:
    """Run `users` for warmup + seconds; only requests started after the warm-up count. The rate is the requests
    that started in the measured window over its length."""
    level = Level(users=len(users), think=think, seconds=seconds)

    async def main():
        start = time.perf_counter()
        end = start + warmup + seconds
        await asyncio.gather(*(_user(u, level, port, start, warmup, end, timeout) for u in users))

    asyncio.run(main())
    level.elapsed = seconds
    return level
