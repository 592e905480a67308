"""Issued bulletins stay as issued; the command, the pages, the docx and the xlsx, each opened and read back."""

import io
import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import services
from zhaoshang.bulletins.models import Bulletin, BulletinIsFrozen
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.progress import services as progress_services
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def test_an_issued_bulletin_does_not_change_when_the_data_does(county):
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("5000"))
    issued = services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST)
    text, snapshot = issued.text, issued.snapshot
    assert "实际到位内资0.50亿元" in text
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("9000"))
    make_project(county.bureau, county.town, signed_on=LAST)
    issued.refresh_from_db()
    assert issued.text == text and issued.snapshot == snapshot
    draft_snapshot, draft_text, _ = services.draft(county.root, LAST)
    assert "实际到位内资0.90亿元" in draft_text  # the live draft moves on
    issued.title = "改过的标题"
    with pytest.raises(BulletinIsFrozen):
        issued.save()
    with pytest.raises(BulletinIsFrozen):
        issued.delete()
    assert AuditEntry.objects.filter(action="bulletin.issued", actor=county.bureau).count() == 1


def test_a_new_bulletin_says_what_changed_since_the_previous(county):
    # November and December of last year: two finished months of one year, whatever today is.
    december = date(current_month().year - 1, 12, 1)
    november = date(december.year, 11, 1)
    services.bulletin_issue(actor=county.bureau, unit=county.root, month=november)
    make_project(county.bureau, county.town, signed_on=date(december.year, 12, 2), contract_amount=Decimal("12000"))
    second = services.bulletin_issue(actor=county.bureau, unit=county.root, month=december)
    assert second.previous is not None
    assert f"较上期（{november.year}年11月）通报，新增签约项目1个，其中亿元以上项目1个" in second.text


def test_the_current_month_cannot_be_issued(county):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未结束"):
        services.bulletin_issue(actor=county.bureau, unit=county.root, month=current_month())


def test_the_command_writes_text_json_and_docx(county, tmp_path):
    out = StringIO()
    call_command("bulletin", "--period", format_month(LAST), stdout=out)
    assert "招商引资和项目建设情况的通报" in out.getvalue() and "XX" not in out.getvalue()
    json_out = StringIO()
    call_command("bulletin", "--period", format_month(LAST), "--unit", "甲镇", "--format", "json", stdout=json_out)
    data = json.loads(json_out.getvalue())
    assert {"period", "schedule_rate", "indicators", "units", "groups", "economy", "text"} <= set(data)
    assert set(data["indicators"]["domestic_arrived_wan"]) >= {
        "month",
        "ytd",
        "target",
        "completion_rate",
        "schedule_gap_pp",
    }
    assert data["unit"] == "甲镇" and data["period"] == format_month(LAST)
    target = tmp_path / "b.docx"
    call_command(
        "bulletin", "--period", format_month(LAST), "--format", "docx", "--output", str(target), stderr=StringIO()
    )
    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    assert paragraphs[0] == "测试县招商引资工作领导小组办公室文件"  # the 版头, then the title
    assert any(p.startswith("关于") for p in paragraphs)
    with pytest.raises(CommandError, match="月份"):
        call_command("bulletin", "--period", "2026-13")
    with pytest.raises(CommandError, match="不在该用户的权限范围内"):
        call_command("bulletin", "--period", format_month(LAST), "--unit", "乙镇", "--user", "reporter")


def set_town_targets(county):
    """A target of 100 (万元) of 实际到位内资 for LAST's year for 甲镇 and for 乙镇: the towns' ranking has rows."""
    progress_services.targets_save(
        actor=county.bureau,
        year=LAST.year,
        cells={
            (county.town, "domestic_arrived_wan"): Decimal(100),
            (county.other_town, "domestic_arrived_wan"): Decimal(100),
        },
    )


def test_the_docx_is_a4_with_chinese_fonts_page_numbers_and_the_tables(county):
    set_town_targets(county)
    response = client_get(county, "bulletin_draft", {"month": format_month(LAST), "format": "docx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    first, annex = document.sections[0], document.sections[1]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == (297, 210)  # landscape tables
    assert "PAGE" in first.footer._element.xml
    assert 'w:eastAsia="仿宋"' in document.styles["Normal"].element.xml
    body = "\n".join(p.text for p in document.paragraphs)
    assert "招商引资和项目建设情况的通报" in body and "实际到位内资" in body
    titles = [
        p.text
        for p in document.paragraphs
        if p.text.endswith("排名（按实际到位内资完成率）") or p.text in ("红黑榜", "进度滞后的重点项目")
    ]
    assert "乡镇组排名（按实际到位内资完成率）" in titles and "红黑榜" in titles
    ranking = document.tables[0]
    assert ranking.rows[0].cells[0].text == "位次"
    assert {row.cells[1].text.split("（")[0] for row in ranking.rows[1:]} >= {"甲镇", "乙镇"}


def test_the_xlsx_annex_keeps_numbers_and_never_makes_a_formula(county):
    county.other_town.name = '=HYPERLINK("http://x")'
    county.other_town.save()
    set_town_targets(county)
    response = client_get(county, "bulletin_draft", {"month": format_month(LAST), "format": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert "红黑榜" in book.sheet_names
    rows = book.get_sheet_by_name("乡镇组排名").to_python()
    assert rows[1][0] == "位次"
    names = [row[1] for row in rows[2:]]
    assert '\'=HYPERLINK("http://x")' in names  # escaped text, not a formula
    ranks = [row[0] for row in rows[2:]]
    assert all(isinstance(r, float) for r in ranks)  # numbers stay numbers


def test_the_pages_scope_and_issue(county, client_for):
    reporter = client_for(county.reporter)
    page = reporter.get(reverse("bulletin_draft")).content.decode()
    assert "关于" in page and "甲镇" in page and "印发本期通报" not in page
    assert reporter.post(reverse("bulletin_issue") + f"?month={format_month(LAST)}").status_code == 403
    bureau = client_for(county.bureau)
    response = bureau.post(reverse("bulletin_issue") + f"?month={format_month(LAST)}")
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bulletin_issued", args=[bulletin.pk])
    assert "已印发" in bureau.get(reverse("bulletin_issued", args=[bulletin.pk])).content.decode()
    assert reporter.get(reverse("bulletin_issued", args=[bulletin.pk])).status_code == 404  # the county's, not 甲镇's
    assert bulletin.title in client_for(county.leader).get(reverse("bulletin_list")).content.decode()
    assert bulletin.title not in reporter.get(reverse("bulletin_list")).content.decode()


def client_get(county, name, params):
    from django.test import Client

    client = Client()
    client.force_login(county.leader)
    return client.get(reverse(name), params)


def test_the_first_month_of_a_year_compares_with_nothing(county):
    snapshot, text, previous = services.draft(county.root, date(LAST.year, 1, 1))
    assert "较上期" not in text


@pytest.mark.parametrize("user", ["reporter", "leader"])
def test_only_the_bureau_issues_a_bulletin_from_the_command_line(county, user):
    with pytest.raises(CommandError, match="只有主管部门管理员可以印发通报"):
        call_command(
            "bulletin", "--period", format_month(LAST), "--unit", "甲镇", "--issue", "--user", user, stdout=StringIO()
        )
    assert not Bulletin.objects.exists()


def test_a_county_bureau_issues_no_bulletin_for_a_neighbouring_county(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(CommandError, match="不在该用户的权限范围内"):
        call_command(
            "bulletin", "--period", format_month(LAST), "--unit", "测试县", "--issue", "--user", "n_bureau",
            stdout=StringIO(),
        )  # fmt: skip
    with pytest.raises(PermissionDenied, match="印发该单位的通报"):  # the service holds the line itself
        services.bulletin_issue(actor=city.n_bureau, unit=city.county.root, month=LAST)
    assert not Bulletin.objects.exists()
    call_command(
        "bulletin", "--period", format_month(LAST), "--unit", "邻县", "--issue", "--user", "n_bureau", stdout=StringIO()
    )
    assert Bulletin.objects.get().unit == city.neighbour
