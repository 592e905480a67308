"""The verified (认定) totals: a signing, a start, a production or a month's 到位资金 counts only while its decision
is 已认定 for the figure as it stands; 完成投资 and plans are the declared ones."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project
from zhaoshang.core.periods import add_months, current_month, month_start
from zhaoshang.projects import figures, services, totals
from zhaoshang.projects.models import (
    MonthlyFunds,
    Project,
    UnitMonthTotal,
    Verification,
    VerifiedMonthTotal,
)
from zhaoshang.projects.verification import decided_figure

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
PREVIOUS = add_months(LAST, -1)
FIELDS = [f.name for f in UnitMonthTotal._meta.fields if f.name not in ("id", "unit", "month")]


def decide(project, kind, status="passed", month=None):
    """A decision on the figure as it stands now, as the 认定 queue records it, and the totals' refresh."""
    project.refresh_from_db()
    funds = MonthlyFunds.objects.get(project=project, month=month).amount if month else None
    amount, on_date = decided_figure(kind, project, funds)
    Verification.objects.update_or_create(
        project=project, kind=kind, month=month, defaults={"status": status, "amount": amount, "on_date": on_date}
    )
    totals.refresh(totals.project_keys(project))


def rows(model):
    return {
        (r.unit_id, r.month): {f: getattr(r, f) for f in FIELDS if getattr(r, f)}
        for r in model.objects.all()
        if any(getattr(r, f) for f in FIELDS)
    }


def test_hand_computed_county(county):
    day = LAST + timedelta(days=4)
    bureau, town = county.bureau, county.other_town
    passed = make_project(bureau, town, signed_on=day, contract_amount=Decimal("1000"))
    refused = make_project(bureau, town, signed_on=day, contract_amount=Decimal("2000"))
    changed = make_project(bureau, town, signed_on=day, contract_amount=Decimal("3000"))
    started = make_project(
        bureau, town, stage="开工", signed_on=day, started_on=day, contract_amount=Decimal("20000"), is_major=True
    )
    for project, month, amount in ((passed, LAST, "100"), (passed, PREVIOUS, "40"), (refused, LAST, "70")):
        figures.monthly_funds_set(actor=bureau, project=project, month=month, amount=Decimal(amount))
    declared = UnitMonthTotal.objects.get(unit=town, month=LAST)
    assert (declared.domestic_signed_count, declared.domestic_contract_wan) == (4, Decimal("26000"))
    # nothing decided yet: nothing verified
    assert not VerifiedMonthTotal.objects.filter(unit=town).exclude(domestic_signed_count=0).exists()

    decide(passed, "signing")
    decide(refused, "signing", "refused")
    decide(changed, "signing")
    services.project_update(actor=bureau, project=changed, values={"contract_amount": Decimal("3500")})
    decide(started, "signing")
    decide(started, "start")
    decide(passed, "funds", month=LAST)
    decide(refused, "funds", month=LAST)  # funds stand on their own decision, whatever the signing's

    verified = VerifiedMonthTotal.objects.get(unit=town, month=LAST)
    # signed: passed (1000) and started (20000); refused is refused, changed's 3500 is not the 3000 decided
    assert verified.domestic_signed_count == 2
    assert verified.domestic_contract_wan == Decimal("21000")
    assert verified.major_signed_count == 1
    assert verified.started_count == 1
    assert verified.major_started_ytd == verified.major_started_same == 1
    assert verified.domestic_arrived_wan == Decimal("170")  # 100 + 70; PREVIOUS's 40 is undecided
    assert not VerifiedMonthTotal.objects.filter(unit=town, month=PREVIOUS).exclude(domestic_arrived_wan=0).exists()
    declared = UnitMonthTotal.objects.get(unit=town, month=LAST)  # rows are replaced, not updated
    assert declared.domestic_contract_wan == Decimal("26500")

    # a 亿元以上 project whose start is not verified any more is no longer "signed and started"
    services.project_update(actor=bureau, project=started, values={"started_on": day + timedelta(days=1)})
    verified = VerifiedMonthTotal.objects.get(unit=town, month=LAST)
    assert (verified.started_count, verified.major_started_ytd, verified.domestic_signed_count) == (0, 0, 2)

    # refused signing passes on a second look
    decide(refused, "signing")
    verified = VerifiedMonthTotal.objects.get(unit=town, month=LAST)
    assert verified.domestic_contract_wan == Decimal("23000")


def test_plans_and_investment_are_the_declared_ones(county):
    key = make_project(county.bureau, county.town, key_level="省重点", contract_amount=Decimal("20000"))
    figures.annual_plan_set(actor=county.bureau, project=key, year=LAST.year, amount=Decimal("9000"))
    figures.monthly_investment_set(actor=county.bureau, project=key, month=LAST, amount=Decimal("800"))
    verified = VerifiedMonthTotal.objects.get(unit=county.town, month=date(LAST.year, 1, 1))
    assert verified.key_plan_wan == verified.key_plan_province_wan == Decimal("9000")
    assert VerifiedMonthTotal.objects.get(unit=county.town, month=LAST).key_done_wan == Decimal("800")


def expected_verified(passed: set, funds_passed: set) -> dict:
    """The verified totals computed here from the rows, independently of projects/totals.py."""
    out: dict = defaultdict(lambda: defaultdict(int))
    for p in Project.objects.all():
        unit = p.responsible_unit_id
        signed = (p.pk, "signing", p.signed_on, p.contract_amount or 0) in passed
        start = p.started_on and (p.pk, "start", p.started_on, None) in passed
        if signed and p.first_signed_month:
            row = out[(unit, p.first_signed_month)]
            prefix = "domestic" if p.funding_type == "内资" else "foreign"
            row[f"{prefix}_signed_count"] += 1
            row["domestic_contract_wan" if prefix == "domestic" else "foreign_contract_usd_wan"] += p.contract_amount
            row["major_signed_count"] += 1 if p.is_major else 0
        if start:
            out[(unit, month_start(p.started_on))]["started_count"] += 1
        if p.production_on and (p.pk, "production", p.production_on, None) in passed:
            out[(unit, month_start(p.production_on))]["production_count"] += 1
        if p.is_major and signed and start and p.started_on.year == p.first_signed_month.year:
            at = max(p.first_signed_month, month_start(p.started_on))
            out[(unit, at)]["major_started_ytd"] += 1
            if at == p.first_signed_month == month_start(p.started_on):
                out[(unit, at)]["major_started_same"] += 1
    for f in MonthlyFunds.objects.select_related("project"):
        if (f.project_id, f.month, f.amount) in funds_passed:
            name = "domestic_arrived_wan" if f.project.funding_type == "内资" else "foreign_arrived_usd_wan"
            out[(f.project.responsible_unit_id, f.month)][name] += f.amount
    return {k: {n: v for n, v in row.items() if v} for k, row in out.items() if any(row.values())}


def test_random_ledger_matches_a_reference_recomputation(county):
    rng = random.Random(19)
    units = [county.town, county.other_town, county.town_park]
    projects = []
    for _ in range(14):
        signed = LAST - timedelta(days=rng.randint(1, 70))
        started = signed + timedelta(days=rng.randint(0, 20)) if rng.random() < 0.5 else None
        projects.append(
            make_project(
                county.bureau,
                rng.choice(units),
                signed_on=signed,
                stage="开工" if started else "签约",
                started_on=started,
                contract_amount=Decimal(rng.choice(["800", "12000", "30000"])),
                funding_type=rng.choice(["内资", "内资", "外资"]),
            )
        )
    for p in projects:
        for month in (PREVIOUS, LAST):
            if rng.random() < 0.6:
                figures.monthly_funds_set(
                    actor=county.bureau, project=p, month=month, amount=Decimal(rng.randint(1, 90))
                )
    for p in projects:
        for kind in ("signing", "start"):
            if kind == "start" and not p.started_on:
                continue
            if rng.random() < 0.7:
                decide(p, kind, rng.choice(["passed", "passed", "refused"]))
        for month in MonthlyFunds.objects.filter(project=p).values_list("month", flat=True):
            if rng.random() < 0.6:
                decide(p, "funds", rng.choice(["passed", "refused"]), month=month)
    for p in rng.sample(projects, 4):  # figures changed after their decision
        services.project_update(
            actor=county.bureau, project=p, values={"contract_amount": p.contract_amount + Decimal("1")}
        )
    for f in rng.sample(list(MonthlyFunds.objects.all()), 3):
        figures.monthly_funds_set(actor=county.bureau, project=f.project, month=f.month, amount=f.amount + 1)

    passed = {
        (v.project_id, v.kind, v.on_date, v.amount) for v in Verification.objects.filter(status="passed", month=None)
    }
    funds = {(v.project_id, v.month, v.amount) for v in Verification.objects.filter(status="passed", kind="funds")}
    expected = expected_verified(passed, funds)
    assert expected  # the draw has verified figures at all
    assert rows(VerifiedMonthTotal) == expected
    declared = rows(UnitMonthTotal)
    totals.rebuild_all()
    assert rows(VerifiedMonthTotal) == expected
    assert rows(UnitMonthTotal) == declared


def test_a_figure_write_costs_a_fixed_few_more_queries(county):
    """A 到位资金 write recomputes both tables: 18 queries on SQLite before the verified totals, 24 after (the
    verified signings, starts, productions, 亿元以上 and funds: five reads, and the rows' delete); PostgreSQL adds
    its row lock and the totals' advisory lock to both."""
    with CaptureQueriesContext(connection) as ctx:
        figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("5"))
    assert len(ctx) == {"sqlite": 24, "postgresql": 26}[connection.vendor]
