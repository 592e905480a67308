"""Users' text through the product's own spreadsheets: an escaped formula (`'=…`) reads back as the text it was,
so an export re-imports unchanged (the escaping alone: tests/core/test_files.py); a sheet named after a campaign
or a group is a name Excel accepts."""

import io
from io import StringIO
from urllib.parse import unquote

from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.sheets.files import run_import, xlsx
from tests.xlsx_cells import content
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org.models import AssessmentGroup
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.models import Campaign
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import MonthlyFunds, Project

LAST = add_months(current_month(), -1)
ODD_NAME = "夏季/攻势[2026]:*?"


def test_the_ledger_export_of_formula_like_texts_reimports_unchanged(county, client_for, tmp_path):
    project_services.project_update(
        actor=county.bureau,
        project=county.project,
        values={"name": "=SUM(A1)", "investor": "-甲", "leader_in_charge": "@张"},
    )
    exported = content(client_for(county.unit_head).get(reverse("project_list"), {"format": "xlsx"}))
    row = next(
        r
        for r in CalamineWorkbook.from_filelike(io.BytesIO(exported)).get_sheet_by_index(0).to_python()
        if r[0] == county.project.code
    )
    assert row[1:3] == ["'=SUM(A1)", "'-甲"]  # escaped in the file: never a formula
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(exported)
    out, _ = run_import("projects", path, "--user", "unithead", "--dry-run")
    assert "新增 0，更新 0，未变 2" in out
    out, _ = run_import("projects", path, "--user", "unithead")
    project = Project.objects.get(pk=county.project.pk)
    assert (project.name, project.investor, project.leader_in_charge) == ("=SUM(A1)", "-甲", "@张")


def test_a_monthly_template_with_a_code_starting_with_a_minus_reimports(county, client_for, tmp_path):
    Project.objects.filter(pk=county.project.pk).update(code="-001")
    response = client_for(county.reporter).get(reverse("sheet_template", args=["funds"]), {"month": format_month(LAST)})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content(response))).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "'-001"
    filled = xlsx(tmp_path, [(row[0], row[1], 9) for row in rows[1:]])
    run_import("funds", filled, "--user", "reporter")
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == 9


def test_a_campaign_named_with_characters_excel_refuses_in_sheet_names_exports(county, client_for):
    campaign = Campaign(name=ODD_NAME, start_month=add_months(current_month(), -3), end_month=current_month())
    progress_services.campaign_save(actor=county.bureau, campaign=campaign)
    response = client_for(county.bureau).get(
        reverse("campaign_detail", args=[campaign.pk]), {"format": "xlsx", "month": format_month(LAST)}
    )
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(content(response)))
    assert book.sheet_names == [f"夏季／攻势【2026】：＊？-{format_month(LAST)}"]
    disposition = response["Content-Disposition"]
    assert "/" not in disposition and unquote(disposition.split("''")[1]) == f"{ODD_NAME}-{format_month(LAST)}.xlsx"


def test_a_group_named_with_characters_excel_refuses_titles_its_bulletin_sheet(county, client_for):
    AssessmentGroup.objects.filter(name="乡镇组").update(name="乡镇/街道组[一]")
    response = client_for(county.bureau).get(reverse("bulletin_draft"), {"month": format_month(LAST), "format": "xlsx"})
    assert response.status_code == 200
    assert "乡镇／街道组【一】排名" in CalamineWorkbook.from_filelike(io.BytesIO(content(response))).sheet_names


def test_the_command_line_bulletin_annex_takes_the_same_names(county, tmp_path):
    AssessmentGroup.objects.filter(name="乡镇组").update(name="'甲:乙'")
    target = tmp_path / "annex.xlsx"
    period = format_month(LAST)
    call_command("bulletin", "--period", period, "--format", "xlsx", "--output", str(target), stdout=StringIO())
    assert "甲：乙'排名" in CalamineWorkbook.from_path(str(target)).sheet_names
