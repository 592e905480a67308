"""The queue's items: derived from the ledger per period, with their standing and the evidence they lack."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project
from tests.verification.helpers import FEB, JAN, MAR, attach, funds, items_of
from zhaoshang.projects.models import Project
from zhaoshang.verification.queries import period_items


def test_it_lists_a_quarters_signings_starts_and_months_of_funds_with_what_each_lacks(county):
    started = make_project(
        county.bureau, county.town, stage="开工", signed_on=date(2026, 2, 3), started_on=date(2026, 3, 10)
    )
    funds(county.bureau, county.project, JAN, "80")
    funds(county.bureau, county.project, MAR, "120")
    funds(county.bureau, county.project, date(2026, 4, 1), "30")  # the next quarter: not in Q1
    attach(county.project, "contract")
    attach(county.project, "bank_slip", funds_month=MAR)
    attach(started, "build_contract")

    items = items_of(Project.objects.under(county.town), JAN, MAR)

    p, s = county.project.pk, started.pk
    assert set(items) == {
        (p, "signing", JAN),
        (county.park_project.pk, "signing", JAN),  # 甲镇工业园 is in 甲镇's subtree
        (p, "funds", JAN),
        (p, "funds", MAR),
        (s, "signing", FEB),
        (s, "start", MAR),
    }
    assert items[(p, "signing", JAN)].missing_text == "缺少：营业执照"
    assert items[(p, "signing", JAN)].amount == Decimal("5000.00")
    assert [a.kind for a in items[(p, "signing", JAN)].evidence] == ["contract"]
    assert items[(p, "funds", JAN)].missing_text == "缺少：银行进账单或发票"
    assert items[(p, "funds", MAR)].missing == [] and items[(p, "funds", MAR)].amount == Decimal("120.00")
    assert items[(s, "signing", FEB)].missing_text == "缺少：合同、营业执照"
    assert items[(s, "start", MAR)].missing_text == "缺少：现场照片"  # 施工合同 stands for 施工许可证
    assert {i.status for i in items.values()} == {"pending"}


def test_a_month_holds_only_its_own_items_and_other_units_are_not_among_them(county):
    funds(county.bureau, county.project, FEB, "10")
    funds(county.bureau, county.other_project, FEB, "20")
    items = items_of(Project.objects.under(county.town), FEB, FEB)
    assert set(items) == {(county.project.pk, "funds", FEB)}


def test_a_zero_month_of_funds_is_no_item(county):
    funds(county.bureau, county.project, FEB, "0")
    assert not items_of(Project.objects.under(county.town), FEB, FEB)


def test_it_reads_the_items_in_a_fixed_number_of_queries_whatever_their_number(county):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            items = period_items(Project.objects.under(county.root), JAN, MAR)
        return len(ctx.captured_queries), len(items)

    funds(county.bureau, county.project, JAN, "1")
    attach(county.project, "contract")
    few, few_items = count()
    for n in range(6):
        project = make_project(county.bureau, county.other_town, signed_on=date(2026, 1, 5 + n))
        funds(county.bureau, project, FEB, "5")
        attach(project, "licence")
        attach(project, "invoice", funds_month=FEB)
    many, many_items = count()
    assert many_items == few_items + 12
    assert few == many <= 5


def test_a_foreign_projects_figures_are_in_its_currency(county, client_for):
    foreign = make_project(county.bureau, county.town, funding_type="外资", contract_amount=Decimal("300"))
    funds(county.bureau, foreign, FEB, "12.5")
    page = client_for(county.bureau).get("/verification/", {"month": "2026-02", "span": "year"}).content.decode()
    assert "协议资金 300.00 万美元" in page and "2026年2月 到位资金 12.50 万美元" in page
