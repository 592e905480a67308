"""The per-unit monthly totals always equal what the source rows add up to, after any write path."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_project
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.projects import figures, services, totals
from zhaoshang.projects.models import TeamMonthTotal, UnitMonthTotal

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def stored():
    fields = [f.name for f in UnitMonthTotal._meta.fields if f.name not in ("id", "unit", "month")]
    units = {
        (r.unit_id, r.month): {f: getattr(r, f) for f in fields if getattr(r, f)} for r in UnitMonthTotal.objects.all()
    }
    teams = {
        (r.team_id, r.month): {
            f: v for f, v in (("signed_count", r.signed_count), ("advanced_count", r.advanced_count)) if v
        }
        for r in TeamMonthTotal.objects.all()
    }
    return {k: v for k, v in units.items() if v}, {k: v for k, v in teams.items() if v}


def recomputed():
    stored_units, stored_teams = stored()
    totals.rebuild_all()
    return stored_units, stored_teams, stored()


def test_totals_follow_every_write(county):
    key = make_project(
        county.bureau, county.town, key_level="省重点", contract_amount=Decimal("20000"), team=county.team
    )
    foreign = make_project(county.bureau, county.town_park, funding_type="外资", contract_amount=Decimal("2000"))
    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("100"))
    figures.monthly_funds_set(actor=county.reporter, project=foreign, month=LAST, amount=Decimal("7"))
    figures.annual_plan_set(actor=county.bureau, project=key, year=LAST.year, amount=Decimal("9000"))
    figures.monthly_investment_set(actor=county.bureau, project=key, month=LAST, amount=Decimal("800"))
    services.project_change_stage(actor=county.bureau, project=key, to_stage="注册", on_date=today())
    services.project_change_stage(actor=county.bureau, project=key, to_stage="开工", on_date=today())
    # moving a project to another unit and changing its currency moves all its figures
    services.project_update(
        actor=county.bureau,
        project=county.project,
        values={"responsible_unit": county.other_town, "contract_amount": Decimal("15000")},
    )
    services.usd_rate_set(actor=county.bureau, year=foreign.signed_on.year, rate=Decimal("5"))
    before_units, before_teams, (after_units, after_teams) = recomputed()
    assert before_units == after_units
    assert before_teams == after_teams
    assert after_units[(county.other_town.pk, LAST)]["domestic_arrived_wan"] == Decimal("100")
    assert (county.town.pk, LAST) not in after_units or "domestic_arrived_wan" not in after_units[
        (county.town.pk, LAST)
    ]


def test_totals_follow_the_grid_and_clearing(county, client_for):
    client = client_for(county.reporter)
    client.post("/report/", {"unit": county.town.pk, "month": f"{LAST:%Y-%m}", f"funds-{county.project.pk}": "55"})
    assert UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_arrived_wan == Decimal("55")
    cleared = {f"funds-{county.project.pk}": "", f"initial-funds-{county.project.pk}": "55.00"}  # blank over 55.00
    client.post("/report/", {"unit": county.town.pk, "month": f"{LAST:%Y-%m}", **cleared})
    before_units, _, (after_units, _) = recomputed()
    assert before_units == after_units
    assert "domestic_arrived_wan" not in after_units.get((county.town.pk, LAST), {})


def test_major_started_counts_at_the_later_of_signing_and_start(county):
    signed = date(today().year, 1, 10) if today() >= date(today().year, 2, 1) else date(today().year - 1, 1, 10)
    started = date(signed.year, 2, 5)
    project = make_project(
        county.bureau, county.town, stage="开工", signed_on=signed, started_on=started, contract_amount=Decimal("10000")
    )
    assert totals.major_started_month(project) == date(signed.year, 2, 1)
    row = UnitMonthTotal.objects.get(unit=county.town, month=date(signed.year, 2, 1))
    assert row.major_started_ytd == 1 and row.major_started_same == 0
