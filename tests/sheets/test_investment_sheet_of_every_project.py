"""A county's normal 完成投资 sheet lists every project under construction, key projects or not: it imports as a
whole through the real importer, and only the key projects' rows count in the key-project figures."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import make_project
from tests.sheets.files import run_import, xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment, UnitMonthTotal

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
INVESTMENT_HEADERS = ["项目编号", "月份", "本月完成投资(万元)"]
PLAN_HEADERS = ["项目编号", "年度", "年度计划投资(万元)"]


def office_sheet(tmp_path, headers, rows, name):
    """A workbook as a county office fills it in: numbers as number cells, the rest as text."""
    return xlsx(tmp_path, rows, headers=headers, name=name)


def key_done(unit):
    row = UnitMonthTotal.objects.filter(unit=unit, month=LAST).first()
    return row.key_done_wan if row else Decimal(0)


def test_a_countys_sheet_of_every_project_under_construction_imports_whole(county, tmp_path):
    key = make_project(
        county.bureau, county.town, key_level="县重点", stage="开工", started_on=county.project.signed_on
    )
    built = [
        make_project(county.bureau, unit, stage="开工", started_on=county.project.signed_on)
        for unit in (county.town, county.town_park, county.other_town)
    ]
    rows = [[key.code, format_month(LAST), 120.5]] + [[p.code, format_month(LAST), 40 + i] for i, p in enumerate(built)]
    out, _ = run_import(
        "investment", office_sheet(tmp_path, INVESTMENT_HEADERS, rows, "county.xlsx"), "--user", "bureau"
    )
    assert "新增 4" in out
    assert MonthlyInvestment.objects.count() == 4
    assert MonthlyInvestment.objects.get(project=built[2]).amount == Decimal("42.00")
    assert AuditEntry.objects.filter(action="investment.set", source="import").count() == 4
    assert key_done(county.town) == Decimal("120.50")  # the key project's row only
    assert (key_done(county.town_park), key_done(county.other_town)) == (0, 0)

    plans = [[key.code, LAST.year, 1500]] + [[p.code, LAST.year, 600] for p in built]
    out, _ = run_import("plans", office_sheet(tmp_path, PLAN_HEADERS, plans, "plans.xlsx"), "--user", "bureau")
    assert AnnualPlan.objects.count() == 4
    january = UnitMonthTotal.objects.get(unit=county.town, month=LAST.replace(month=1))
    assert january.key_plan_wan == Decimal("1500")


def test_the_downloaded_template_lists_every_signed_project_and_imports_back(county, client_for, tmp_path):
    key = make_project(county.bureau, county.town, key_level="市重点")
    lead = make_project(county.bureau, county.town, stage="线索", signed_on=None, contract_amount=None)
    for kind, headers in (("investment", INVESTMENT_HEADERS), ("plans", PLAN_HEADERS)):
        response = client_for(county.reporter).get(
            reverse("sheet_template", args=[kind]), {"month": format_month(LAST)}
        )
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        rows = book.get_sheet_by_index(0).to_python()
        assert list(rows[0][:3]) == headers
        codes = [row[0] for row in rows[1:]]
        assert county.project.code in codes and key.code in codes  # the reporter's unit's signed projects
        assert lead.code not in codes
        filled = [[row[0], row[1] if kind == "investment" else int(row[1]), 10] for row in rows[1:]]
        path = office_sheet(tmp_path, headers, filled, f"{kind}.xlsx")
        out, _ = run_import(kind, path, "--user", "reporter")
        assert f"新增 {len(filled)}" in out
    assert MonthlyInvestment.objects.filter(project=county.project).exists()
    assert AnnualPlan.objects.filter(project=county.project).exists()
