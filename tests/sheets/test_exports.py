"""Every list and ranking page exports what it shows: numbers as numbers, text never a formula, and where a
template exists its headers, so the file re-imports unchanged."""

import io
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.xlsx_cells import content
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.progress import services as progress_services
from zhaoshang.projects import figures
from zhaoshang.reporting.services import unit_month_confirm

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def sheet(response):
    assert response.status_code == 200, content(response)[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return CalamineWorkbook.from_filelike(io.BytesIO(content(response))).get_sheet_by_index(0).to_python()


def test_the_dashboard_ranking_exports_ranks_numbers_and_lists(county, client_for):
    progress_services.targets_save(
        actor=county.bureau,
        year=LAST.year,
        cells={(county.town, "domestic_arrived_wan"): Decimal(1000), (county.other_town, "domestic_arrived_wan"): 500},
    )
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("420.5"))
    rows = sheet(
        client_for(county.leader).get(reverse("dashboard"), {"month": format_month(LAST)} | {"format": "xlsx"})
    )
    assert rows[0][:5] == ["考核组", "位次", "单位", "本月(万元)", f"1-{LAST.month}月累计(万元)"]
    town = next(r for r in rows if r[2] == "甲镇")
    assert town[0] == "乡镇组" and town[1] == 1.0 and town[3] == 420.5 and town[5] == 1000.0
    assert town[6] == 42.1  # 42.05% rounded half-up, as the page shows it, and a number
    assert next(r for r in rows if r[2] == "乙镇")[1] == 2.0


def test_the_indicator_drill_down_exports_every_unit(county, client_for):
    figures.monthly_funds_set(actor=county.bureau, project=county.park_project, month=LAST, amount=Decimal("30"))
    url = reverse("indicator_detail", args=["domestic_arrived_wan"])
    rows = sheet(client_for(county.unit_head).get(url, {"month": format_month(LAST), "format": "xlsx"}))
    names = [r[0] for r in rows[1:]]
    assert "甲镇工业园" in names and "乙镇" not in names  # the unit head's subtree only
    assert next(r for r in rows if r[0] == "甲镇工业园")[3] == 30.0


def test_the_economy_exports_as_its_template_and_reimports_unchanged(county, client_for, tmp_path):
    for region, growth in (("测试县", "5.2"), ('=HYPERLINK("http://x")', "-1")):
        progress_services.economic_figure_set(
            actor=county.bureau,
            region=region,
            month=LAST,
            indicator="fiscal_revenue",
            cumulative=Decimal("1234.5"),
            growth_pct=Decimal(growth),
        )
    response = client_for(county.bureau).get(reverse("economy"), {"month": format_month(LAST), "format": "xlsx"})
    rows = sheet(response)
    assert rows[0] == ["地区", "月份", "指标", "累计值", "同比增长(%)"]
    assert rows[1] == ["测试县", format_month(LAST), "财政收入", 1234.5, 5.2]
    assert rows[2][0] == '\'=HYPERLINK("http://x")'  # text, never a formula
    path = tmp_path / "economy.xlsx"
    path.write_bytes(content(response))
    out = StringIO()
    call_command("import_xlsx", "indicators", str(path), "--dry-run", stdout=out)
    assert "新增 0，更新 0，未变 2" in out.getvalue()  # the escaped region reads back as the text it was


def test_the_audit_log_exports_every_filtered_entry_for_the_auditor(county, client_for):
    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("8"))
    rows = sheet(client_for(county.auditor).get(reverse("audit_list"), {"format": "xlsx", "action": "funds.set"}))
    assert rows[0] == ["时间", "操作人", "单位", "操作", "对象", "来源", "内容"]
    assert [r[1:4] for r in rows[1:]] == [["reporter", "甲镇", "填报到位资金"]]
    assert "→ 8.00" in rows[1][6]
    assert client_for(county.bureau).get(reverse("audit_list"), {"format": "xlsx"}).status_code == 403


def test_the_month_status_exports_who_has_reported(county, client_for):
    unit_month_confirm(actor=county.unit_head, unit=county.town, month=LAST)
    url = reverse("month_status", args=[format_month(LAST)])
    rows = sheet(client_for(county.bureau).get(url, {"format": "xlsx"}))
    status = {r[0]: r[2] for r in rows[1:]}
    assert status["甲镇"] == "已上报" and status["乙镇"] == "未上报"


def test_the_dashboard_ranking_exports_the_gap_in_points_as_the_page_shows_it(county, client_for):
    progress_services.targets_save(
        actor=county.bureau, year=LAST.year, cells={(county.town, "domestic_arrived_wan"): Decimal(1000)}
    )
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("420.5"))
    rows = sheet(
        client_for(county.leader).get(reverse("dashboard"), {"month": format_month(LAST)} | {"format": "xlsx"})
    )
    assert rows[0][7] == "与序时进度差(个百分点)"
    town = next(r for r in rows if r[2] == "甲镇")
    gap = (Decimal("0.4205") - Decimal(LAST.month) / 12) * 100  # already points: not multiplied by 100 again
    assert town[7] == float(gap.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
