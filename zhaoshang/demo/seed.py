"""Builds the demo county 示范县: units, groups, one account per role, ~300 projects over the previous and the
current year with their stage history, monthly 到位资金, key projects' plans and 完成投资, closed months and
unit confirmations.

The same seed and the same `today` always give the same data (tests rely on it). It loads in bulk for speed,
and writes the audit entries a real entry would have left (one per project created, one summary), with the
source "command".
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.core.creditcode import ALPHABET, check_character
from zhaoshang.core.periods import add_months, month_start, months_between
from zhaoshang.demo import (
    names,
    seed_assessment,
    seed_carriers,
    seed_chains,
    seed_construction,
    seed_coordination,
    seed_enterprises,
    seed_evidence,
    seed_frontline,
    seed_meetings,
    seed_observation,
    seed_outreach,
    seed_progress,
    seed_quality,
    seed_verification,
)
from zhaoshang.org import tree
from zhaoshang.org.models import AssessmentGroup, Membership, Role, Unit, UnitKind, User
from zhaoshang.projects import rules, totals
from zhaoshang.projects.models import (
    AnnualPlan,
    FundingType,
    KeyLevel,
    MonthlyFunds,
    MonthlyInvestment,
    Project,
    Stage,
    StageChange,
    UsdRate,
)
from zhaoshang.reporting.models import UnitMonthReport

DEMO_PASSWORD = "Demo@2026"
USD_RATES = {2024: Decimal("7.1200"), 2025: Decimal("7.1800"), 2026: Decimal("7.1000")}

# (username, full name, unit name or None for the county, role)
DEMO_ACCOUNTS = [
    ("reporter", "城关镇填报员", "城关镇", Role.REPORTER),
    ("unithead", "城关镇负责人", "城关镇", Role.UNIT_HEAD),
    ("bureau", "投资促进中心管理员", None, Role.BUREAU_ADMIN),
    ("leader", "县领导", None, Role.LEADER),
    ("sysadmin", "系统管理员", None, Role.SYSTEM_ADMIN),
    ("auditor", "审计员", None, Role.AUDITOR),
    ("kfq_reporter", "开发区填报员", "示范县经济开发区", Role.REPORTER),
    # The departments that handle approval steps (前期手续) record their own steps' dates.
    ("fgj", "发改局填报员", "示范县发展和改革局", Role.REPORTER),
    ("zrj", "自然资源局填报员", "示范县自然资源和规划局", Role.REPORTER),
    ("zjj", "住建局填报员", "示范县住房和城乡建设局", Role.REPORTER),
    ("sthj", "生态环境分局填报员", "示范县生态环境分局", Role.REPORTER),
]

STAGE_WEIGHTS = [
    (Stage.LEAD, 10),
    (Stage.NEGOTIATING, 12),
    (Stage.SIGNED, 16),
    (Stage.REGISTERED, 14),
    (Stage.STARTED, 26),
    (Stage.PRODUCING, 12),
    (Stage.DROPPED, 10),
]


@dataclass
class SeedResult:
    units: int
    projects: int
    funds_rows: int
    investment_rows: int
    closed_months: int


class DemoBuilder:
    def __init__(self, *, seed: int, today: date, project_count: int = 300):
        self.rng = random.Random(seed)
        self.today = today
        self.last_month = add_months(month_start(today), -1)
        self.first_day = date(today.year - 1, 1, 1)
        self.project_count = project_count
        self.used_codes: set[str] = set()

    # ----- organisation -----
    def build_org(self) -> dict[str, Unit]:
        groups = {}
        for order, (name, top, bottom) in enumerate(names.GROUPS):
            groups[name] = AssessmentGroup.objects.create(
                name=name, red_top_n=top, black_bottom_m=bottom, sort_order=order
            )
        units = {}

        def add(name, kind, parent, group, order):
            unit = Unit(name=name, kind=kind, parent=parent, group=groups.get(group), sort_order=order)
            tree.save_with_path(unit)
            units[name] = unit
            return unit

        root = add(names.COUNTY, UnitKind.COUNTY, None, None, 0)
        for i, name in enumerate(names.TOWNS):
            add(name, UnitKind.TOWN, root, "乡镇街道组", i)
        for i, name in enumerate(names.STREETS):
            add(name, UnitKind.STREET, root, "乡镇街道组", 20 + i)
        for i, name in enumerate(names.PARKS):
            add(name, UnitKind.PARK, root, "园区组", 40 + i)
        for i, name in enumerate(names.DEPARTMENTS):
            # The bureau's own office (投资促进中心, the first) assesses the departments: it is not ranked with them.
            add(name, UnitKind.DEPARTMENT, root, None if i == 0 else "部门组", 60 + i)
        for i, name in enumerate(names.TEAMS):
            add(name, UnitKind.TEAM, root, "招商小分队组", 80 + i)
        AssessmentGroup.objects.filter(pk__in=[g.pk for g in groups.values()]).update(owner=root)  # the county's
        return units

    def build_accounts(self, units: dict[str, Unit]) -> list[User]:
        users = []
        root = units[names.COUNTY]
        for username, full_name, unit_name, role in DEMO_ACCOUNTS:
            user = User(username=username, full_name=full_name, is_superuser=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.create(user=user, unit=units[unit_name] if unit_name else root, role=role)
            users.append(user)
        return users

    # ----- projects -----
    def credit_code(self) -> str:
        while True:
            body = (
                "91"
                + self.rng.choice(names.REGION_CODES)
                + "".join(self.rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
            )
            code = body + check_character(body)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def investor(self, foreign: bool) -> str:
        word = self.rng.choice(names.INVESTOR_WORDS) + self.rng.choice(names.INVESTOR_WORDS)
        if foreign:
            return f"{self.rng.choice(names.FOREIGN_INVESTORS)}{word}投资有限公司"
        return f"{self.rng.choice(names.INVESTOR_PLACES)}{word}科技有限公司"

    def random_day(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def amount(self, low: float, high: float) -> Decimal:
        # Log-uniform: many small projects, a few large ones, as in a real county.
        value = low * (high / low) ** self.rng.random()
        return Decimal(str(round(value, 0 if value > 100 else 2))).quantize(Decimal("0.01"))

    def project_values(self, index: int, units: dict[str, Unit]) -> dict:
        rng = self.rng
        holders = names.TOWNS + names.STREETS + names.PARKS * 5 + names.DEPARTMENTS[1:4]
        unit = units[rng.choice(holders)]
        chain = rng.choice(list(names.CHAINS))
        product = rng.choice(names.CHAINS[chain])
        foreign = rng.random() < 0.15
        stage = rng.choices([s for s, _ in STAGE_WEIGHTS], weights=[w for _, w in STAGE_WEIGHTS])[0]
        dropped_after = None
        if stage == Stage.DROPPED:
            dropped_after = rng.choice([Stage.LEAD, Stage.NEGOTIATING, Stage.NEGOTIATING, Stage.SIGNED])
        reached_stage = dropped_after or stage
        created = self.random_day(self.first_day, self.today - timedelta(days=20))
        values = {
            "code": f"XM{created.year}{index + 1:04d}",
            "name": rng.choice(names.SCALES).format(n=rng.choice([5, 10, 20, 30, 50, 100, 200]))
            + product
            + rng.choice(names.SUFFIXES),
            "investor": self.investor(foreign),
            "credit_code": self.credit_code() if rng.random() < 0.9 else "",
            "funding_type": FundingType.FOREIGN if foreign else FundingType.DOMESTIC,
            "responsible_unit": unit,
            "team": units[rng.choice(names.TEAMS)] if rng.random() < 0.75 else None,
            "leader_in_charge": rng.choice(names.LEADERS),
            "industry_chain": chain,
            "stage": stage,
            "key_level": "",
            "dropped_reason": "",
        }
        history = [(Stage.LEAD, created)]
        day = created
        # Walk the stages in order; a stage whose earliest date would fall after today is not reached yet.
        gaps = {
            Stage.NEGOTIATING: (5, 90),
            Stage.SIGNED: (10, 150),
            Stage.REGISTERED: (7, 60),
            Stage.STARTED: (15, 240),
            Stage.PRODUCING: (90, 420),
        }
        for next_stage, (low, high) in gaps.items():
            if not rules.reached(reached_stage, next_stage) or day + timedelta(days=low) > self.today:
                break
            day = self.random_day(day + timedelta(days=low), min(day + timedelta(days=high), self.today))
            history.append((next_stage, day))
        last_stage = history[-1][0]
        by_stage = dict(history)
        if Stage.SIGNED in by_stage:
            values["signed_on"] = by_stage[Stage.SIGNED]
            values["contract_amount"] = self.amount(200, 6000) if foreign else self.amount(300, 40000)
            rate = USD_RATES.get(values["signed_on"].year, Decimal("7.1")) if foreign else Decimal(1)
            values["planned_total"] = (values["contract_amount"] * rate * Decimal(str(rng.uniform(0.8, 1.2)))).quantize(
                Decimal("1.00")
            )
        if Stage.STARTED in by_stage:
            values["started_on"] = by_stage[Stage.STARTED]
        if Stage.PRODUCING in by_stage:
            values["production_on"] = by_stage[Stage.PRODUCING]
        values["stage"] = stage = last_stage
        if dropped_after and day + timedelta(days=10) <= self.today:
            day = self.random_day(day + timedelta(days=10), min(day + timedelta(days=120), self.today))
            values["dropped_reason"] = rng.choice(
                ["投资方资金链紧张，暂缓投资", "用地指标未能落实", "投资方调整战略布局", "环评要求无法满足"]
            )
            values["stage"] = stage = Stage.DROPPED
            history.append((Stage.DROPPED, day))
        if rules.reached(stage, Stage.SIGNED) and values.get("planned_total", 0) >= 5000:
            roll = rng.random()
            values["key_level"] = (
                KeyLevel.PROVINCE
                if roll < 0.08
                else KeyLevel.CITY
                if roll < 0.25
                else KeyLevel.COUNTY
                if roll < 0.55
                else ""
            )
        values["_history"] = history
        return values

    def build_projects(self, units, actor) -> list[Project]:
        projects, histories = [], []
        for index in range(self.project_count):
            values = self.project_values(index, units)
            history = values.pop("_history")
            errors = rules.consistency_errors(values, today=self.today)
            assert not errors, (values["code"], errors)  # the generator must make only valid projects
            project = Project(**values)
            project.first_signed_month = month_start(project.signed_on) if project.signed_on else None
            rate = USD_RATES.get(project.signed_on.year if project.signed_on else self.today.year, Decimal("7.1"))
            project.is_major = rules.is_major(project.funding_type, project.contract_amount, rate)
            projects.append(project)
            histories.append(history)
        Project.objects.bulk_create(projects)
        changes = []
        for project, history in zip(projects, histories, strict=True):
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
                    )
                )
                previous = stage
        StageChange.objects.bulk_create(changes)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=actor,
                    actor_name=actor.username,
                    unit=p.responsible_unit,
                    action="project.created",
                    target_type="projects.project",
                    target_id=str(p.pk),
                    target_repr=str(p)[:255],
                    data={"code": [None, p.code], "stage": [None, p.stage], "note": "演示数据"},
                    source=Source.COMMAND,
                )
                for p in projects
            ]
        )
        return projects

    # ----- monthly figures -----
    def build_figures(self, projects) -> tuple[int, int]:
        rng = self.rng
        funds, plans, investments = [], [], []
        for project in projects:
            if not project.signed_on or self.last_month < month_start(project.signed_on):
                continue
            months = months_between(project.signed_on, self.last_month)
            share = Decimal(str(rng.uniform(0.3, 0.9))) if project.stage != Stage.DROPPED else Decimal("0.1")
            remaining = project.contract_amount * share
            for month in months:
                if remaining <= 0 or rng.random() < 0.35:
                    continue
                part = (remaining * Decimal(str(rng.uniform(0.1, 0.5)))).quantize(Decimal("0.01"))
                if part <= 0:
                    continue
                remaining -= part
                funds.append(MonthlyFunds(project=project, month=month, amount=part))
            if project.key_level:
                start = month_start(project.started_on or project.signed_on)
                for year in range(max(project.signed_on.year, self.first_day.year), self.today.year + 1):
                    plan = (project.planned_total * Decimal(str(rng.uniform(0.25, 0.55)))).quantize(Decimal("1.00"))
                    plans.append(AnnualPlan(project=project, year=year, amount=plan))
                    pace = Decimal(str(rng.uniform(0.75, 1.35)))
                    for month in months_between(max(start, date(year, 1, 1)), min(self.last_month, date(year, 12, 1))):
                        if rng.random() < 0.15:
                            continue
                        value = (plan / 12 * pace * Decimal(str(rng.uniform(0.6, 1.4)))).quantize(Decimal("0.01"))
                        investments.append(MonthlyInvestment(project=project, month=month, amount=value))
        MonthlyFunds.objects.bulk_create(funds, batch_size=1000)
        AnnualPlan.objects.bulk_create(plans, batch_size=1000)
        MonthlyInvestment.objects.bulk_create(investments, batch_size=1000)
        return len(funds), len(investments)

    # ----- closing and confirmations -----
    def build_months(self, units, bureau, unit_head) -> int:
        """Every month up to two months ago is closed and was reported by every unit; last month is open,
        with about two units in three having reported."""
        closed = months_between(self.first_day, add_months(self.last_month, -1))
        root = next(u for u in units.values() if u.parent_id is None)
        ClosedMonth.objects.bulk_create([ClosedMonth(month=m, unit=root, closed_by=bureau) for m in closed])
        reporting = [u for u in units.values() if u.parent_id and u.kind != UnitKind.TEAM]
        reports = [UnitMonthReport(unit=u, month=m, confirmed_by=unit_head) for m in closed for u in reporting]
        reports += [
            UnitMonthReport(unit=u, month=self.last_month, confirmed_by=unit_head)
            for u in reporting
            if u.name != "城关镇" and self.rng.random() < 0.65
        ]
        UnitMonthReport.objects.bulk_create(reports, batch_size=1000)
        # When each was confirmed: in the following month, most by the deadline day, two units habitually late
        # and now and then another; never after today. (confirmed_at is auto_now_add: set after the insert.)
        late_units = {u.pk for u in self.rng.sample(reporting, min(2, len(reporting)))}
        for report in reports:
            report.confirmed_at = self.confirmed_at(report, late=report.unit_id in late_units)
        UnitMonthReport.objects.bulk_update(reports, ["confirmed_at"], batch_size=1000)
        return len(closed)

    def confirmed_at(self, report, *, late: bool) -> datetime:
        deadline = settings.REPORT_DEADLINE_DAY
        if late or self.rng.random() < 0.06:
            day = self.rng.randint(deadline + 1, deadline + 10)
        else:
            day = self.rng.randint(1, deadline)
        due_month = add_months(report.month, 1)
        when = due_month.replace(day=day)
        if when >= self.today:
            when = self.random_day(min(due_month, self.today), self.today)
        moment = datetime(when.year, when.month, when.day, self.rng.randint(8, 17), self.rng.randint(0, 59))
        return timezone.make_aware(moment)

    @transaction.atomic
    def build(self) -> SeedResult:
        units = self.build_org()
        users = {u.username: u for u in self.build_accounts(units)}
        for year, rate in USD_RATES.items():
            UsdRate.objects.create(year=year, rate=rate)
        projects = self.build_projects(units, users["bureau"])
        funds, investments = self.build_figures(projects)
        closed = self.build_months(units, users["bureau"], users["unithead"])
        totals.rebuild_all()  # the bulk load bypassed the services, which keep the totals as they write
        seed_progress.seed_targets(self.rng, units[names.COUNTY], self.last_month)
        seed_progress.seed_campaigns(self.rng, units[names.COUNTY], self.today)
        seed_progress.seed_economy(self.rng, self.last_month)
        seed_construction.seed_approvals(self.rng, self.today, users["bureau"])
        seed_coordination.seed_problems(self.rng, self.today, users["bureau"])  # after the departments' accounts
        seed_meetings.seed_meetings(self.rng, self.today, users["bureau"], units[names.COUNTY])  # after the problems
        front_line = seed_frontline.seed_frontline(self.rng, self.today, units, users)  # last: it adds units
        chains = seed_chains.seed_chains(self.rng, self.today, units, users)  # maps the ledger's and leads' texts
        targets = seed_enterprises.seed_enterprises(self.today, units)  # after the chains and the front line
        carriers = seed_carriers.seed_carriers(self.rng, self.today, units)  # after: the data before it unchanged
        observation = seed_observation.seed_observation(self.rng, self.today, units[names.COUNTY], users["bureau"])
        outreach = seed_outreach.seed_outreach(self.today, units)  # no random draws: the data before it unchanged
        evidence = seed_evidence.seed_evidence(users["bureau"])  # no random draws either
        verification = seed_verification.seed_verification(self.today, self.last_month, users["bureau"])  # no draws
        assessment = seed_assessment.seed_assessment(
            self.rng, self.last_month, units[names.COUNTY], users["bureau"]
        )  # last
        quality = seed_quality.seed_quality(
            units[names.COUNTY]
        )  # after every write of the ledger: the rules judge the whole demo
        AuditEntry.objects.create(
            actor=None,
            actor_name="系统",
            action="demo.seeded",
            source=Source.COMMAND,
            data={
                "units": len(units),
                "projects": len(projects),
                "funds_rows": funds,
                "investment_rows": investments,
                "closed_months": closed,
                **front_line,
                **chains,
                **targets,
                **carriers,
                **observation,
                **assessment,
                **outreach,
                **quality,
                **evidence,
                **verification,
            },
        )
        return SeedResult(len(units), len(projects), funds, investments, closed)
