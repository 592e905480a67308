"""The city bench of issue 15, on PostgreSQL: builds a city install (bench/city_build.py: 161 units, 30,000
projects over three years, ~386k monthly rows, ~122k approval steps, ~544k audit entries …), then prints

1. the page table: every page of bench/bench_pages.py and the issue's slow pages, as the city bureau (bureau),
   a county bureau (bureau0, the biggest county) and a town reporter (reporter) where the page is theirs:
   median ms, queries, bytes (Django's test client, in process, as bench_pages.py does);
2. worker memory for the biggest documents: each asked once in a fresh process, its RSS before, the peak while
   answering (VmHWM, reset first) and what it keeps after;
3. the load table: gunicorn -w 4 on the built database, virtual users (10% city bureau, 30% county bureaus,
   60% town reporters) asking for the dashboard, the ledger, the monthly grid and the bulletin draft with 1 s
   think: p95, p99, errors at 20, 50 and 100 users; and the most requests per second with no think time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhaoshang .venv/bin/python bench/city.py [--scale 0.1] [--keep]

The database is `<name>_city` (`<name>_city_s0_1` at --scale 0.1), dropped and built afresh unless --keep finds
one already built at that scale (and --keep leaves it there afterwards). Accounts: every one has the demo's
password Demo@2026 (city: bureau, leader, auditor, sysadmin; county c: bureau{c}, leader{c}, auditor{c}; each
unit's reporter r{c}_{n} and head h{c}_{n}; the demo's names reporter, unithead, zrj, … in county 0).
"""

import argparse
import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from city_load import VirtualUser, run_level  # noqa: E402

CITY_BUREAU, COUNTY_BUREAU, REPORTER = "bureau", "bureau0", "reporter"
ROLES = {CITY_BUREAU: "city bureau", COUNTY_BUREAU: "county bureau", REPORTER: "town reporter"}
MEMORY_ITEMS = ["bulletin docx", "bulletin xlsx", "ledger xlsx", "approvals xlsx"]


def database_urls(scale: float) -> tuple[str, str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhaoshang")
    if not base.startswith("postgres"):
        sys.exit("city.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    server, name = base.rsplit("/", 1)
    name = f"{name}_city" if scale == 1 else f"{name}_city_s{str(scale).replace('.', '_')}"
    return server, name, f"{server}/{name}"


def setup(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")  # a throwaway database: the demo key will do
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def prepare_database(server: str, name: str, scale: float, keep: bool) -> bool:
    """True when a database built at this scale is there to reuse."""
    import psycopg

    marker = f"zhaoshang city bench, scale {scale}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if keep and row and row[0] == marker:
            return True
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return False


def mark_built(server: str, name: str, scale: float) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS 'zhaoshang city bench, scale {scale}'")


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ----- what the pages are about -----
def fixtures() -> dict:
    from django.db.models import Count

    from zhaoshang.coordination import meetings
    from zhaoshang.coordination.meeting_models import DispatchMeeting
    from zhaoshang.coordination.models import Problem
    from zhaoshang.core.periods import add_months, current_month, format_month, today
    from zhaoshang.org.models import Unit, User
    from zhaoshang.progress.models import Campaign
    from zhaoshang.projects.models import Project

    reporter = User.objects.get(username=REPORTER)
    town = reporter.memberships.get().unit
    project = Project.objects.filter(responsible_unit=town, stage="开工").order_by("pk").first()
    row = Project.objects.values("responsible_unit").annotate(n=Count("id")).order_by("-n").first()
    biggest = (row["responsible_unit"], Unit.objects.get(pk=row["responsible_unit"]).name, row["n"])
    bureau = User.objects.get(username=CITY_BUREAU)
    root = Unit.objects.get(parent=None)
    open_meeting = DispatchMeeting.objects.filter(unit=root, held_on=today()).first() or meetings.meeting_create(
        actor=bureau, unit=root, held_on=today()
    )
    return {
        "last": format_month(add_months(current_month(), -1)),
        "project": project.pk,
        "problem": Problem.objects.order_by("pk").values_list("pk", flat=True).first(),
        "meeting": DispatchMeeting.objects.filter(unit=root).exclude(pk=open_meeting.pk).order_by("-held_on")[0].pk,
        "open_meeting": open_meeting.pk,
        "campaign": Campaign.objects.order_by("pk").values_list("pk", flat=True).first(),
        "biggest": biggest,
        "q_code": f"XM{int(format_month(current_month())[:4]) - 1}",
    }


def page_list(f: dict) -> list[tuple[str, tuple[str, ...]]]:
    """(path, the accounts that ask for it): bench_pages.py's list, then the issue's table."""
    cbt = (CITY_BUREAU, COUNTY_BUREAU, REPORTER)
    bureaus = (CITY_BUREAU, COUNTY_BUREAU)
    last, p = f["last"], f["project"]
    return [
        ("/", cbt),
        ("/projects/", cbt),
        ("/projects/?major=1&stage=开工&q=项目", cbt),
        ("/projects/?page=5", cbt),
        (f"/projects/{p}/", (CITY_BUREAU, REPORTER)),
        (f"/projects/{p}/edit/", (REPORTER,)),
        ("/projects/new/", (REPORTER,)),
        (f"/report/?month={last}", (REPORTER,)),
        ("/months/", bureaus),
        (f"/months/{last}/", bureaus),
        ("/usd-rates/", (CITY_BUREAU,)),
        (f"/dashboard/?month={last}", (*cbt, "leader")),
        (f"/dashboard/domestic_arrived_wan/?month={last}", cbt),
        (f"/projects/?figure=started_count&period={last}", cbt),
        ("/targets/", bureaus),
        (f"/campaigns/{f['campaign']}/", bureaus),
        (f"/economy/?month={last}", (CITY_BUREAU,)),
        (f"/bulletins/draft/?month={last}", (*cbt, "leader")),
        (f"/bulletins/draft/?month={last}&format=json", bureaus),
        (f"/bulletins/draft/?month={last}&format=docx", bureaus),
        (f"/bulletins/draft/?month={last}&format=xlsx", bureaus),
        (f"/meetings/review/?month={last}", bureaus),
        (f"/meetings/dispatch/?month={last}", bureaus),
        (f"/meetings/observation/?month={last}", bureaus),
        (f"/meetings/summary/?month={last}", bureaus),
        ("/audit/", ("auditor",)),
        (f"/audit/?q={f['q_code']}", ("auditor",)),
        # The oldest page as the page's own 最早 link asks for it (keyset paging: there is no ?page= to jump to).
        ("/audit/?before=oldest", ("auditor",)),
        ("/sheets/import/", (CITY_BUREAU,)),
        ("/problems/", (REPORTER, CITY_BUREAU, "zrj")),
        (f"/problems/{f['problem']}/", (CITY_BUREAU,)),
        (f"/problems/new/?project={p}", (REPORTER,)),
        ("/approvals/", (*cbt, "leader", "zrj")),
        ("/approvals/?format=xlsx", bureaus),
        (f"/projects/{p}/approvals/", (REPORTER,)),
        ("/dispatch/", bureaus),
        (f"/dispatch/{f['meeting']}/", (CITY_BUREAU,)),
        (f"/dispatch/{f['open_meeting']}/", (CITY_BUREAU,)),  # open: a decision form on every item
        ("/dispatch/tasks/?show=all", (REPORTER,)),
        ("/notifications/", (REPORTER,)),
        ("/projects/?q=光伏组件", cbt),
        ("/projects/?format=xlsx", bureaus),
        (f"/report/?unit={f['biggest'][0]}&month={last}", (CITY_BUREAU,)),
        # Issue 19's pages: the 认定 queue (a city's month holds some 20,000 到位资金 items), a unit's own, 数据质量.
        (f"/verification/?month={last}", bureaus),
        (f"/verification/mine/?month={last}", (REPORTER,)),
        ("/quality/", (*bureaus, REPORTER)),
    ]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def page_table(runs: int, budget: float, f: dict, measured: list[dict]) -> list[dict]:
    """`measured`: the documents the memory phase has timed (once each, in a fresh process) for the city bureau;
    their rows come from there rather than asking for a 90-second document twice."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.org.models import User

    clients, rows = {}, []
    print(f"\n{'account':<10}{'page':<58}{'median ms':>10}{'runs':>5}{'queries':>8}{'bytes':>11}", flush=True)
    by_path = {m["path"]: m for m in measured}
    for path, usernames in page_list(f):
        for username in usernames:
            if username == CITY_BUREAU and path in by_path:
                m = by_path[path]
                row = {
                    "account": username,
                    "role": ROLES[username],
                    "page": path,
                    "status": m["status"],
                    "median_ms": m["ms"],
                    "runs": 1,
                    "queries": m["queries"],
                    "bytes": m["bytes"],
                    "from": "memory probe",
                }
                rows.append(row)
                print(
                    f"{username:<10}{path:<58}{m['ms']:>10.1f}{1:>5}{m['queries']:>8}{m['bytes']:>11,} (fresh process)"
                )
                continue
            if username not in clients:
                clients[username] = Client()
                clients[username].force_login(User.objects.get(username=username))
            client, samples, began = clients[username], [], time.perf_counter()
            while len(samples) < runs + 1:
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(path)
                    size = len(body_of(response))
                    samples.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200 or (len(samples) >= 2 and time.perf_counter() - began > budget):
                    break
            # The first answer warms the caches; it counts only when there is nothing else.
            median = statistics.median(samples[1:] or samples)
            row = {
                "account": username,
                "role": ROLES.get(username, username),
                "page": path,
                "status": response.status_code,
                "median_ms": round(median, 1),
                "runs": len(samples[1:] or samples),
                "queries": len(queries),
                "bytes": size,
            }
            rows.append(row)
            shown = f"{median:>10.1f}" if response.status_code == 200 else f"{'HTTP ' + str(response.status_code):>10}"
            print(f"{username:<10}{path:<58}{shown}{row['runs']:>5}{len(queries):>8}{size:>11,}", flush=True)
    return rows


# ----- memory, in a fresh process per document -----
def memory_paths(f: dict) -> dict[str, str]:
    last = f["last"]
    return {
        "bulletin docx": f"/bulletins/draft/?month={last}&format=docx",
        "bulletin xlsx": f"/bulletins/draft/?month={last}&format=xlsx",
        "ledger xlsx": "/projects/?format=xlsx",
        "approvals xlsx": "/approvals/?format=xlsx",
    }


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def probe(username: str, path: str) -> None:
    """In a fresh process: RSS after a warm-up page, the peak while answering `path` (VmHWM reset first), the
    RSS left after the answer is dropped and collected."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get("/")  # modules, templates and the connection loaded, as in a worker that has served a page
    gc.collect()
    before = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        size = len(body_of(response))
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    status = response.status_code
    del response
    gc.collect()
    after = _status_kb("VmRSS")
    print(
        json.dumps(
            {
                "status": status,
                "queries": len(queries),
                "seconds": seconds,
                "bytes": size,
                "before_kb": before,
                "peak_kb": peak,
                "after_kb": after,
            }
        )
    )


def memory_table(url: str, f: dict) -> list[dict]:
    rows = []
    print(f"\n{'document (city bureau)':<24}{'ms':>8}{'bytes':>12}{'RSS before':>12}{'peak +MB':>10}{'kept +MB':>10}")
    for name, path in memory_paths(f).items():
        out = (
            subprocess.run(
                [sys.executable, __file__, "--probe", CITY_BUREAU, path],
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        m = json.loads(out)
        row = {
            "document": name,
            "path": path,
            "status": m["status"],
            "queries": m["queries"],
            "ms": round(m["seconds"] * 1000),
            "bytes": m["bytes"],
            "rss_before_mb": round(m["before_kb"] / 1024),
            "peak_growth_mb": round((m["peak_kb"] - m["before_kb"]) / 1024),
            "kept_mb": round((m["after_kb"] - m["before_kb"]) / 1024),
        }
        rows.append(row)
        print(
            f"{name:<24}{row['ms']:>8}{row['bytes']:>12,}{row['rss_before_mb']:>12}"
            f"{row['peak_growth_mb']:>10}{row['kept_mb']:>10}",
            flush=True,
        )
    return rows


# ----- load -----
def virtual_users(count: int) -> list:
    """10% the city bureau, 30% the county bureaus, 60% town reporters, each with its own session."""
    from django.conf import settings
    from django.test import Client

    from zhaoshang.org.models import Membership, Role, UnitKind

    county_bureaus = list(
        Membership.objects.filter(role=Role.BUREAU_ADMIN, unit__kind=UnitKind.COUNTY)
        .select_related("user")
        .order_by("user__username")
    )
    reporters = list(
        Membership.objects.filter(role=Role.REPORTER, unit__kind=UnitKind.TOWN)
        .select_related("user")
        .order_by("user__username")
    )
    city = Membership.objects.select_related("user").get(user__username=CITY_BUREAU)
    pages = ["/dashboard/", "/projects/", "/report/", "/bulletins/draft/"]
    users = []
    for i in range(count):
        slot = i % 10
        if slot == 0:
            role, member = "city bureau", city
        elif slot <= 3:
            role, member = "county bureau", county_bureaus[(i // 10 * 3 + slot - 1) % len(county_bureaus)]
        else:
            role, member = "town reporter", reporters[(i // 10 * 6 + slot - 4) % len(reporters)]
        client = Client()
        client.force_login(member.user)
        users.append(
            VirtualUser(
                role, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}", pages
            )
        )
    return users


def worker_rss_mb(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    sizes = []
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024))
        except OSError:
            pass
    return sizes


def load_table(url: str, args) -> tuple[list[dict], dict]:
    from django.db import connections

    if not args.port:
        with socket.socket() as probe_socket:
            probe_socket.bind(("127.0.0.1", 0))
            args.port = probe_socket.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "ZHAOSHANG_DEMO": "1", "ZHAOSHANG_DEBUG": "0"}
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"city-bench-gunicorn-{args.port}.log", "w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "zhaoshang.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    rows, extra = [], {}
    try:
        for _ in range(150):
            if server.poll() is not None:
                sys.exit(f"gunicorn stopped (exit {server.returncode}): see {log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not answer: see {log.name}")
        most = max(args.users)
        users = virtual_users(max(most, args.zero_think_users))
        connections.close_all()
        extra["worker_rss_mb_start"] = worker_rss_mb(server.pid)
        print(
            f"\n{'users':>6}{'think s':>8}{'requests':>9}{'req/s':>7}{'median':>8}{'p95 ms':>8}{'p99 ms':>8}"
            f"{'errors':>7}"
        )
        levels = [(n, args.think) for n in args.users] + [(args.zero_think_users, 0.0)]
        for count, think in levels:
            level = run_level(users[:count], port=args.port, think=think, seconds=args.load_seconds)
            row = level.row()
            rows.append(row)
            print(
                f"{row['users']:>6}{think:>8}{row['requests']:>9}{row['req_per_s']:>7}{row['median_ms']!s:>8}"
                f"{row['p95_ms']!s:>8}{row['p99_ms']!s:>8}{row['errors']:>7} {row['error_kinds'] or ''}",
                flush=True,
            )
        extra["worker_rss_mb_end"] = worker_rss_mb(server.pid)
        print(f"worker RSS MB at start {extra['worker_rss_mb_start']}, after the load {extra['worker_rss_mb_end']}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    return rows, extra


def say_load(phase: str, results: dict) -> None:
    """The machine is shared: its load average goes with the figures."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    results.setdefault("load_average", {})[phase] = load
    print(f"load average before {phase}: {load}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the city's 30,000 projects (0.1: 3,000)")
    parser.add_argument("--keep", action="store_true", help="reuse a database built at this scale, and keep it")
    parser.add_argument("--runs", type=int, default=3, help="answers timed per page (after one to warm up)")
    parser.add_argument("--page-budget", type=float, default=5.0, help="seconds per page before taking fewer runs")
    parser.add_argument("--users", type=lambda s: [int(x) for x in s.split(",")], default=[20, 50, 100])
    parser.add_argument("--zero-think-users", type=int, default=16)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--load-seconds", type=float, default=40.0, help="measured seconds per load level")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--skip", default="", help="comma-separated phases to skip: pages, memory, load")
    parser.add_argument("--json", help="write every figure to this file too")
    parser.add_argument("--probe", nargs=2, metavar=("USER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:  # one document in a fresh process (memory_table); DATABASE_URL is the city's already
        setup(os.environ["DATABASE_URL"])
        probe(*args.probe)
        return
    skip = set(filter(None, args.skip.split(",")))
    server, name, url = database_urls(args.scale)
    started = time.perf_counter()
    reuse = prepare_database(server, name, args.scale, args.keep)
    setup(url)
    from django.core.management import call_command
    from django.db import connection, connections

    from zhaoshang.core.periods import today

    counts = {}
    if reuse:
        from city_build import counts_of

        # A database kept from an earlier run gets the migrations added since (a new table is empty there).
        call_command("migrate", verbosity=0)

        counts = counts_of()
        print(f"database {name}: reused (--keep): " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    else:
        print(f"database {name}: building at scale {args.scale}", flush=True)
        call_command("migrate", verbosity=0)
        from city_build import build

        counts = build(args.scale, today())
        mark_built(server, name, args.scale)
        print(f"built in {time.perf_counter() - started:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    results = {"database": name, "scale": args.scale, "build_s": round(time.perf_counter() - started), "counts": counts}
    f = fixtures()
    results["fixtures"] = {k: v for k, v in f.items()}
    print(f"biggest unit: {f['biggest'][1]} ({f['biggest'][2]:,} projects); {connection.vendor}")
    connections.close_all()
    if "memory" not in skip:
        say_load("memory", results)
        results["memory"] = memory_table(url, f)
    if "pages" not in skip:
        say_load("pages", results)
        results["pages"] = page_table(args.runs, args.page_budget, f, results.get("memory", []))
    connections.close_all()
    if "load" not in skip:
        say_load("load", results)
        results["load"], results["load_extra"] = load_table(url, args)
    connections.close_all()
    say_load("end", results)
    results["total_s"] = round(time.perf_counter() - started)
    print(f"whole run: {results['total_s']} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    if not args.keep:
        drop_database(server, name)


if __name__ == "__main__":
    main()
