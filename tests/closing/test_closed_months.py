"""A closed month refuses every change, from every path; reopening needs a reason and is audited."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import make_project, set_fiscal_revenue
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.guard import MonthClosed
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.closing.services import month_close, month_reopen
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures, services
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, StageChange, UnitMonthTotal
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.services import unit_month_confirm

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)


@pytest.fixture
def closed_last_month(county):
    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("10"))
    month_close(actor=county.bureau, month=LAST)
    return LAST


def test_it_refuses_the_service_write(county, closed_last_month):
    with pytest.raises(MonthClosed, match="已关账"):
        figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("99"))
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("10")


def test_it_refuses_the_grid_page(county, closed_last_month, client_for):
    client = client_for(county.reporter)
    url = reverse("monthly_report")
    response = client.post(
        url, {"unit": county.town.pk, "month": format_month(LAST), f"funds-{county.project.pk}": "99"}
    )
    assert response.status_code == 400
    assert "已关账" in response.content.decode()
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("10")
    page = client.get(url, {"unit": county.town.pk, "month": format_month(LAST)}).content.decode()
    assert "已关账，只能查看" in page and "disabled" in page


def assert_neither_saved_nor_deleted(row):
    """The model layer (ClosedMonthGuard) refuses both for a row of a closed month."""
    with pytest.raises(MonthClosed):
        row.save()
    with pytest.raises(MonthClosed):
        row.delete()


def test_it_refuses_the_model_save_used_by_admin_and_shell(county, closed_last_month):
    row = MonthlyFunds.objects.get(project=county.project, month=LAST)
    row.amount = Decimal("99")
    assert_neither_saved_nor_deleted(row)
    with pytest.raises(MonthClosed):
        MonthlyFunds(project=county.park_project, month=LAST, amount=Decimal("1")).save()


def test_it_refuses_a_stage_change_dated_in_a_closed_month(county, closed_last_month):
    with pytest.raises(MonthClosed):
        services.project_change_stage(
            actor=county.bureau, project=county.project, to_stage="注册", on_date=LAST.replace(day=20)
        )
    county.project.refresh_from_db()
    assert county.project.stage == "签约"


def test_it_refuses_moving_a_signing_into_or_out_of_a_closed_month(county, closed_last_month):
    with pytest.raises(MonthClosed):
        services.project_update(actor=county.bureau, project=county.project, values={"signed_on": LAST.replace(day=3)})
    county.project.refresh_from_db()
    assert county.project.signed_on != LAST.replace(day=3)


def test_it_refuses_a_new_amount_for_a_signing_in_a_closed_month(county):
    month_close(actor=county.bureau, month=county.project.first_signed_month)
    with pytest.raises(MonthClosed):
        services.project_update(
            actor=county.bureau, project=county.project, values={"contract_amount": Decimal("123456")}
        )


def test_it_allows_edits_that_touch_no_closed_month(county, closed_last_month):
    services.project_update(actor=county.bureau, project=county.project, values={"leader_in_charge": "王县长"})
    county.project.refresh_from_db()
    assert county.project.leader_in_charge == "王县长"


def _domestic_arrived(unit, month):
    row = UnitMonthTotal.objects.filter(unit=unit, month=month).first()
    return row.domestic_arrived_wan if row else None


def test_it_refuses_a_funding_type_change_that_moves_a_closed_months_funds(county):
    """Signed two months ago (still open), 到位资金 last month (closed): 内资 → 外资 would turn the closed month's
    实际到位内资 into 实际到位外资."""
    project = make_project(county.bureau, county.town, signed_on=add_months(LAST, -1).replace(day=10))
    figures.monthly_funds_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("100"))
    month_close(actor=county.bureau, month=LAST)
    with pytest.raises(MonthClosed, match="已关账"):
        services.project_update(actor=county.bureau, project=project, values={"funding_type": "外资"})
    assert _domestic_arrived(county.town, LAST) == Decimal("100")


def test_it_refuses_moving_a_project_counted_in_a_closed_month_to_another_unit(county):
    project = make_project(county.bureau, county.town, signed_on=LAST.replace(day=10))
    month_close(actor=county.bureau, month=LAST)
    signed = UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_signed_count
    with pytest.raises(MonthClosed):
        services.project_update(actor=county.bureau, project=project, values={"responsible_unit": county.other_town})
    assert UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_signed_count == signed


def test_it_refuses_a_key_level_change_that_moves_a_closed_months_investment(county):
    project = make_project(county.bureau, county.town, key_level="县重点")
    figures.monthly_investment_set(actor=county.bureau, project=project, month=LAST, amount=Decimal("50"))
    month_close(actor=county.bureau, month=LAST)
    with pytest.raises(MonthClosed):
        services.project_update(actor=county.bureau, project=project, values={"key_level": "市重点"})
    project.refresh_from_db()
    assert project.key_level == "县重点"


def test_it_moves_a_project_whose_figures_are_all_in_open_months(county, closed_last_month):
    """Only months the project is counted in matter: the closed month holds another project's funds."""
    project = make_project(county.bureau, county.town, signed_on=current_month())
    services.project_update(actor=county.bureau, project=project, values={"responsible_unit": county.other_town})
    project.refresh_from_db()
    assert project.responsible_unit == county.other_town


def test_the_model_layer_refuses_plans_stage_changes_and_confirmations_of_closed_months(county, closed_last_month):
    year = current_month().year - 1
    project = make_project(county.bureau, county.town, key_level="县重点")
    figures.annual_plan_set(actor=county.bureau, project=project, year=year, amount=Decimal("100"))
    ClosedMonth.objects.create(month=date(year, 12, 1), unit=county.root, closed_by=county.bureau)
    plan = AnnualPlan.objects.get(project=project, year=year)
    plan.amount = Decimal("999")
    assert_neither_saved_nor_deleted(plan)
    with pytest.raises(MonthClosed):
        StageChange(project=project, from_stage="签约", to_stage="注册", changed_on=LAST.replace(day=9)).save()
    with pytest.raises(MonthClosed):
        UnitMonthReport(unit=county.town, month=LAST, confirmed_by=county.unit_head).save()
    assert AnnualPlan.objects.get(project=project, year=year).amount == Decimal("100")


@pytest.mark.parametrize("command, args", [("reopen_month", ["--reason", "我想改数"]), ("close_month", [])])
def test_only_the_bureau_closes_or_reopens_a_month_from_the_command_line(county, command, args):
    if command == "reopen_month":
        month_close(actor=county.bureau, month=LAST)
    with pytest.raises(CommandError, match="只有主管部门管理员可以"):
        call_command(command, format_month(LAST), *args, "--user", "reporter", stdout=StringIO())
    assert ClosedMonth.objects.filter(month=LAST).exists() == (command == "reopen_month")


def test_it_refuses_the_unit_confirmation(county, closed_last_month):
    with pytest.raises(MonthClosed):
        unit_month_confirm(actor=county.unit_head, unit=county.town, month=LAST)


def test_it_locks_the_year_plan_once_december_is_closed(county):
    key = services.project_update(actor=county.bureau, project=county.project, values={"key_level": "县重点"})
    assert key
    county.project.refresh_from_db()
    year = current_month().year - 1
    ClosedMonth.objects.create(month=date(year, 12, 1), unit=county.root, closed_by=county.bureau)
    with pytest.raises(MonthClosed):
        figures.annual_plan_set(actor=county.bureau, project=county.project, year=year, amount=Decimal("100"))


def test_it_refuses_to_close_the_current_month(county):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未结束"):
        month_close(actor=county.bureau, month=current_month())


def test_it_reopens_only_with_a_reason_and_audits_it(county, closed_last_month):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="原因"):
        month_reopen(actor=county.bureau, month=LAST, reason=" ")
    month_reopen(actor=county.bureau, month=LAST, reason="乙镇数据更正")
    entry = AuditEntry.objects.get(action="month.reopened")
    assert entry.data["reason"] == "乙镇数据更正" and entry.actor == county.bureau
    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("11"))
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("11")


def test_it_closes_and_reopens_from_the_command_line(county):
    call_command("close_month", format_month(LAST), "--user", "bureau")
    closing = AuditEntry.objects.get(action="month.closed")
    assert closing.source == "command" and closing.actor == county.bureau
    with pytest.raises(CommandError, match="已经关账"):
        call_command("close_month", "previous")
    with pytest.raises(CommandError):
        call_command("reopen_month", format_month(LAST), "--reason", "")
    call_command("reopen_month", format_month(LAST), "--reason", "更正")
    assert AuditEntry.objects.get(action="month.reopened").source == "command"
    assert not ClosedMonth.objects.exists()


def test_it_closes_and_reopens_from_the_pages(county, client_for):
    client = client_for(county.bureau)
    text = format_month(LAST)
    assert client.post(reverse("month_close", args=[text])).status_code == 302
    assert ClosedMonth.objects.filter(month=LAST).exists()
    client.post(reverse("month_reopen", args=[text]), {"reason": ""})
    assert ClosedMonth.objects.filter(month=LAST).exists()  # no reason, still closed
    client.post(reverse("month_reopen", args=[text]), {"reason": "补录开发区数据"})
    assert not ClosedMonth.objects.filter(month=LAST).exists()


def test_it_refuses_economic_figures_of_a_closed_month_on_every_path(county, client_for, tmp_path):
    """The statistics bureau's figures are monthly too: page, import, undo and model save all refuse them."""
    from tests.sheets.files import xlsx
    from zhaoshang.progress.models import EconomicFigure
    from zhaoshang.sheets.models import ImportLog
    from zhaoshang.sheets.undo import UndoRefused, import_undo

    headers = ["地区", "月份", "指标", "累计值", "同比增长(%)"]
    call_command(
        "import_xlsx", "indicators", str(xlsx(tmp_path, [["测试县", format_month(LAST), "财政收入", 10, 1]], headers))
    )
    month_close(actor=county.bureau, month=LAST)
    figure = EconomicFigure.objects.get()

    with pytest.raises(MonthClosed):
        set_fiscal_revenue(county.bureau, LAST, "99", "9")
    response = client_for(county.bureau).post(
        reverse("economy"),
        {
            "region": "测试县",
            "month": format_month(LAST),
            "indicator": "fiscal_revenue",
            "cumulative": "99",
            "growth_pct": "9",
        },
    )
    assert response.status_code == 200 and "已关账" in response.content.decode()
    path = xlsx(tmp_path, [["测试县", format_month(LAST), "财政收入", 99, 9]], headers, name="again.xlsx")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", "indicators", str(path), stderr=err)
    assert f"第2行 月份: {LAST.year}年{LAST.month}月已关账" in err.getvalue()
    with pytest.raises(UndoRefused, match="已关账"):
        import_undo(actor=county.bureau, log=ImportLog.objects.get())
    figure.cumulative = Decimal("99")
    with pytest.raises(MonthClosed):
        figure.save()
    with pytest.raises(MonthClosed):
        figure.delete()
    figure.refresh_from_db()
    assert (figure.cumulative, figure.growth_pct) == (Decimal("10.00"), Decimal("1.00"))


def test_a_lead_created_in_a_closed_month_can_still_be_given_to_a_team(county, monkeypatch):
    """The row that created a project is not a team's figure (totals.compute_team_rows): no closed month moves."""
    monkeypatch.setattr(services, "today", lambda: LAST.replace(day=20))
    lead = make_project(county.bureau, county.town, stage="在谈", signed_on=None, contract_amount=None)
    monkeypatch.undo()
    month_close(actor=county.bureau, month=LAST)
    services.project_update(actor=county.bureau, project=lead, values={"team": county.team})
    lead.refresh_from_db()
    assert lead.team == county.team
