"""The 产业链 sheet and the ledger's 产业链 column through the real importer, from real .xlsx files: a chain's rows
all or none; a project's 产业链 as a chain's name or `链/环节`; an unknown chain refused where the county has chains,
the text kept where it has none; the export writes `链/环节` back."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.chains.helpers import make_chain
from tests.sheets.files import xlsx
from tests.sheets.test_import_records import PROJECT_HEADERS, project_row
from zhaoshang.audit.models import AuditEntry
from zhaoshang.chains.exports import CHAIN_HEADERS
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.projects.models import Project
from zhaoshang.sheets.frontline_imports import LeadsImporter
from zhaoshang.sheets.services import run_import

pytestmark = pytest.mark.django_db
SHEET = CHAIN_HEADERS + ["工作方向"]


def run(kind, path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", kind, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_the_chains_sheet_lays_out_chains_and_links_for_the_bureau(county, tmp_path):
    rows = [
        ["新能源汽车", "动力电池", "上游", "薄弱", "leader", "投资促进中心", "补链"],
        ["新能源汽车", "整车制造", "中游", "已有优势", None, None, "强链"],
        ["新能源汽车", "充换电服务", "下游", "缺失", None, None, "延链"],
        ["绿色食品", None, None, None, None, None, None],
    ]
    status, out, err = run("chains", xlsx(tmp_path, rows, SHEET, name="chains.xlsx"), "--user", "bureau")
    assert status == 0, err
    chain = Chain.objects.get(name="新能源汽车")
    assert chain.owner == county.root and chain.leader == county.leader and chain.lead_unit == county.bureau_unit
    assert list(chain.links.values_list("name", "position", "work")) == [
        ("动力电池", "上游", "补链"),
        ("整车制造", "中游", "强链"),
        ("充换电服务", "下游", "延链"),
    ]
    assert Chain.objects.get(name="绿色食品").links.count() == 0
    assert AuditEntry.objects.filter(action="chain.link_created", source="import").count() == 3
    # the export is the same sheet: it re-imports unchanged
    export = county_export(county, tmp_path)
    status, out, err = run("chains", export, "--user", "bureau")
    assert status == 0, err
    assert "新增 0，更新 0，未变 4" in out, out


def county_export(county, tmp_path):
    client = Client()
    client.force_login(county.bureau)
    data = b"".join(client.get(reverse("chain_manage"), {"format": "xlsx"}).streaming_content)
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    return path


def test_a_bad_row_in_the_chains_sheet_writes_nothing(county, tmp_path):
    rows = [
        ["新能源汽车", "动力电池", "上游", "薄弱", None, None, None],
        ["新能源汽车", "整车制造", "中间", "很强", "无此人", "外县单位", "强链"],
        ["新能源汽车", "动力电池", "上游", "薄弱", None, None, None],
    ]
    status, _, err = run("chains", xlsx(tmp_path, rows, SHEET, name="chains.xlsx"), "--user", "bureau")
    assert status == 1
    assert "第3行 位置: “中间”不是可选值" in err
    assert "第3行 强弱: “很强”不是可选值" in err
    assert "第3行 链长: 没有用户名或姓名为“无此人”的本单位账号" in err
    assert "第3行 牵头单位: “外县单位”不是本单位或下属单位" in err
    assert "第4行 产业链: 与第2行重复" in err
    assert not Chain.objects.exists() and not ChainLink.objects.exists()


def test_only_a_bureau_imports_chains(county, tmp_path):
    rows = [["新能源汽车", "动力电池", "上游", "薄弱", None, None, None]]
    status, _, err = run("chains", xlsx(tmp_path, rows, SHEET, name="chains.xlsx"), "--user", "unithead")
    assert status == 1 and "只有主管部门管理员可以导入产业链" in err
    assert not Chain.objects.exists()


def test_the_projects_sheet_takes_a_chain_or_chain_slash_link(county, tmp_path):
    chain = make_chain(county.bureau)
    rows = [
        project_row("XM-001", 产业链="新能源汽车"),
        project_row("XM-002", 产业链="新能源汽车/动力电池"),
        project_row("XM-003", 产业链="新能源汽车／整车制造"),
    ]
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 0, err
    got = {
        p.code: (p.chain_id, p.chain_link.name if p.chain_link_id else None)
        for p in Project.objects.filter(code__startswith="XM")
    }
    assert got == {"XM-001": (chain.pk, None), "XM-002": (chain.pk, "动力电池"), "XM-003": (chain.pk, "整车制造")}
    # the ledger's export writes `链/环节` in the 产业链 column
    client = Client()
    client.force_login(county.unit_head)
    data = b"".join(client.get(reverse("project_list"), {"format": "xlsx"}).streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    column = sheet[0].index("产业链")
    assert {row[column] for row in sheet[1:]} >= {"新能源汽车", "新能源汽车/动力电池", "新能源汽车/整车制造"}


def test_an_unknown_chain_is_refused_naming_the_countys_chains(county, tmp_path):
    make_chain(county.bureau)
    make_chain(county.bureau, name="生物医药", links=[])
    rows = [project_row("XM-001", 产业链="新材料"), project_row("XM-002", 产业链="新能源汽车/轮胎")]
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 1
    assert "第2行 产业链: 没有名为“新材料”的产业链（本县产业链：新能源汽车、生物医药）" in err
    assert "第3行 产业链: 产业链“新能源汽车”没有名为“轮胎”的环节" in err
    assert not Project.objects.filter(code__startswith="XM").exists()


def test_where_the_county_has_no_chains_the_text_is_kept(city, tmp_path):
    make_chain(city.n_bureau, name="邻县链")  # a neighbour's chains are not 测试县's
    rows = [project_row("XM-001", 产业链="新材料")]
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 0, err
    project = Project.objects.get(code="XM-001")
    assert project.industry_chain == "新材料" and project.chain is None


def test_the_leads_sheet_takes_the_chain_too(county, tmp_path):
    chain = make_chain(county.bureau)
    values = dict(
        zip(
            PROJECT_HEADERS,
            project_row("XL-001", 产业链="新能源汽车/动力电池", 项目阶段="线索", 签约日期="", 协议资金=""),
            strict=True,
        )
    )
    row = [values.get(h) for h in LeadsImporter.headers]
    status, _, err = run("leads", xlsx(tmp_path, [row], LeadsImporter.headers, name="leads.xlsx"), "--user", "reporter")
    assert status == 0, err
    lead = Project.objects.get(code="XL-001")
    assert lead.chain == chain and lead.chain_link.name == "动力电池"


def test_the_chains_template_opens_with_its_headers_in_order_and_the_bureaus_chains(city, client_for):
    """The template as the bureau downloads it, read with the real xlsx reader: the importer's headers in order, the
    county's chains one row per link (never a neighbouring county's), and it re-imports as unchanged."""
    county = city.county
    make_chain(county.bureau)
    make_chain(city.n_bureau, name="邻县绿色食品", links=(("冷链", "下游", "缺失"),))
    response = client_for(county.bureau).get(reverse("sheet_template", args=["chains"]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["产业链", "环节", "位置", "强弱", "链长", "牵头单位", "工作方向"]
    body = [row[:4] for row in sheet[1:] if any(row)]
    assert body == [["新能源汽车", "动力电池", "上游", "薄弱"], ["新能源汽车", "整车制造", "中游", "已有优势"]]
    result = run_import("chains", data, file_name="产业链模板.xlsx", actor=county.bureau, dry_run=True)
    assert result.ok and (result.created, result.updated) == (0, 0), result.errors
    # the template is the bureau's: a reporter or a leader may not lay out chains
    for user in (county.reporter, county.leader):
        assert client_for(user).get(reverse("sheet_template", args=["chains"])).status_code == 403
