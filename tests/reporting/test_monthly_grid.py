"""The unit's monthly grid: all cells or none, in the right currency unit, then the unit head's 上报."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
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


def _total_row(body: str) -> str:
    start = body.index('id="grid-total"')
    return body[start : body.index("</tr>", start)]


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)]


def test_it_adds_a_total_row_that_is_the_sum_of_the_rows(county, client_for):
    """合计 of every shown column, computed by the server: 到位资金 per currency, the key projects' columns."""
    key = make_project(county.bureau, county.town, key_level="市重点")
    key2 = make_project(county.bureau, county.town, key_level="县重点")
    foreign = make_project(county.bureau, county.town, funding_type="外资", contract_amount=Decimal("300"))
    before = add_months(LAST, -1) if LAST.month > 1 else None
    cells = {
        county.project: ("1234.56", None, None),
        key: ("0.44", "8000", "650.25"),
        key2: ("2000", "1500.5", "99.75"),
        foreign: ("30.10", None, None),
    }
    for project, (funds, plan, investment) in cells.items():
        figures.monthly_funds_set(actor=county.bureau, project=project, month=LAST, amount=Decimal(funds))
        if plan:
            figures.annual_plan_set(actor=county.bureau, project=project, year=LAST.year, amount=Decimal(plan))
            figures.monthly_investment_set(actor=county.bureau, project=project, month=LAST, amount=Decimal(investment))
        if before:
            figures.monthly_funds_set(actor=county.bureau, project=project, month=before, amount=Decimal("10"))
    body = client_for(county.reporter).get(URL, {"month": format_month(LAST)}).content.decode()
    total = _cells(_total_row(body))

    # the rows, summed straight from the stored figures of the projects the grid lists
    shown = [county.project, key, key2, foreign]
    domestic = sum(MonthlyFunds.objects.get(project=p, month=LAST).amount for p in shown if p.funding_type == "内资")
    usd = MonthlyFunds.objects.get(project=foreign, month=LAST).amount
    plan = sum(AnnualPlan.objects.filter(project__in=[key, key2], year=LAST.year).values_list("amount", flat=True))
    done = sum(MonthlyInvestment.objects.filter(project__in=[key, key2], month=LAST).values_list("amount", flat=True))
    assert (domestic, usd, plan, done) == (Decimal("3235.00"), Decimal("30.10"), Decimal("9500.5"), Decimal("750.00"))
    assert total[0][:2] == ["合计", "4个项目"]
    assert total[2] == ["3,235.00", "万元", "30.10", "万美元"]
    ytd_domestic = "30.00" if before else "0.00"
    assert total[3] == [ytd_domestic, "万元", "10.00" if before else "0.00", "万美元"]
    assert total[4:6] == [["9,500.50"], ["750.00"]]


def test_the_total_row_leaves_out_the_key_columns_without_key_projects(county, client_for):
    body = client_for(county.reporter).get(URL, {"month": format_month(LAST)}).content.decode()
    total = _cells(_total_row(body))
    assert total[2] == ["0.00", "万元"] and total[4] == ["—"]
