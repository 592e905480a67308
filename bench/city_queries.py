"""City scale on PostgreSQL, the queries of issue 15 part 2: the approvals list, the audit log, the ledger's text
search and the monthly grid, each timed through Django's in-process client as the user who reads it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhaoshang .venv/bin/python bench/city_queries.py [--reuse]

It builds its own database `<name>_cityq` (dropped first, unless --reuse finds it) with SQL generate_series:
161 units (a city, 8 counties of 10 towns and 6 departments each, 6 city departments, 18 teams), 30,000 projects
over three years, about 122,000 approval steps, 386,000 monthly rows and 544,000 audit entries. --explain prints
EXPLAIN ANALYZE of the main query of each page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNTIES, TOWNS, DEPTS, TEAMS = 8, 10, 6, 18
PROJECTS = 30_000
AUDIT = 544_000
DEPT_NAMES = ["发改局", "自然资源局", "生态环境局", "住建局", "工信局", "应急局"]
INDUSTRIES = [
    "光伏组件", "锂电池", "新材料", "智能制造", "食品加工", "物流园", "数据中心", "生物医药",
    "汽车零部件", "纺织服装", "精细化工", "装配式建筑", "冷链仓储", "电子信息", "文旅康养",
]  # fmt: skip
PLACES = ["江苏", "浙江", "广东", "上海", "北京", "山东", "福建", "湖北", "四川", "安徽", "河南", "湖南"]


def sql_array(items) -> str:
    return "ARRAY[" + ", ".join(f"'{item}'" for item in items) + "]"


def build_sql(year: int) -> str:
    per_county = 1 + TOWNS + DEPTS
    first_town = 2 + COUNTIES * per_county + DEPTS  # after the counties' blocks and the city's departments
    industries, places, depts = sql_array(INDUSTRIES), sql_array(PLACES), sql_array(DEPT_NAMES)
    steps = sql_array(["立项/备案", "用地预审", "环评", "能评", "土地出让", "规划许可", "施工许可"])
    start = f"DATE '{year - 2}-01-01'"
    return f"""
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    VALUES (1, '示范市', '市', NULL, NULL, 0, true, '/1/');
    -- each county c: id 2 + (c-1)*{per_county}, its towns and departments after it
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT 2 + (c - 1) * {per_county}, '县区' || c, '县区', 1, NULL, c, true,
           '/1/' || (2 + (c - 1) * {per_county}) || '/'
    FROM generate_series(1, {COUNTIES}) c;
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT 2 + (c - 1) * {per_county} + k, CASE WHEN k <= {TOWNS} THEN '县区' || c || '乡镇' || k
               ELSE '县区' || c || ({depts})[k - {TOWNS}] END,
           CASE WHEN k <= {TOWNS} THEN '乡镇' ELSE '部门' END, 2 + (c - 1) * {per_county}, NULL, k, true,
           '/1/' || (2 + (c - 1) * {per_county}) || '/' || (2 + (c - 1) * {per_county} + k) || '/'
    FROM generate_series(1, {COUNTIES}) c, generate_series(1, {TOWNS + DEPTS}) k;
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT {first_town - DEPTS - 1} + d, '市' || ({depts})[d], '部门', 1, NULL, 100 + d, true,
           '/1/' || ({first_town - DEPTS - 1} + d) || '/'
    FROM generate_series(1, {DEPTS}) d;
    INSERT INTO org_unit (id, name, kind, parent_id, group_id, sort_order, is_active, path)
    SELECT {first_town - 1} + t, '招商小分队' || t, '招商小分队', 1, NULL, 200 + t, true,
           '/1/' || ({first_town - 1} + t) || '/'
    FROM generate_series(1, {TEAMS}) t;
    SELECT setval(pg_get_serial_sequence('org_unit', 'id'), (SELECT max(id) FROM org_unit));

    INSERT INTO projects_project (id, code, name, investor, credit_code, funding_type, responsible_unit_id, team_id,
        leader_in_charge, industry_chain, stage, signed_on, contract_amount, planned_total, started_on, production_on,
        key_level, dropped_reason, first_signed_month, is_major, created_at, updated_at)
    SELECT p, 'XM' || to_char(s, 'YYYY') || lpad(p::text, 6, '0'),
        ({places})[1 + (p * 7) % 12] || ({industries})[1 + (p * 13) % 15]
            || (ARRAY['项目', '产业园项目', '生产线项目', '扩建项目', '基地项目'])[1 + p % 5] || p,
        ({places})[1 + (p * 11) % 12] || ({industries})[1 + (p * 17) % 15] || '有限公司' || (p % 997),
        '', CASE WHEN p % 10 = 0 THEN '外资' ELSE '内资' END,
        2 + ((p % {COUNTIES}) * {per_county}) + 1 + (p / {COUNTIES}) % {TOWNS},
        CASE WHEN p % 3 = 0 THEN {first_town} + p % {TEAMS} END, '', '',
        (ARRAY['线索', '在谈', '签约', '注册', '开工', '投产', '终止', '签约', '开工', '开工'])[1 + p % 10],
        CASE WHEN p % 10 NOT IN (0, 1) THEN s END, amt, amt,
        CASE WHEN p % 10 IN (4, 5, 8, 9) THEN s + 60 END, CASE WHEN p % 10 = 5 THEN s + 300 END,
        CASE WHEN p % 4 = 0 THEN '县重点' WHEN p % 9 = 0 THEN '市重点' ELSE '' END,
        CASE WHEN p % 10 = 6 THEN '投资方撤回' ELSE '' END,
        CASE WHEN p % 10 NOT IN (0, 1) THEN date_trunc('month', s)::date END, amt >= 10000,
        s::timestamptz, s::timestamptz
    FROM (SELECT p, {start} + ((p::bigint * 104729) % 1000)::int AS s,
                 round((100 + (p * 37) % 30000)::numeric, 2) AS amt
          FROM generate_series(1, {PROJECTS}) p) g;
    SELECT setval(pg_get_serial_sequence('projects_project', 'id'), {PROJECTS});

    -- approval steps: four or five of the seven standard ones for each project, the county's departments
    INSERT INTO construction_approvalstep (project_id, name, sort_order, department_id, planned_on, filed_on, done_on,
        note, days_taken, updated_at)
    SELECT p.id, st.name, st.k * 10, 2 + ((p.id % {COUNTIES}) * {per_county}) + {TOWNS} + 1 + (st.k - 1) % {DEPTS},
        pl, CASE WHEN (p.id + st.k) % 20 < 16 THEN pl - 40 END,
        CASE WHEN (p.id + st.k) % 20 < 12 THEN pl - 40 + ((p.id * st.k) % 70)::int END, '',
        CASE WHEN (p.id + st.k) % 20 < 12 THEN ((p.id * st.k) % 70)::int END, now()
    FROM projects_project p
    CROSS JOIN LATERAL (SELECT k, ({steps})[k] AS name FROM generate_series(1, 4 + (p.id % 3 = 0)::int) k) st
    CROSS JOIN LATERAL (SELECT p.created_at::date + st.k * 45 AS pl) d;

    INSERT INTO projects_monthlyfunds (project_id, month, amount, updated_at)
    SELECT p.id, (date_trunc('month', p.signed_on) + make_interval(months => k))::date,
           round(((p.id + k) % 500 + 1)::numeric, 2), now()
    FROM projects_project p, generate_series(0, 15) k
    WHERE p.signed_on IS NOT NULL AND (p.id + k) % 3 <> 0
      AND date_trunc('month', p.signed_on) + make_interval(months => k) < DATE '{year}-12-01';
    INSERT INTO projects_monthlyinvestment (project_id, month, amount, updated_at)
    SELECT p.id, (date_trunc('month', p.signed_on) + make_interval(months => k))::date,
           round(((p.id * 3 + k) % 800 + 1)::numeric, 2), now()
    FROM projects_project p, generate_series(0, 20) k
    WHERE p.signed_on IS NOT NULL AND p.key_level <> ''
      AND date_trunc('month', p.signed_on) + make_interval(months => k) < DATE '{year}-12-01';

    INSERT INTO audit_auditentry (created_at, actor_name, action, target_type, target_id, target_repr, data, source,
        ip, actor_id, unit_id)
    SELECT TIMESTAMPTZ '{year - 2}-01-01 08:00+08' + make_interval(secs => i * (3 * 365 * 86400.0 / {AUDIT})),
        '填报员' || (i % 137),
        (ARRAY['project.updated', 'funds.set', 'investment.set', 'project.stage_changed', 'auth.login'])[1 + i % 5],
        'project', (1 + i % {PROJECTS})::text, pr.code || ' ' || pr.name,
        CASE i % 5
          WHEN 0 THEN jsonb_build_object('投资方', jsonb_build_array(pr.investor, pr.investor || '(更名)'))
          WHEN 1 THEN jsonb_build_object('月份', '2025-03', '到位资金', jsonb_build_array('', (i % 500)::text))
          WHEN 2 THEN jsonb_build_object('月份', '2025-04', '完成投资', jsonb_build_array('12.00', (i % 800)::text))
          WHEN 3 THEN jsonb_build_object('项目阶段', jsonb_build_array('签约', '开工'))
          ELSE '{{}}'::jsonb END,
        (ARRAY['page', 'page', 'import', 'page', 'page'])[1 + i % 5], '10.0.0.1', NULL, pr.responsible_unit_id
    FROM generate_series(1, {AUDIT}) i JOIN projects_project pr ON pr.id = 1 + i % {PROJECTS};
    """


def make_users():
    from zhaoshang.org.models import Membership, Role, Unit, User

    root = Unit.objects.get(parent=None)
    county = Unit.objects.get(name="县区1")
    town = Unit.objects.get(name="县区1乡镇3")
    dept = Unit.objects.get(name="县区1自然资源局")
    users = {}
    for name, unit, role in (
        ("city_bureau", root, Role.BUREAU_ADMIN),
        ("county_bureau", county, Role.BUREAU_ADMIN),
        ("town_reporter", town, Role.REPORTER),
        ("dept_reporter", dept, Role.REPORTER),
        ("city_auditor", root, Role.AUDITOR),
        ("county_auditor", county, Role.AUDITOR),
    ):
        user, _ = User.objects.get_or_create(username=name, defaults={"full_name": name})
        Membership.objects.get_or_create(user=user, unit=unit, defaults={"role": role})
        users[name] = user
    return users


def time_page(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), len(queries), response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="only the pages whose address contains this, e.g. /approvals/")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhaoshang")
    if not base.startswith("postgres"):
        sys.exit("city_queries.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    server, name = base.rsplit("/", 1)
    name = f"{name}_cityq"
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from zhaoshang.core.periods import add_months, current_month, format_month

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)  # also applies a new migration to a reused database
    if not exists:
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(build_sql(current_month().year))
        from zhaoshang.projects import totals

        totals.rebuild_all()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    users = make_users()
    with connection.cursor() as cur:
        for table in ("projects_project", "construction_approvalstep", "audit_auditentry"):
            cur.execute(f"SELECT count(*) FROM {table}")
            print(f"{table}: {cur.fetchone()[0]:,}")
        cur.execute(
            "SELECT (SELECT count(*) FROM projects_monthlyfunds) + (SELECT count(*) FROM projects_monthlyinvestment)"
        )
        print(f"monthly rows: {cur.fetchone()[0]:,}")

    last = format_month(add_months(current_month(), -1))
    today = time.strftime("%Y-%m-%d")
    pages = [
        ("town_reporter", "/approvals/"),
        ("county_bureau", "/approvals/"),
        ("city_bureau", "/approvals/"),
        ("city_bureau", "/approvals/?page=40"),
        ("city_bureau", "/approvals/?status=已办结"),
        ("dept_reporter", "/approvals/"),
        ("city_auditor", "/audit/"),
        ("city_auditor", "/audit/?page=10880"),  # the last page by OFFSET before; ignored (the first page) now
        ("city_auditor", "/audit/?before=oldest"),  # the oldest page by its key now; the first page before
        ("city_auditor", "/audit/?q=光伏组件"),
        ("city_auditor", "/audit/?q=XM2025001234"),
        ("city_auditor", f"/audit/?date_from={today}&date_to={today}"),
        ("city_auditor", "/audit/?date_from=2025-03-01&date_to=2025-03-01"),
        ("county_auditor", "/audit/?q=有限公司77"),
        ("city_bureau", "/projects/"),
        ("city_bureau", "/projects/?q=光伏组件"),
        ("city_bureau", "/projects/?q=有限公司77"),
        ("city_bureau", "/projects/?q=XM2025001234"),
        ("town_reporter", "/projects/?q=锂电池"),
        ("town_reporter", f"/report/?month={last}"),
    ]
    # The biggest unit's grid: the bureau of a county asks for its busiest town.
    from zhaoshang.org.models import Unit
    from zhaoshang.projects.models import Project

    busiest = Unit.objects.get(
        pk=Project.objects.values("responsible_unit")
        .order_by()
        .annotate(n=django.db.models.Count("pk"))
        .order_by("-n")[0]["responsible_unit"]
    )
    pages.append(("city_bureau", f"/report/?month={last}&unit={busiest.pk}"))
    clients = {}
    print(f"{'user':<16}{'page':<58}{'ms':>8}{'queries':>9}")
    for who, url in pages:
        if args.only not in url:
            continue
        client = clients.get(who)
        if client is None:
            client = clients[who] = Client()
            client.force_login(users[who])
        ms, n, response = time_page(client, url, args.runs)
        print(f"{who:<16}{url:<58}{ms:>8.1f}{n:>9}", flush=True)


if __name__ == "__main__":
    main()
