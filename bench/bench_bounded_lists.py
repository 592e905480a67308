"""A bulletin of a unit with 10,000 key projects behind plan: the snapshot, its Word file and its Excel 附表, and
one 10,000-row table drawn into Word on its own (the cost of a row). Run it on this branch and on the commit before,
in the same session, to compare.

    DATABASE_URL=postgres://… .venv/bin/python bench/bench_bounded_lists.py [--projects 10000] [--db NAME]

A fresh database of its own (`--db`, dropped and created on DATABASE_URL's server; SQLite without DATABASE_URL),
one county with two towns, the key projects written in bulk (each with its year's plan and a January figure).
"""

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import recreate_postgres_database  # noqa: E402


def timed(label, func, results, *, memory=False):
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if memory else None
    if memory:
        tracemalloc.stop()
    results[label] = (elapsed, peak)
    print(f"{label:<46} {elapsed * 1000:9.0f} ms" + (f"   peak {peak:6.1f} MB (Python)" if memory else ""))
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--db", default="zs_i15_bounded_bench")
    parser.add_argument("--quick", action="store_true", help="the snapshot and the bulletin's docx only, untraced")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        server = url.rsplit("/", 1)[0]
        os.environ["DATABASE_URL"] = f"{server}/{args.db}"
        recreate_postgres_database(f"{server}/postgres", args.db)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")
    os.environ["ZHAOSHANG_VAR_DIR"] = tmp.name
    import django

    django.setup()
    from django.core.management import call_command

    from zhaoshang.bulletins import output
    from zhaoshang.bulletins.document import draft_issue
    from zhaoshang.bulletins.snapshot import build_snapshot
    from zhaoshang.bulletins.tables import behind_table
    from zhaoshang.core.gongwen import render_document
    from zhaoshang.core.periods import schedule_rate
    from zhaoshang.org import tree
    from zhaoshang.org.models import AssessmentGroup, Unit
    from zhaoshang.progress.behind import key_projects_behind
    from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment, Project

    call_command("migrate", verbosity=0)
    group = AssessmentGroup.objects.create(name="乡镇组")
    root = Unit(name="测试县", kind="县区")
    tree.save_with_path(root)
    towns = []
    for name in ("甲镇", "乙镇"):
        town = Unit(name=name, kind="乡镇", parent=root, group=group)
        tree.save_with_path(town)
        towns.append(town)
    year = date.today().year - 1
    month = date(year, 11, 1)
    n = args.projects
    projects = Project.objects.bulk_create(
        Project(
            code=f"K{i:06d}",
            name=f"年产十万吨新材料重点项目{i}",
            responsible_unit=towns[i % 2],
            stage="开工",
            signed_on=date(year - 1, 3, 1),
            started_on=date(year - 1, 6, 1),
            key_level="市重点",
            leader_in_charge="王县长",
            planned_total=Decimal(30000),
        )
        for i in range(n)
    )
    AnnualPlan.objects.bulk_create(
        AnnualPlan(project=p, year=year, amount=Decimal(10000 + i)) for i, p in enumerate(projects)
    )
    MonthlyInvestment.objects.bulk_create(
        MonthlyInvestment(project=p, month=date(year, 1, 1), amount=Decimal(i % 5000)) for i, p in enumerate(projects)
    )
    print(f"{n} key projects behind plan, {os.environ['DATABASE_URL'].split(':')[0]}")
    results = {}
    snapshot = timed("snapshot (build_snapshot)", lambda: build_snapshot(root, month), results)
    snapshot["text"] = "（正文）"
    listed = len(snapshot["key_projects_behind"])
    total = snapshot.get("key_projects_behind_total", listed)
    size = len(json.dumps(snapshot, ensure_ascii=False)) / 1024
    print(f"  the snapshot lists {listed} of {total}; its JSON {size:.0f} KB")
    docx = timed(
        "bulletin docx (公文), from the snapshot", lambda: output.as_docx(snapshot, "通报", draft_issue(root)), results
    )
    print(f"  docx {len(docx) / 1024:.0f} KB")
    if args.quick:
        return
    timed(
        "  the same, Python memory traced",
        lambda: output.as_docx(snapshot, "通报", draft_issue(root)),
        results,
        memory=True,
    )
    # the whole list in one Word table: what drawing a row costs, whatever the cap
    rows = key_projects_behind(root, month, schedule_rate(month.month))
    whole = {"whole": True} if "whole" in behind_table.__code__.co_varnames else {}
    spec = behind_table({"key_projects_behind": rows}, **whole)

    def draw():
        return render_document(title="t", byline="b", paragraphs=[], tables=[spec])

    table = timed(f"one {len(spec.rows)}-row table drawn in Word", draw, results)
    print(f"  docx {len(table) / 1024:.0f} KB")
    timed("  the same, Python memory traced", draw, results, memory=True)


if __name__ == "__main__":
    main()
