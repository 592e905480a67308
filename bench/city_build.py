"""The city install of issue 15, built fast on PostgreSQL: 示范市 with ten counties, ~30,000 projects over three
years, their monthly figures, annual plans, approval steps and the audit entries each write would have left,
then the totals rebuilt once from the rows, targets, campaigns, a few problems and meetings, issued bulletins.

The rows come from the demo seeder's own generators (`DemoBuilder.project_values`, `seed_construction.
project_steps`, the same figure rules as `DemoBuilder.build_figures`) with each county's units standing in for
the demo county's names; they are written with PostgreSQL's COPY, not the per-row services. The few things made
through the services (problems, meetings, bulletins) are those that are few in a real city too.

Called by bench/city.py after django.setup(); `build(scale)` returns the counts.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import add_months, month_start, months_between
from zhaoshang.demo import names, seed_construction, seed_coordination, seed_meetings, seed_progress
from zhaoshang.demo.seed import DEMO_PASSWORD, USD_RATES, DemoBuilder
from zhaoshang.org import tree
from zhaoshang.org.models import AssessmentGroup, Membership, Role, Unit, UnitKind, User
from zhaoshang.projects import rules, totals
from zhaoshang.projects.models import (
    AnnualPlan,
    KeyLevel,
    MonthlyFunds,
    MonthlyInvestment,
    Project,
    Stage,
    StageChange,
    UsdRate,
)
from zhaoshang.reporting.models import UnitMonthReport

CITY = "示范市"
# Ten counties of uneven size (their share of the projects): a big district, a few middling, some small.
COUNTIES = [
    ("示范区", 1.8),
    ("东城区", 1.4),
    ("西山县", 1.2),
    ("南湖县", 1.1),
    ("北岭县", 1.0),
    ("清河县", 0.9),
    ("临江县", 0.8),
    ("青松县", 0.7),
    ("桃源县", 0.6),
    ("凤鸣县", 0.5),
]
# Each county's 15 units: the demo county's names, fewer of each (10 × 16 + the city = 161 units).
TOWNS = names.TOWNS[:5]
STREETS = names.STREETS[:1]
PARKS = ["经济开发区", "高新技术产业园"]
BUREAU_OFFICE = "投资促进中心"
DEPARTMENTS = ["发展和改革局", "自然资源和规划局", "住房和城乡建设局", "生态环境分局"]
TEAMS = names.TEAMS[:2]
PROJECTS = 30_000
# The share of months a signed project reports no 到位资金 (the demo's 0.35 gives a city ~250k rows, not 386k).
FUNDS_GAP = 0.05
# The share of the signed projects of 1,000 万 or more the demo leaves unlisted that a city lists as 县重点: with the
# demo's own listing it gives the issue's ~8.6k key projects of 30k (0.55 gave 10.9k).
KEY_SHARE = 0.35
YEARS = 3
GROUPS = [("乡镇街道组", 3, 2), ("园区组", 1, 1), ("部门组", 2, 1), ("招商小分队组", 2, 2)]
# The demo's department names, as seed_construction plans the steps with them.
STEP_DEPARTMENTS = {
    seed_construction.FGJ: "发展和改革局",
    seed_construction.ZRJ: "自然资源和规划局",
    seed_construction.ZJJ: "住房和城乡建设局",
    seed_construction.STHJ: "生态环境分局",
}


@dataclass
class County:
    index: int
    root: Unit
    units: dict  # the county's own short names (城关镇, 经济开发区, 发展和改革局 …) → Unit
    stand_ins: dict  # every name DemoBuilder.project_values draws → one of this county's units
    departments: dict  # seed_construction's department names → this county's departments


def copy_rows(model, columns: list[str], rows) -> int:
    """Rows (tuples in `columns` order, values as PostgreSQL reads them) written with COPY; the id sequence moved
    past the ids given."""
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if "id" in columns:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    return count


def copy_objects(model, objects: list) -> int:
    """Unsaved model instances written with COPY, given ids first (after the table's highest) so that rows
    referring to them can be made."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        next_id = cursor.fetchone()[0] + 1
    for obj in objects:
        obj.pk, next_id = next_id, next_id + 1
    fields = model._meta.concrete_fields

    def values(obj):
        # A time set by the builder is kept; an empty auto_now_add takes now, as a save would.
        return tuple(f.get_db_prep_save(f.pre_save(obj, getattr(obj, f.attname) is None), connection) for f in fields)

    return copy_rows(model, [f.attname for f in fields], (values(o) for o in objects))


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59))))


class CityBuilder:
    def __init__(self, *, scale: float, today: date, seed: int = 15):
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.last_month = add_months(month_start(today), -1)
        self.first_day = date(today.year - YEARS + 1, 1, 1)
        self.demo = DemoBuilder(seed=seed, today=today)
        self.demo.first_day = self.first_day  # three years of history, not the demo's two
        self.demo.rng = self.rng
        self.audit: list[tuple] = []  # (created_at, actor_id, actor_name, unit_id, action, type, id, repr, data)
        self.next_audit_id = 1

    # ----- organisation and accounts -----
    def build_org(self) -> tuple[Unit, list[County]]:
        def add(name, kind, parent, group, order):
            unit = Unit(name=name, kind=kind, parent=parent, group=group, sort_order=order)
            tree.save_with_path(unit)
            return unit

        root = add(CITY, UnitKind.CITY, None, None, 0)
        county_group = AssessmentGroup.objects.create(name="县区组", owner=root, red_top_n=3, black_bottom_m=2)
        counties = []
        for index, (county_name, _) in enumerate(COUNTIES):
            county = add(county_name, UnitKind.COUNTY, root, county_group, index)
            groups = {
                name: AssessmentGroup.objects.create(
                    name=name, owner=county, red_top_n=top, black_bottom_m=bottom, sort_order=order
                )
                for order, (name, top, bottom) in enumerate(GROUPS)
            }
            units = {}
            plan = (
                [(n, UnitKind.TOWN, "乡镇街道组") for n in TOWNS]
                + [(n, UnitKind.STREET, "乡镇街道组") for n in STREETS]
                + [(n, UnitKind.PARK, "园区组") for n in PARKS]
                + [(BUREAU_OFFICE, UnitKind.DEPARTMENT, None)]  # the bureau's own office is not ranked
                + [(n, UnitKind.DEPARTMENT, "部门组") for n in DEPARTMENTS]
                + [(n, UnitKind.TEAM, "招商小分队组") for n in TEAMS]
            )
            for order, (short, kind, group) in enumerate(plan):
                units[short] = add(f"{county_name}{short}", kind, county, groups.get(group), order)
            stand_ins = {}
            for i, name in enumerate(names.TOWNS):
                stand_ins[name] = units[TOWNS[i % len(TOWNS)]]
            for name in names.STREETS:
                stand_ins[name] = units[STREETS[0]]
            for i, name in enumerate(names.PARKS):
                stand_ins[name] = units[PARKS[i % len(PARKS)]]
            for name in names.DEPARTMENTS[1:4]:
                stand_ins[name] = units["发展和改革局"]
            for i, name in enumerate(names.TEAMS):
                stand_ins[name] = units[TEAMS[i % len(TEAMS)]]
            departments = {demo: units[short] for demo, short in STEP_DEPARTMENTS.items()}
            counties.append(County(index, county, units, stand_ins, departments))
        return root, counties

    def build_accounts(self, root: Unit, counties: list[County]) -> dict[str, User]:
        """One account per role and unit, all with the demo's password (hashed once). The first (biggest)
        county's accounts also carry the demo's names (reporter, unithead, zrj, …) so bench_pages' list reads
        the same; the city's are bureau, leader, auditor, sysadmin."""
        probe = User(username="probe")
        probe.set_password(DEMO_PASSWORD)
        accounts = [
            ("bureau", "示范市投资促进局管理员", root, Role.BUREAU_ADMIN),
            ("leader", "市领导", root, Role.LEADER),
            ("auditor", "市审计员", root, Role.AUDITOR),
            ("sysadmin", "系统管理员", root, Role.SYSTEM_ADMIN),
        ]
        for county in counties:
            c, name = county.index, county.root.name
            accounts += [
                (f"bureau{c}", f"{name}投资促进中心管理员", county.root, Role.BUREAU_ADMIN),
                (f"leader{c}", f"{name}领导", county.root, Role.LEADER),
                (f"auditor{c}", f"{name}审计员", county.root, Role.AUDITOR),
            ]
            for unit in county.units.values():
                if unit.kind == UnitKind.TEAM:
                    continue
                accounts.append((f"r{c}_{unit.sort_order}", f"{unit.name}填报员", unit, Role.REPORTER))
                if unit.kind in (UnitKind.TOWN, UnitKind.STREET, UnitKind.PARK):
                    accounts.append((f"h{c}_{unit.sort_order}", f"{unit.name}负责人", unit, Role.UNIT_HEAD))
        first = counties[0].units
        aliases = {  # the demo's names, on the biggest county
            "reporter": (first[TOWNS[0]], Role.REPORTER),
            "unithead": (first[TOWNS[0]], Role.UNIT_HEAD),
            "kfq_reporter": (first[PARKS[0]], Role.REPORTER),
            "fgj": (first["发展和改革局"], Role.REPORTER),
            "zrj": (first["自然资源和规划局"], Role.REPORTER),
            "zjj": (first["住房和城乡建设局"], Role.REPORTER),
            "sthj": (first["生态环境分局"], Role.REPORTER),
        }
        accounts += [(username, f"{unit.name}（{username}）", unit, role) for username, (unit, role) in aliases.items()]
        users = [User(username=u, full_name=f, password=probe.password) for u, f, _, _ in accounts]
        User.objects.bulk_create(users)
        Membership.objects.bulk_create(
            [
                Membership(user=user, unit=unit, role=role)
                for user, (_, _, unit, role) in zip(users, accounts, strict=True)
            ]
        )
        return {u.username: u for u in users}

    # ----- audit entries, collected and written at the end -----
    def log(self, when: datetime, actor: User, unit_id, action, target_type, target_id, target_repr, data):
        self.audit.append(
            (
                self.next_audit_id,
                when,
                actor.pk,
                actor.username,
                unit_id,
                action,
                target_type,
                str(target_id),
                target_repr[:255],
                json.dumps(data, ensure_ascii=False),
                Source.IMPORT if action in ("funds.set", "investment.set", "plan.set") else Source.PAGE,
            )
        )
        self.next_audit_id += 1

    # ----- projects -----
    def build_projects(self, counties: list[County], users: dict) -> list[Project]:
        weights = [w for _, w in COUNTIES]
        wanted = max(len(counties), round(PROJECTS * self.scale))
        projects, histories = [], []
        for index in range(wanted):
            county = counties[self.rng.choices(range(len(counties)), weights=weights)[0]]
            values = self.demo.project_values(index, county.stand_ins)
            history = values.pop("_history")
            values["code"] = f"XM{history[0][1].year}{index + 1:05d}"
            # A city lists more key projects than the demo county (8.6k of 30k in the issue's install).
            planned = values.get("planned_total") or 0
            if not values["key_level"] and rules.reached(values["stage"], Stage.SIGNED) and planned >= 1000:
                values["key_level"] = KeyLevel.COUNTY if self.rng.random() < KEY_SHARE else ""
            errors = rules.consistency_errors(values, today=self.today)
            assert not errors, (values["code"], errors)
            project = Project(**values)
            project.first_signed_month = month_start(project.signed_on) if project.signed_on else None
            rate = USD_RATES.get(project.signed_on.year if project.signed_on else self.today.year, Decimal("7.1"))
            project.is_major = rules.is_major(project.funding_type, project.contract_amount, rate)
            project.created_at = _at(history[0][1], self.rng)
            projects.append(project)
            histories.append((county, history))
        copy_objects(Project, projects)
        changes = []
        for project, (county, history) in zip(projects, histories, strict=True):
            actor = users[f"r{county.index}_{project.responsible_unit.sort_order}"]
            previous = ""
            for stage, day in history:
                changes.append(
                    StageChange(
                        project=project,
                        from_stage=previous,
                        to_stage=stage,
                        changed_on=day,
                        actor=actor,
                        reason=project.dropped_reason if stage == Stage.DROPPED else "",
                        created_at=_at(day, self.rng),
                    )
                )
                previous = stage
            self.log(
                project.created_at,
                actor,
                project.responsible_unit_id,
                "project.created",
                "projects.project",
                project.pk,
                str(project),
                {"code": [None, project.code], "stage": [None, history[0][0]]},
            )
        copy_objects(StageChange, changes)
        return projects

    # ----- monthly figures: DemoBuilder.build_figures' rules, written as rows -----
    def build_figures(self, projects: list[Project], users: dict, county_of: dict) -> tuple[int, int, int]:
        rng, now = self.rng, timezone.now()
        funds, plans, investments = [], [], []

        def audit(project, action, where, amount, day):
            actor = users[f"r{county_of[project.responsible_unit_id]}_{project.responsible_unit.sort_order}"]
            self.log(
                _at(day, rng),
                actor,
                project.responsible_unit_id,
                action,
                "projects.project",
                project.pk,
                str(project),
                {**where, "amount": [None, str(amount)]},
            )

        for project in projects:
            if not project.signed_on or self.last_month < month_start(project.signed_on):
                continue
            months = months_between(project.signed_on, self.last_month)
            share = Decimal(str(rng.uniform(0.3, 0.9))) if project.stage != Stage.DROPPED else Decimal("0.1")
            remaining = project.contract_amount * share
            for month in months:
                if remaining <= 0 or rng.random() < FUNDS_GAP:
                    continue
                part = (remaining * Decimal(str(rng.uniform(0.1, 0.5)))).quantize(Decimal("0.01"))
                if part <= 0:
                    continue
                remaining -= part
                funds.append((project.pk, month, part, now))
                audit(project, "funds.set", {"month": month.isoformat()}, part, add_months(month, 1))
            if project.key_level:
                start = month_start(project.started_on or project.signed_on)
                for year in range(max(project.signed_on.year, self.first_day.year), self.today.year + 1):
                    plan = (project.planned_total * Decimal(str(rng.uniform(0.25, 0.55)))).quantize(Decimal("1.00"))
                    plans.append((project.pk, year, plan, now))
                    audit(project, "plan.set", {"year": year}, plan, max(date(year, 1, 15), project.signed_on))
                    pace = Decimal(str(rng.uniform(0.75, 1.35)))
                    for month in months_between(max(start, date(year, 1, 1)), min(self.last_month, date(year, 12, 1))):
                        if rng.random() < 0.15:
                            continue
                        value = (plan / 12 * pace * Decimal(str(rng.uniform(0.6, 1.4)))).quantize(Decimal("0.01"))
                        investments.append((project.pk, month, value, now))
                        audit(project, "investment.set", {"month": month.isoformat()}, value, add_months(month, 1))
        columns = ["project_id", "month", "amount", "updated_at"]
        copy_rows(MonthlyFunds, columns, funds)
        copy_rows(AnnualPlan, ["project_id", "year", "amount", "updated_at"], plans)
        copy_rows(MonthlyInvestment, columns, investments)
        return len(funds), len(investments), len(plans)

    # ----- closed months and 上报 -----
    def build_months(self, counties: list[County], users: dict) -> int:
        closed = months_between(self.first_day, add_months(self.last_month, -1))
        rows, reports = [], []
        for county in counties:
            bureau = users[f"bureau{county.index}"]
            rows += [
                ClosedMonth(
                    month=m,
                    unit=county.root,
                    closed_by=bureau,
                    closed_at=_at(add_months(m, 1) + timedelta(days=14), self.rng),
                )
                for m in closed
            ]
            for unit in county.units.values():
                if unit.kind == UnitKind.TEAM:
                    continue
                head = users.get(f"h{county.index}_{unit.sort_order}") or bureau
                for month in [*closed, self.last_month]:
                    if month == self.last_month and self.rng.random() > 0.65:
                        continue
                    when = add_months(month, 1) + timedelta(days=self.rng.randint(0, 12))
                    when = min(when, self.today - timedelta(days=1))
                    reports.append(
                        UnitMonthReport(unit=unit, month=month, confirmed_by=head, confirmed_at=_at(when, self.rng))
                    )
        copy_objects(ClosedMonth, rows)
        copy_objects(UnitMonthReport, reports)
        return len(closed)

    # ----- approval steps -----
    def build_approvals(self, projects: list[Project], counties: list[County], users: dict, county_of: dict) -> int:
        steps = []
        for project in projects:
            if project.stage not in seed_construction.STAGES or project.signed_on is None:
                continue
            if project.started_on is None and (self.today - project.signed_on).days < 20 and self.rng.random() < 0.6:
                continue
            county = counties[county_of[project.responsible_unit_id]]
            for step in seed_construction.project_steps(self.rng, project, self.today, county.departments):
                step.project = project
                steps.append(step)
        copy_objects(ApprovalStep, steps)
        for step in steps:
            county = county_of[step.project.responsible_unit_id]
            actor = users[f"r{county}_{step.department.sort_order}"]
            self.log(
                _at(step.project.signed_on + timedelta(days=3), self.rng),
                actor,
                step.project.responsible_unit_id,
                "approval.created",
                "construction.approvalstep",
                step.pk,
                f"{step.project.code} {step.name}",
                {"name": [None, step.name]},
            )
        return len(steps)

    def write_audit(self) -> int:
        columns = [
            "id",
            "created_at",
            "actor",
            "actor_name",
            "unit",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "data",
            "source",
        ]
        self.audit.sort(key=lambda row: row[1])  # ids in time order, as a live install writes them
        rows = [(i + 1, *row[1:]) for i, row in enumerate(self.audit)]
        return copy_rows(AuditEntry, columns, rows)


def build(scale: float, today: date, say=print) -> dict:
    """The whole city; returns its counts. `say` reports each phase's time."""
    import time

    started = time.perf_counter()

    def phase(name):
        say(f"  {name:<34}{time.perf_counter() - started:6.1f} s", flush=True)

    builder = CityBuilder(scale=scale, today=today)
    with transaction.atomic():
        root, counties = builder.build_org()
        users = builder.build_accounts(root, counties)
        for year, rate in USD_RATES.items():
            UsdRate.objects.create(year=year, rate=rate)
        phase("units and accounts")
        county_of = {unit.pk: county.index for county in counties for unit in [county.root, *county.units.values()]}
        projects = builder.build_projects(counties, users)
        phase(f"{len(projects):,} projects")
        funds, investments, plans = builder.build_figures(projects, users, county_of)
        phase(f"{funds + investments:,} monthly rows")
        builder.build_months(counties, users)
        steps = builder.build_approvals(projects, counties, users, county_of)
        phase(f"{steps:,} approval steps")
        entries = builder.write_audit()
        phase(f"{entries:,} audit entries")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    totals.rebuild_all()  # the rows were loaded around the services, which keep the totals as they write
    phase("totals rebuilt")
    rng = builder.rng
    bureau = users["bureau"]
    with transaction.atomic():
        seed_progress.seed_targets(rng, root, builder.last_month)
        seed_progress.seed_campaigns(rng, root, today)
        seed_progress.seed_economy(rng, builder.last_month)
        problems = seed_coordination.seed_problems(rng, today, bureau)
        own_county_departments()
    phase("targets, campaigns, problems")
    # At the city: seed_problems hands problems to any department of the city, which a county's meeting may
    # not give a task to.
    seed_meetings.seed_meetings(rng, today, bureau, root)
    phase("dispatch meetings")
    bulletins = issue_bulletins(root, counties, users, builder.last_month)
    phase(f"{bulletins} bulletins issued")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    phase("vacuum analyze")
    return {
        "units": Unit.objects.count(),
        "projects": len(projects),
        "funds rows": funds,
        "investment rows": investments,
        "annual plans": plans,
        "approval steps": steps,
        "audit entries": AuditEntry.objects.count(),
        "problems": problems,
        "accounts": len(users),
    }


def counts_of() -> dict:
    """What a built city holds (for a database reused with --keep)."""
    from zhaoshang.coordination.models import Problem

    return {
        "units": Unit.objects.count(),
        "projects": Project.objects.count(),
        "funds rows": MonthlyFunds.objects.count(),
        "investment rows": MonthlyInvestment.objects.count(),
        "annual plans": AnnualPlan.objects.count(),
        "approval steps": ApprovalStep.objects.count(),
        "audit entries": AuditEntry.objects.count(),
        "problems": Problem.objects.count(),
        "accounts": User.objects.count(),
    }


def own_county_departments() -> None:
    """seed_problems hands a problem to any department it finds; in a city it goes to the department of the same
    name in the project's own county (a meeting gives tasks only to units of the project's county)."""
    from zhaoshang.coordination.models import Problem

    by_name = {u.name: u for u in Unit.objects.filter(kind=UnitKind.DEPARTMENT)}
    problems = list(
        Problem.objects.exclude(department=None).select_related(
            "department__parent", "project__responsible_unit__parent"
        )
    )
    for problem in problems:
        short = problem.department.name[len(problem.department.parent.name) :]
        problem.department = by_name[problem.project.responsible_unit.parent.name + short]
    Problem.objects.bulk_update(problems, ["department"])


def issue_bulletins(root, counties, users, last_month) -> int:
    from zhaoshang.bulletins.services import bulletin_issue

    issued = 0
    for month in (add_months(last_month, -2), add_months(last_month, -1)):
        bulletin_issue(actor=users["bureau"], unit=root, month=month, source=Source.COMMAND)
        issued += 1
    for county in counties:
        bulletin_issue(
            actor=users[f"bureau{county.index}"],
            unit=county.root,
            month=add_months(last_month, -1),
            source=Source.COMMAND,
        )
        issued += 1
    return issued
