"""A small county computed by hand; the product must agree to the digit, boundary cases included:
exactly 10,000 万元, a project signed last year and started this year, a foreign one, a dropped one, and
data after the period. The period is June of last year (so every date is in the past): 序时进度 50%."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_project, make_unit
from zhaoshang.core.periods import today
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.report import period_report
from zhaoshang.projects import figures, services, totals
from zhaoshang.projects.models import UnitMonthTotal

pytestmark = pytest.mark.django_db
Y = today().year - 1
JUNE = date(Y, 6, 1)


@pytest.fixture
def small_county(county):
    group = county.town.group
    group.red_top_n, group.black_bottom_m = 1, 1
    group.save()
    third = make_unit("丙镇", "乡镇", county.root, group)
    team2 = make_unit("第二招商小分队", "招商小分队", county.root, county.team.group)
    b, a = county.bureau, county.town
    p = {}
    # the fixture's own projects are moved out of the way: signed this year, outside the period
    p["P1"] = make_project(
        b,
        a,
        signed_on=date(Y, 1, 10),
        contract_amount=Decimal("10000"),
        stage="开工",
        started_on=date(Y, 3, 5),
        team=county.team,
    )
    p["P2"] = make_project(b, a, signed_on=date(Y, 2, 20), contract_amount=Decimal("9999.99"), team=county.team)
    p["P3"] = make_project(b, a, signed_on=date(Y, 3, 15), contract_amount=Decimal("1500"), funding_type="外资")
    p["P4"] = make_project(
        b, a, signed_on=date(Y - 1, 11, 1), contract_amount=Decimal("20000"), stage="开工", started_on=date(Y, 2, 1)
    )
    p["P5"] = make_project(b, a, signed_on=date(Y, 5, 5), contract_amount=Decimal("2000"))
    services.project_change_stage(actor=b, project=p["P5"], to_stage="终止", on_date=date(Y, 5, 20), reason="撤资")
    p["P6"] = make_project(b, a, signed_on=date(Y, 7, 1), contract_amount=Decimal("5000"), team=team2)
    p["P7"] = make_project(
        b,
        a,
        signed_on=date(Y - 1, 6, 1),
        contract_amount=Decimal("8000"),
        stage="开工",
        started_on=date(Y - 1, 9, 1),
        key_level="县重点",
    )
    q1 = make_project(b, county.other_town, signed_on=date(Y, 4, 1), contract_amount=Decimal("3000"))
    r1 = make_project(b, third, signed_on=date(Y, 1, 5), contract_amount=Decimal("100"))
    for project, month, amount in (
        (p["P1"], 1, "500"),
        (p["P1"], 2, "300"),
        (p["P1"], 7, "1000"),
        (p["P2"], 6, "200"),
        (p["P3"], 4, "50"),
        (q1, 4, "1000"),
        (r1, 2, "100"),
    ):
        figures.monthly_funds_set(actor=b, project=project, month=date(Y, month, 1), amount=Decimal(amount))
    figures.annual_plan_set(actor=b, project=p["P7"], year=Y, amount=Decimal("1200"))
    for month in range(1, 8):
        figures.monthly_investment_set(actor=b, project=p["P7"], month=date(Y, month, 1), amount=Decimal("100"))
    cells = {
        (a, "domestic_signed_count"): Decimal(8),
        (a, "domestic_arrived_wan"): Decimal(2000),
        (county.other_town, "domestic_signed_count"): Decimal(2),
        (county.other_town, "domestic_arrived_wan"): Decimal(1000),
        (third, "domestic_arrived_wan"): Decimal(1000),
        (county.root, "domestic_signed_count"): Decimal(12),
    }
    progress_services.targets_save(actor=b, year=Y, cells=cells)
    # the fixture's three projects are signed in January of *this* year: they do not reach last June
    return {"third": third, **p}


def test_the_town_agrees_to_the_digit(county, small_county):
    report = period_report(county.root, JUNE)
    assert report.schedule == Decimal("0.5")
    town = lambda code: report.progress(county.town, code)  # noqa: E731
    assert town("domestic_signed_count").ytd == 3  # P1, P2, P5 (dropped after signing)
    assert town("domestic_signed_count").month == 0
    assert town("domestic_contract_wan").ytd == Decimal("21999.99")
    assert town("domestic_arrived_wan").ytd == Decimal("1000")  # July's 1000 is after the period
    assert town("domestic_arrived_wan").month == Decimal("200")
    assert town("major_signed_count").ytd == 2  # exactly 10,000 万元; 1500 万美元 × 7.10
    assert town("major_started_count").ytd == 1  # P1; P4 was signed last year
    assert town("foreign_signed_count").ytd == 1
    assert town("foreign_contract_usd_wan").ytd == Decimal("1500")
    assert town("foreign_arrived_usd_wan").ytd == Decimal("50")
    assert town("started_count").ytd == 2  # P1 in March, P4 in February
    assert town("production_count").ytd == 0
    signed = town("domestic_signed_count")
    assert signed.completion == Decimal(3) / Decimal(8)
    assert signed.gap == Decimal("-12.5") and signed.light == "yellow" and signed.double_half is False
    arrived = town("domestic_arrived_wan")
    assert arrived.completion == Decimal("0.5") and arrived.gap == 0 and arrived.light == "green"
    assert arrived.double_half is True
    key = town("key_done_wan")
    assert key.ytd == Decimal("600") and key.target == Decimal("1200") and key.completion == Decimal("0.5")
    assert town("key_plan_wan").ytd == Decimal("1200")
    levels = {row["level"]: row for row in report.level_breakdown(county.town)}
    assert levels["县重点"]["done"] == Decimal("600") and levels["省重点"]["completion"] is None


def test_the_county_adds_up_its_units(county, small_county):
    report = period_report(county.root, JUNE)
    total = report.progress(county.root, "domestic_signed_count")
    assert total.ytd == 5  # 甲镇 3, 乙镇 1, 丙镇 1
    assert total.target == Decimal(12)
    assert report.progress(county.root, "domestic_arrived_wan").ytd == Decimal("2100")


def test_rankings_and_the_red_and_black_lists(county, small_county):
    report = period_report(county.root, JUNE)
    (towns,) = [g for g in report.ranking("domestic_arrived_wan") if g.group.name == "乡镇组"]
    order = [(r.unit.name, r.rank) for r in towns.rows]
    assert order == [("乙镇", 1), ("甲镇", 2), ("丙镇", 3)]  # 100%, 50%, 10%
    assert [r.unit.name for r in towns.red_list] == ["乙镇"]
    assert [r.unit.name for r in towns.black_list] == ["丙镇"]
    assert towns.rows[2].progress.light == "red"  # 40 points behind


def test_teams_with_and_without_progress(county, small_county):
    report = period_report(county.root, JUNE)
    assert report.progress(county.root, "teams_total").ytd == 2
    assert report.progress(county.root, "teams_with_signing").ytd == 1  # 第一招商小分队 (P1, P2)
    assert report.progress(county.root, "teams_without_progress").ytd == 1  # 第二: its only signing is in July
    assert report.teams_month.with_signing == 0


def test_the_fast_totals_equal_the_rows_aggregated_on_the_fly(county, small_county):
    before = {(r.unit_id, r.month): r.domestic_arrived_wan for r in UnitMonthTotal.objects.all()}
    rows = totals.compute_unit_rows(None, set(m for _, m in before))
    for key, value in before.items():
        assert (rows.get(key, {}).get("domestic_arrived_wan") or 0) == value


def test_reading_a_period_does_not_scan_monthly_rows(county, small_county, django_assert_max_num_queries):
    with django_assert_max_num_queries(10) as captured:  # 8, and the counted basis and the other basis
        report = period_report(county.root, JUNE)
        report.ranking("domestic_arrived_wan")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "projects_monthlyfunds" not in sql and "projects_monthlyinvestment" not in sql
