"""The whole city's exports (issue 15): the ledger xlsx of 30,000 projects and the approvals xlsx of 122,000
steps, as the city bureau asks for them, timed with the peak memory they add to the process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_exports .venv/bin/python bench/bench_exports.py [--reuse]

Builds its own database `<name>_bench_exports` (dropped first) with bulk_create: 161 units, 30,000 projects,
122,000 approval steps; --reuse skips the build. Each export runs in a fresh child process (so that one's peak
does not hide the next's); the peak is the child's high-water RSS above its RSS just before the request.
Synchronous: the background threshold is lifted, so the file is written in the request as a small export is;
`--background` also times the background job (build, write to the var directory, notify) at the normal threshold.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNTIES, TOWNS_PER_COUNTY, DEPARTMENTS = 10, 14, 10  # 1 + 10 + 140 + 10 = 161 units
PROJECTS, STEPS = 30_000, 122_000
ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
STEP_NAMES = ["立项/备案", "用地预审", "环评", "能评", "土地出让", "规划许可", "施工许可"]


def database_url() -> str:
    url = ORIGINAL_URL
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL=postgres://… please: the city bench runs on PostgreSQL")
    server, name = url.rsplit("/", 1)
    return f"{server}/{name or 'zhaoshang'}_bench_exports"


def setup(url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")
    os.environ["ZHAOSHANG_VAR_DIR"] = var_dir
    # The background job runs inside the timed request (what the worker does, timed here in one process).
    os.environ["ZHAOSHANG_TASKS"] = "immediate"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build() -> None:
    from zhaoshang.construction.models import ApprovalStep
    from zhaoshang.org import tree
    from zhaoshang.org.models import Membership, Role, Unit, User
    from zhaoshang.projects.models import Project

    rng = random.Random(15)
    city = Unit(name="示范市", kind="市")
    tree.save_with_path(city)
    towns, departments = [], []
    for c in range(COUNTIES):
        county = Unit(name=f"县区{c + 1}", kind="县区", parent=city)
        tree.save_with_path(county)
        for t in range(TOWNS_PER_COUNTY):
            town = Unit(name=f"县区{c + 1}乡镇{t + 1}", kind="乡镇", parent=county)
            tree.save_with_path(town)
            towns.append(town)
    for d in range(DEPARTMENTS):
        department = Unit(name=f"部门{d + 1}", kind="部门", parent=city)
        tree.save_with_path(department)
        departments.append(department)
    user = User.objects.create_user(username="city", password="Bench@2026", full_name="市招商局")
    Membership.objects.create(user=user, unit=city, role=Role.BUREAU_ADMIN)
    stages = ["签约", "开工", "投产", "洽谈"]
    base = date(2024, 1, 1)
    projects = []
    for n in range(PROJECTS):
        signed = base + timedelta(days=rng.randrange(900))
        stage = stages[n % 4]
        projects.append(
            Project(
                code=f"C{n:06d}",
                name=f"城市项目{n}=光伏组件" if n % 97 == 0 else f"城市项目{n}",
                investor=f"投资有限公司{n % 5000}",
                funding_type="内资",
                responsible_unit=towns[n % len(towns)],
                leader_in_charge=f"领导{n % 40}",
                industry_chain="新能源",
                stage=stage,
                signed_on=None if stage == "洽谈" else signed,
                contract_amount=Decimal(rng.randrange(100, 500000)) / 100,
                planned_total=Decimal(rng.randrange(100, 900000)) / 100,
                started_on=signed + timedelta(days=90) if stage in ("开工", "投产") else None,
                production_on=signed + timedelta(days=400) if stage == "投产" else None,
                key_level="市级" if n % 3 == 0 else "",
                first_signed_month=signed.replace(day=1) if stage != "洽谈" else None,
            )
        )
    Project.objects.bulk_create(projects, batch_size=5000)
    ids = list(Project.objects.order_by("id").values_list("id", flat=True))
    steps, today = [], date.today()
    for i in range(STEPS):
        project, order = ids[i % len(ids)], i // len(ids)
        planned = base + timedelta(days=rng.randrange(1100))
        filed = planned - timedelta(days=rng.randrange(10, 90)) if i % 3 else None
        done = filed + timedelta(days=rng.randrange(1, 120)) if filed and i % 2 else None
        done = done if done is None or done <= today else None
        steps.append(
            ApprovalStep(
                project_id=project,
                name=STEP_NAMES[order % len(STEP_NAMES)] if order < len(STEP_NAMES) else f"其他手续{order}",
                sort_order=order * 10,
                department=departments[i % len(departments)],
                planned_on=planned,
                filed_on=filed,
                done_on=done,
                days_taken=(done - filed).days if done else None,
                note="=备注" if i % 1000 == 0 else "",
            )
        )
    ApprovalStep.objects.bulk_create(steps, batch_size=5000)


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def measure(path: str, mode: str) -> None:
    """In the child: one request as the city bureau, its time and peak memory above the RSS before it."""
    from django.conf import settings
    from django.test import Client

    from zhaoshang.org.models import User

    if mode == "sync":
        settings.EXPORT_BACKGROUND_ROWS = 10**9
    client = Client()
    client.force_login(User.objects.get(username="city"))
    client.get("/")  # warm: the session, the URL conf, the templates
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark
    before = _rss_kb("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if mode == "background" and response.status_code == 302:
        response = client.post(response["Location"])
        from zhaoshang.downloads.models import Download

        done = Download.objects.filter(user__username="city").latest("id")
        body = client.get(done.get_absolute_url())
        body = b"".join(body.streaming_content)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _rss_kb("VmHWM")
    print(
        f"{path:28} {mode:10} {response.status_code} {len(body) / 1e6:5.1f} MB  {elapsed:6.2f} s wall  "
        f"{cpu:6.2f} s cpu  +{(peak - before) / 1024:4.0f} MB peak"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--background", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "MODE"))
    args = parser.parse_args()
    url = database_url()
    var_dir = os.environ.get("BENCH_VAR_DIR") or f"/tmp/bench-exports-var-{os.getpid()}"
    if args.child:
        setup(url, var_dir)
        measure(*args.child)
        return
    if not args.reuse:
        from bench.benchdb import recreate_postgres_database

        server, name = url.rsplit("/", 1)
        recreate_postgres_database(f"{server}/postgres", name)
        setup(url, var_dir)
        started = time.perf_counter()
        build()
        print(f"built {PROJECTS} projects, {STEPS} steps in {time.perf_counter() - started:.0f} s")
    modes = ["sync", "background"] if args.background else ["sync"]
    for path in ("/projects/?format=xlsx", "/approvals/?format=xlsx"):
        for mode in modes:
            env = {**os.environ, "BENCH_VAR_DIR": var_dir, "DATABASE_URL": ORIGINAL_URL}
            subprocess.run([sys.executable, __file__, "--child", path, mode], env=env, check=True)


if __name__ == "__main__":
    main()
