"""Province scale on PostgreSQL (README, Benchmarks): 2,400 units, 1,000,000 projects, 12,000,000 monthly rows.
Times one period's ranking read from the per-unit monthly totals against the same figures aggregated on the
fly from the monthly rows, in the same run. Budget: at least 20× faster.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhaoshang .venv/bin/python bench/province.py [--keep]

It builds its own database `<name>_province` (dropped first) with SQL generate_series, which takes a few
minutes; --reuse skips the build when the database is already there.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNITS, COUNTIES, TEAMS = 2400, 40, 40
PROJECTS = 1_000_000
MONTHS_PER_PROJECT = 12  # 12,000,000 到位资金 rows
YEAR = 2026
PERIOD = date(YEAR, 10, 1)


def build(conn):
    per_county = (UNITS - 1 - COUNTIES - TEAMS) // COUNTIES
    leaves = COUNTIES * per_county
    sql = f"""
    INSERT INTO org_assessmentgroup (id, name, red_top_n, black_bottom_m, sort_order)
    VALUES (1, '县区组', 5, 3, 0), (2, '乡镇组', 10, 5, 1), (3, '园区组', 3, 2, 2), (4, '部门组', 5, 3, 3),
           (5, '小分队组', 3, 3, 4);
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    VALUES (1, '示范市', '市', NULL, NULL, 0, true, '/1/');
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT 1 + c, '县区' || c, '县区', 1, 1, c, true, '/1/' || (1 + c) || '/'
    FROM generate_series(1, {COUNTIES}) c;
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT 1 + {COUNTIES} + i, '单位' || i,
           CASE WHEN i % 10 = 0 THEN '园区' WHEN i % 10 = 1 THEN '部门' ELSE '乡镇' END,
           2 + (i - 1) % {COUNTIES},
           CASE WHEN i % 10 = 0 THEN 3 WHEN i % 10 = 1 THEN 4 ELSE 2 END, i, true,
           '/1/' || (2 + (i - 1) % {COUNTIES}) || '/' || (1 + {COUNTIES} + i) || '/'
    FROM generate_series(1, {leaves}) i;
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT 1 + {COUNTIES} + {leaves} + t, '招商小分队' || t, '招商小分队', 1, 5, t, true,
           '/1/' || (1 + {COUNTIES} + {leaves} + t) || '/'
    FROM generate_series(1, {UNITS - 1 - COUNTIES - leaves}) t;
    SELECT setval(pg_get_serial_sequence('org_unit', 'id'), (SELECT max(id) FROM org_unit));

    INSERT INTO projects_project (id, code, name, investor, credit_code, funding_type, responsible_unit_id, team_id,
        leader_in_charge, industry_chain, stage, signed_on, contract_amount, planned_total, started_on, production_on,
        key_level, dropped_reason, first_signed_month, is_major, created_at, updated_at)
    SELECT p, 'P' || p, '项目' || p, '投资方' || p, '', CASE WHEN p % 10 = 0 THEN '外资' ELSE '内资' END,
        2 + {COUNTIES} + (p::bigint * 7919) % {leaves},
        CASE WHEN p % 3 = 0 THEN 2 + {COUNTIES} + {leaves} + p % {TEAMS - 1} END,
        '', '', CASE WHEN p % 5 = 0 THEN '开工' ELSE '签约' END,
        s, amt, amt, CASE WHEN p % 5 = 0 THEN s + 60 END, NULL,
        CASE WHEN p % 20 = 0 THEN '县重点' WHEN p % 47 = 0 THEN '市重点' ELSE '' END, '',
        date_trunc('month', s)::date, amt >= 10000, now(), now()
    FROM (SELECT p, DATE '{YEAR - 1}-01-01' + ((p::bigint * 104729) % 600)::int AS s,
                 round((100 + (p * 37) % 30000)::numeric, 2) AS amt
          FROM generate_series(1, {PROJECTS}) p) g;
    SELECT setval(pg_get_serial_sequence('projects_project', 'id'), {PROJECTS});

    INSERT INTO projects_monthlyfunds (project_id, month, amount, updated_at)
    SELECT p, (DATE '{YEAR - 1}-01-01' + make_interval(months => (p + k * 2) % 24))::date,
           round(((p + k) % 500 + 1)::numeric, 2), now()
    FROM generate_series(1, {PROJECTS}) p, generate_series(0, {MONTHS_PER_PROJECT - 1}) k;
    """
    with conn.cursor() as cur:
        cur.execute(sql)


def fill_totals():
    """The totals as the services keep them, built here in one pass (the same rows, summed once)."""
    from zhaoshang.projects import totals

    totals.rebuild_all()


def time_it(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhaoshang")
    if not base.startswith("postgres"):
        sys.exit("province.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    server, name = base.rsplit("/", 1)
    name = f"{name}_province"
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    os.environ.setdefault("ZHAOSHANG_DEMO", "1")  # a throwaway database: the demo key will do
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (args.reuse and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
            exists = None
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if not exists:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=False) as conn:
            build(conn)
            conn.commit()
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        fill_totals()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        print(f"totals in {time.perf_counter() - started:.0f} s", flush=True)

    from zhaoshang.org.models import Unit
    from zhaoshang.progress.period import ALL_FIELDS
    from zhaoshang.progress.report import period_report
    from zhaoshang.projects import totals
    from zhaoshang.projects.models import MonthlyFunds, Project, UnitMonthTotal

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM org_unit")
        units = cur.fetchone()[0]
    print(
        f"units {units}, projects {Project.objects.count():,}, 到位资金 rows {MonthlyFunds.objects.count():,}, "
        f"total rows {UnitMonthTotal.objects.count():,}"
    )
    root = Unit.objects.get(parent=None)
    code = "domestic_arrived_wan"

    def fast():
        report = period_report(root, PERIOD)
        return report.ranking(code)

    def slow():
        """The same ranking, with the figures aggregated from the monthly rows and the projects."""
        months = {date(YEAR, m, 1) for m in range(1, PERIOD.month + 1)}
        rows = totals.compute_unit_rows(None, months)
        report = period_report(root, PERIOD)
        own: dict = {}
        for (unit_id, _), values in rows.items():
            target = own.setdefault(unit_id, dict.fromkeys(ALL_FIELDS, 0))
            for field, value in values.items():
                target[field] += value or 0
        from zhaoshang.progress.period import _roll_up, indicator_values

        rolled = _roll_up(report.units, own)
        for unit in report.units:
            report.figures[unit.pk].ytd = indicator_values(rolled.get(unit.pk, {}), ytd=True)
        return report.ranking(code)

    fast_result, slow_result = fast(), slow()
    fast_ytd = {r.unit.pk: r.progress.ytd for g in fast_result for r in g.rows}
    slow_ytd = {r.unit.pk: r.progress.ytd for g in slow_result for r in g.rows}
    assert fast_ytd == slow_ytd, "the two paths disagree"
    fast_s = time_it(fast, args.runs)
    slow_s = time_it(slow, max(1, args.runs // 2))
    print(
        f"ranking of {PERIOD:%Y-%m} ({code}), median: from totals {fast_s * 1000:.0f} ms, "
        f"from monthly rows {slow_s * 1000:.0f} ms, ratio {slow_s / fast_s:.1f}× (budget ≥ 20×)"
    )


if __name__ == "__main__":
    main()
