"""The unit's monthly grid: all cells or none, in the right currency unit, then the unit head's 上报."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment
from zhaoshang.reporting.models import UnitMonthReport

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
URL = reverse("monthly_report")


def post(client, unit, cells):
    return client.post(URL, {"unit": unit.pk, "month": format_month(LAST), **cells})


def test_it_saves_funds_plan_and_investment(county, client_for):
    key = make_project(county.bureau, county.town, key_level="市重点")
    foreign = make_project(county.bureau, county.town, funding_type="外资", contract_amount=Decimal("300"))
    response = post(
        client_for(county.reporter),
        county.town,
        {
            f"funds-{county.project.pk}": "1,200.50",
            f"funds-{foreign.pk}": "30",
            f"funds-{key.pk}": "0",
            f"plan-{key.pk}": "8000",
            f"investment-{key.pk}": "650.25",
        },
    )
    assert response.status_code == 302
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("1200.50")
    assert MonthlyFunds.objects.get(project=key, month=LAST).amount == Decimal("0")  # zero is a figure, blank is not
    assert AnnualPlan.objects.get(project=key, year=LAST.year).amount == Decimal("8000")
    assert MonthlyInvestment.objects.get(project=key, month=LAST).amount == Decimal("650.25")
    page = client_for(county.reporter).get(URL, {"month": format_month(LAST)}).content.decode()
    assert "万美元" in page  # the foreign project's cell is in 万美元


def test_it_writes_nothing_when_one_cell_is_wrong(county, client_for):
    other = make_project(county.bureau, county.town)
    response = post(
        client_for(county.reporter), county.town, {f"funds-{county.project.pk}": "100", f"funds-{other.pk}": "-5"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "本次未保存任何数据" in body and f"{other.code} 本月到位资金: 金额不能为负数" in body
    assert 'value="100"' in body  # what the user typed is kept on the page
    assert not MonthlyFunds.objects.exists()
    for bad, reason in (("abc", "不是数字"), ("1.234", "两位小数")):
        body = post(client_for(county.reporter), county.town, {f"funds-{other.pk}": bad}).content.decode()
        assert reason in body
    assert not AuditEntry.objects.filter(action="funds.set").exists()


def test_it_clears_a_cell_left_blank(county, client_for):
    client = client_for(county.reporter)
    post(client, county.town, {f"funds-{county.project.pk}": "5"})
    # The page posts back the value it showed beside the blank (reporting/grid.py): blank over 5.00 clears it.
    post(client, county.town, {f"funds-{county.project.pk}": "", f"initial-funds-{county.project.pk}": "5.00"})
    assert not MonthlyFunds.objects.exists()
    assert AuditEntry.objects.filter(action="funds.set").order_by("id").last().data["amount"] == ["5.00", None]


def test_it_refuses_a_future_month(county, client_for):
    response = client_for(county.reporter).get(URL, {"month": format_month(add_months(current_month(), 1))})
    assert response.status_code == 404


def test_it_lists_only_the_units_signed_projects(county, client_for):
    lead = make_project(county.bureau, county.town, stage="线索", signed_on=None, contract_amount=None)
    page = client_for(county.reporter).get(URL, {"month": format_month(LAST)}).content.decode()
    assert county.project.code in page
    assert lead.code not in page
    assert county.other_project.code not in page and county.park_project.code not in page


def test_the_unit_head_confirms_and_the_bureau_sees_who_has_not(county, client_for):
    reporter_page = client_for(county.reporter).get(URL, {"month": format_month(LAST)}).content.decode()
    assert "上报" in reporter_page and "monthly_confirm" not in reporter_page
    assert (
        client_for(county.reporter)
        .post(reverse("monthly_confirm"), {"unit": county.town.pk, "month": format_month(LAST)})
        .status_code
        == 403
    )
    client_for(county.unit_head).post(reverse("monthly_confirm"), {"unit": county.town.pk, "month": format_month(LAST)})
    report = UnitMonthReport.objects.get(unit=county.town, month=LAST)
    assert report.confirmed_by == county.unit_head
    assert AuditEntry.objects.filter(action="month.confirmed", actor=county.unit_head).exists()
    status = client_for(county.bureau).get(reverse("month_status", args=[format_month(LAST)])).content.decode()
    assert "已上报" in status and "未上报" in status
    # 甲镇 reported; 甲镇工业园, 乙镇, 投资促进中心 and 自然资源局 have not (teams do not report)
    assert "4 个未上报" in status and "第一招商小分队" not in status
