"""The record sheets (单位, 项目台账, 年度投资计划, 目标任务, 经济指标) through the real importer, from real .xlsx
files: every row checked, nothing written on any error, templates and exports that re-import as "unchanged"."""

import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import credit_code, default_signing_day, make_project, make_unit, make_user, set_fiscal_revenue
from tests.sheets.files import xlsx
from tests.xlsx_cells import content
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org.models import AssessmentGroup, Role, Unit
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.models import EconomicFigure, Target
from zhaoshang.projects import figures
from zhaoshang.projects.models import AnnualPlan, Project, StageChange
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.record_imports import ProjectsImporter

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
YEAR = LAST.year
PROJECT_HEADERS = ProjectsImporter.headers


def run(kind, path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", kind, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def project_row(code, unit="甲镇", **changes):
    values = {
        "项目编号": code,
        "项目名称": f"{code} 新材料项目",
        "投资方": "安徽新材料科技有限公司",
        "统一社会信用代码": credit_code(int(code[-3:]) + 50000),
        "资金类型": "内资",
        "责任单位": unit,
        "招商小分队": "",
        "包保领导": "",
        "产业链": "新材料",
        "项目阶段": "签约",
        "签约日期": default_signing_day().isoformat(),
        "协议资金": 12000,
        "计划总投资(万元)": 30000,
        "开工日期": "",
        "投产日期": "",
        "重点项目级别": "",
    }
    values.update(changes)
    return [values[h] or None for h in PROJECT_HEADERS]


# --- 项目台账 ---------------------------------------------------------------------------------------------------------


def test_it_creates_projects_from_a_sheet_and_audits_each(county, tmp_path):
    path = xlsx(tmp_path, [project_row("XM-001"), project_row("XM-002", 协议资金="800.5")], PROJECT_HEADERS)
    status, out, err = run("projects", path, "--user", "reporter")
    assert status == 0, err
    assert "新增 2" in out
    first = Project.objects.get(code="XM-001")
    assert (first.responsible_unit, first.contract_amount, first.is_major) == (county.town, Decimal("12000.00"), True)
    assert Project.objects.get(code="XM-002").contract_amount == Decimal("800.50")
    log = ImportLog.objects.get()
    created = AuditEntry.objects.filter(action="project.created", source="import", actor=county.reporter)
    assert created.count() == 2 and all(e.data["import"] == log.pk for e in created)


def test_one_bad_credit_code_among_sixty_rows_writes_nothing(county, tmp_path):
    rows = [project_row(f"XM-{n:03d}") for n in range(1, 61)]
    rows[48][PROJECT_HEADERS.index("统一社会信用代码")] = credit_code(7)[:-1] + "0"  # row 50 in Excel
    if rows[48][3] == credit_code(7):
        rows[48][3] = credit_code(7)[:-1] + "1"
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 1
    assert "第50行 统一社会信用代码: 校验位错误" in err
    assert not Project.objects.filter(code__startswith="XM-").exists()
    assert not AuditEntry.objects.filter(source="import").exists()


def test_a_reporter_naming_another_unit_is_refused_not_rewritten(county, tmp_path):
    rows = [project_row("XM-001"), project_row("XM-002", unit="乙镇"), project_row("XM-003", unit="不存在镇")]
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 1
    assert "第3行 责任单位: “乙镇”不在您的填报范围内" in err
    assert "第4行 责任单位: 没有名为“不存在镇”的单位" in err
    assert not Project.objects.filter(code__startswith="XM-").exists()


def test_wrong_cells_are_each_named_with_row_and_column(county, tmp_path):
    rows = [
        project_row("XM-001", 资金类型="港资"),
        project_row("XM-002", 签约日期="2026年3月"),
        project_row("XM-003", 协议资金="-5"),
        project_row("XM-001"),
        project_row("XM-005", 项目名称=""),
        project_row("XM-006", 项目阶段="开工"),  # 开工 without its date: the service's own stage/date rule
    ]
    status, _, err = run("projects", xlsx(tmp_path, rows, PROJECT_HEADERS), "--user", "reporter")
    assert status == 1
    assert "第2行 资金类型: “港资”不是可选值（可选：内资、外资）" in err
    assert "第3行 签约日期: 日期格式应为 YYYY-MM-DD" in err
    assert "第4行 协议资金: 不能为负数" in err
    assert "第5行 项目编号: 与第2行重复" in err
    assert "第6行 项目名称: 不能为空" in err
    assert "第7行 开工日期:" in err
    assert not Project.objects.filter(code__startswith="XM-").exists()


def test_a_duplicate_of_an_existing_project_is_refused(county, tmp_path):
    twin = project_row("XM-001", 项目名称=county.project.name, 统一社会信用代码=county.project.credit_code)
    status, _, err = run("projects", xlsx(tmp_path, [twin], PROJECT_HEADERS), "--user", "reporter")
    assert status == 1
    assert f"与已有项目 {county.project.code} 重复" in err


def test_another_units_project_code_cannot_be_overwritten(county, tmp_path):
    row = project_row(county.other_project.code, 项目名称="改名")
    status, _, err = run("projects", xlsx(tmp_path, [row], PROJECT_HEADERS), "--user", "reporter")
    assert status == 1 and "第2行 项目编号: 该项目编号已被使用，且项目不在您的填报范围内" in err
    assert Project.objects.get(pk=county.other_project.pk).name != "改名"


def test_the_ledger_export_reimports_unchanged_and_edits_become_updates(county, client_for, tmp_path):
    client = client_for(county.unit_head)
    exported = content(client.get(reverse("project_list"), {"format": "xlsx"}))
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(exported)
    status, out, err = run("projects", path, "--user", "unithead", "--dry-run")
    assert status == 0, err
    assert "新增 0，更新 0，未变 2" in out

    rows = CalamineWorkbook.from_filelike(io.BytesIO(exported)).get_sheet_by_index(0).to_python()
    code_col, stage_col, start_col = (PROJECT_HEADERS.index(h) for h in ("项目编号", "项目阶段", "开工日期"))
    body = [list(r) for r in rows[1:]]
    mine = next(r for r in body if r[code_col] == county.project.code)
    mine[PROJECT_HEADERS.index("包保领导")] = "张县长"
    mine[stage_col] = "注册"
    status, out, err = run("projects", xlsx(tmp_path, body, PROJECT_HEADERS), "--user", "unithead")
    assert status == 0, err
    assert "更新 1，未变 1" in out
    project = Project.objects.get(pk=county.project.pk)
    assert (project.leader_in_charge, project.stage) == ("张县长", "注册")
    assert StageChange.objects.filter(project=project, to_stage="注册").exists()

    mine[stage_col], mine[start_col] = "投产", ""
    status, _, err = run("projects", xlsx(tmp_path, body, PROJECT_HEADERS), "--user", "unithead")
    assert status == 1 and "只能逐级变更为：开工" in err


# --- 单位 -------------------------------------------------------------------------------------------------------------


UNIT_HEADERS = ["单位名称", "单位类型", "上级单位", "考核组"]


def test_the_system_admin_imports_units_parents_first_and_new_groups(county, tmp_path):
    rows = [
        ["丙镇", "乡镇", "测试县", "乡镇组"],
        ["丙镇工业园", "园区", "丙镇", "新兴园区组"],  # its parent is on the row above
        ["乙镇", "街道", "测试县", "乡镇组"],  # an update by name
    ]
    status, out, err = run("units", xlsx(tmp_path, rows, UNIT_HEADERS), "--user", "sysadmin")
    assert status == 0, err
    assert "新增 2，更新 1" in out
    park = Unit.objects.get(name="丙镇工业园")
    assert park.parent.name == "丙镇" and park.path.startswith(Unit.objects.get(name="丙镇").path)
    assert AssessmentGroup.objects.filter(name="新兴园区组").exists()
    assert Unit.objects.get(name="乙镇").kind == "街道"
    assert AuditEntry.objects.filter(action="group.created", source="import").count() == 1


def test_units_are_refused_to_business_users_and_bad_parents_named(county, tmp_path):
    rows = [["丙镇", "乡镇", "没有的县", ""], ["丁镇", "村", "测试县", ""]]
    status, _, err = run("units", xlsx(tmp_path, rows, UNIT_HEADERS), "--user", "bureau")
    assert status == 1 and "单位表只能由系统管理员导入" in err
    status, _, err = run("units", xlsx(tmp_path, rows, UNIT_HEADERS), "--user", "sysadmin")
    assert status == 1
    assert "第2行 上级单位: 上级单位“没有的县”不存在" in err
    assert "第3行 单位类型: “村”不是可选值" in err
    assert not Unit.objects.filter(name__in=["丙镇", "丁镇"]).exists()


# --- 年度投资计划, 目标任务, 经济指标 ---------------------------------------------------------------------------------


def test_plans_go_to_signed_projects_key_or_not(county, tmp_path):
    key = make_project(county.bureau, county.town, key_level="县重点")
    lead = make_project(county.bureau, county.town, stage="在谈", signed_on=None, contract_amount=None)
    rows = [[key.code, YEAR, 5000], [county.project.code, YEAR, 100], [lead.code, YEAR, 1], [key.code, "明年", 1]]
    status, _, err = run(
        "plans", xlsx(tmp_path, rows, ["项目编号", "年度", "年度计划投资(万元)"]), "--user", "reporter"
    )
    assert status == 1
    assert f"第4行 年度计划投资(万元): {lead.code} 尚未签约（在谈），不填报年度计划投资" in err
    assert "第5行 年度: “明年”不是数字" in err
    assert "第3行" not in err  # county.project is signed, not a key project: its plan is a fact like any other
    assert not AnnualPlan.objects.exists()
    status, out, _ = run("plans", xlsx(tmp_path, rows[:2], ["项目编号", "年度", "年度计划投资(万元)"]))
    assert status == 0 and AnnualPlan.objects.get(project=key, year=YEAR).amount == Decimal("5000.00")
    assert AnnualPlan.objects.get(project=county.project, year=YEAR).amount == Decimal("100.00")


def test_targets_are_the_bureaus_and_name_units_and_indicators(county, tmp_path):
    headers = ["单位", "年度", "指标", "目标值"]
    rows = [["甲镇", YEAR, "签约内资项目", 12], ["乙镇", YEAR, "实际到位内资", 25000], ["甲镇", YEAR, "招商引资", 1]]
    status, _, err = run("targets", xlsx(tmp_path, rows, headers), "--user", "reporter")
    assert status == 1 and "目标任务只能由主管部门管理员导入" in err
    status, _, err = run("targets", xlsx(tmp_path, rows, headers), "--user", "bureau")
    assert status == 1 and "第4行 指标: “招商引资”不是可选值" in err
    status, _, err = run("targets", xlsx(tmp_path, rows[:2] + [["甲镇", YEAR, "新开工项目", 2.5]], headers))
    assert status == 1 and "第4行 目标值: 个数指标应为整数" in err
    assert not Target.objects.exists()
    status, out, err = run("targets", xlsx(tmp_path, rows[:2], headers), "--user", "bureau")
    assert status == 0, err
    assert Target.objects.get(unit=county.other_town, indicator="domestic_arrived_wan").value == Decimal("25000")


def test_economic_indicators_take_negative_growth(county, tmp_path):
    headers = ["地区", "月份", "指标", "累计值", "同比增长(%)"]
    rows = [["测试县", format_month(LAST), "财政收入", 182000.5, -3.5], ["邻县", LAST, "技改投资", 9000, "12.25"]]
    status, out, err = run("indicators", xlsx(tmp_path, rows, headers), "--user", "bureau")
    assert status == 0, err
    figure = EconomicFigure.objects.get(region="测试县", indicator="fiscal_revenue")
    assert (figure.month, figure.cumulative, figure.growth_pct) == (LAST, Decimal("182000.50"), Decimal("-3.50"))
    status, out, _ = run("indicators", xlsx(tmp_path, rows, headers), "--user", "bureau")
    assert "未变 2" in out


# --- Templates: drop-downs, and a filled-in template re-imports unchanged -------------------------------------------


def _download(client, kind, **params):
    response = client.get(reverse("sheet_template", args=[kind]), params)
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.mark.parametrize(
    "kind, user, headers",
    [
        ("units", "sysadmin", UNIT_HEADERS),
        ("projects", "reporter", PROJECT_HEADERS),
        ("plans", "reporter", ["项目编号", "年度", "年度计划投资(万元)"]),
        ("targets", "bureau", ["单位", "年度", "指标", "目标值"]),
        ("indicators", "bureau", ["地区", "月份", "指标", "累计值", "同比增长(%)"]),
        ("investment", "reporter", ["项目编号", "月份", "本月完成投资(万元)"]),
    ],
)
def test_every_template_has_the_headers_and_drop_downs(county, client_for, kind, user, headers):
    make_project(county.bureau, county.town, key_level="县重点")  # the plan and investment sheets list it
    content = _download(client_for(getattr(county, user)), kind)
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.get_sheet_by_index(0).to_python()[0][: len(headers)] == headers
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert 'type="list"' in sheet_xml and "选项" in sheet_xml  # the enumerations are drop-downs
    assert "xl/comments1.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()  # a hint per column


def test_the_filled_in_templates_reimport_unchanged(county, client_for, tmp_path):
    key = make_project(county.bureau, county.town, key_level="县重点")
    figures.annual_plan_set(actor=county.bureau, project=key, year=YEAR, amount=Decimal("3000"))
    progress_services.targets_save(
        actor=county.bureau, year=YEAR, cells={(county.town, "domestic_signed_count"): Decimal(8)}
    )
    set_fiscal_revenue(county.bureau, LAST, "1000", "-2")
    cases = [("units", "sysadmin", 0), ("plans", "reporter", 1), ("targets", "bureau", 1), ("indicators", "bureau", 1)]
    for kind, user, expected_unchanged in cases:
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(_download(client_for(getattr(county, user)), kind, month=format_month(LAST)))
        status, out, err = run(kind, path, "--user", getattr(county, user).username, "--dry-run")
        assert status == 0, (kind, err)
        assert "新增 0，更新 0" in out, (kind, out)
        if expected_unchanged:
            assert f"未变 {expected_unchanged}" in out, (kind, out)


# --- The import page: the refused file handed back with its errors ---------------------------------------------------


def test_the_page_hands_back_the_refused_file_with_an_error_column(county, client_for, tmp_path):
    rows = [project_row("XM-001"), project_row("XM-002", 资金类型="港资")]
    client = client_for(county.reporter)
    with open(xlsx(tmp_path, rows, PROJECT_HEADERS), "rb") as handle:
        response = client.post(reverse("import_page"), {"kind": "projects", "file": handle})
    assert response.status_code == 400
    link = response.context["error_token"]
    returned = client.get(reverse("import_error_file", args=[link]))
    assert returned.status_code == 200
    back = CalamineWorkbook.from_filelike(io.BytesIO(returned.content)).get_sheet_by_index(0).to_python()
    assert back[0][: len(PROJECT_HEADERS)] == PROJECT_HEADERS
    assert back[1][len(PROJECT_HEADERS) + 1] == ""  # the good row carries no message
    assert back[2][len(PROJECT_HEADERS) + 1] == "资金类型: “港资”不是可选值（可选：内资、外资）"
    assert back[2][0] == "XM-002"  # the user's own rows, in place
    # Mended in place, the same file imports (the error column is ignored).
    back[2][PROJECT_HEADERS.index("资金类型")] = "内资"
    fixed = xlsx(tmp_path, [r[: len(PROJECT_HEADERS)] for r in back[1:]], PROJECT_HEADERS, name="fixed.xlsx")
    assert run("projects", fixed, "--user", "reporter", "--dry-run")[0] == 0
    # Nobody else can fetch it.
    assert client_for(county.unit_head).get(reverse("import_error_file", args=[link])).status_code == 404
    assert not Project.objects.filter(code__startswith="XM-").exists()


def test_the_page_offers_each_role_only_its_kinds(county, client_for):
    kinds = lambda user: [k for k, _ in client_for(user).get(reverse("import_page")).context["kinds"]]  # noqa: E731
    front_line = ["trips", "receptions", "leads", "followups"]
    # 目标企业 and 载体 are a unit's own lists; 产业链 the bureau's
    assert kinds(county.reporter) == [
        "projects",
        "funds",
        "plans",
        "investment",
        *front_line,
        "enterprises",
        "carriers",
    ]
    assert kinds(county.bureau) == [
        "projects",
        "funds",
        "plans",
        "investment",
        "targets",
        "indicators",
        *front_line,
        "chains",
        "enterprises",
        "carriers",
        "assessment_inputs",  # 考核数据: the bureau's own schemes
    ]
    assert kinds(county.sysadmin) == ["units", "accounts"]
    assert client_for(county.leader).get(reverse("import_page")).status_code == 403
    assert client_for(county.reporter).get(reverse("sheet_template", args=["targets"])).status_code == 403


# --- Undo -------------------------------------------------------------------------------------------------------------


FUNDS = ["项目编号", "月份", "到位资金"]


def test_an_import_is_undone_as_a_whole(county, client_for, tmp_path):
    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("50"))
    rows = [[county.project.code, format_month(LAST), 80], [county.park_project.code, format_month(LAST), 20]]
    assert run("funds", xlsx(tmp_path, rows, FUNDS), "--user", "unithead")[0] == 0
    log = ImportLog.objects.get()
    response = client_for(county.unit_head).post(reverse("import_undo", args=[log.pk]))
    assert response.status_code == 302
    from zhaoshang.projects.models import MonthlyFunds

    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("50.00")
    assert not MonthlyFunds.objects.filter(project=county.park_project).exists()
    log.refresh_from_db()
    assert log.undone_at and log.undone_by == county.unit_head
    assert AuditEntry.objects.filter(action="import.undone", actor=county.unit_head).exists()
    assert AuditEntry.objects.filter(action="funds.set", source="page", actor=county.unit_head).count() == 2
    # Twice is refused.
    client_for(county.unit_head).post(reverse("import_undo", args=[log.pk]))
    assert AuditEntry.objects.filter(action="import.undone").count() == 1


def test_undo_is_refused_once_a_row_was_touched_later_and_nothing_moves(county, client_for, tmp_path):
    rows = [[county.project.code, format_month(LAST), 80], [county.park_project.code, format_month(LAST), 20]]
    assert run("funds", xlsx(tmp_path, rows, FUNDS), "--user", "unithead")[0] == 0
    figures.monthly_funds_set(actor=county.unit_head, project=county.park_project, month=LAST, amount=Decimal("25"))
    from zhaoshang.projects.models import MonthlyFunds
    from zhaoshang.sheets.undo import UndoRefused, import_undo

    with pytest.raises(UndoRefused, match="导入后已被修改"):
        import_undo(actor=county.unit_head, log=ImportLog.objects.get())
    assert MonthlyFunds.objects.get(project=county.project).amount == Decimal("80.00")


def test_undo_restores_updated_projects_and_refuses_created_ones(county, tmp_path):
    from zhaoshang.sheets.undo import UndoRefused, import_undo

    row = project_row("XM-009")
    assert run("projects", xlsx(tmp_path, [row], PROJECT_HEADERS), "--user", "reporter")[0] == 0
    with pytest.raises(UndoRefused, match="项目不能删除"):
        import_undo(actor=county.reporter, log=ImportLog.objects.get())

    row[PROJECT_HEADERS.index("协议资金")] = 9000
    row[PROJECT_HEADERS.index("产业链")] = "装备制造"
    assert run("projects", xlsx(tmp_path, [row], PROJECT_HEADERS), "--user", "reporter")[0] == 0
    second = ImportLog.objects.latest("pk")
    assert Project.objects.get(code="XM-009").contract_amount == Decimal("9000.00")
    import_undo(actor=county.reporter, log=second)
    project = Project.objects.get(code="XM-009")
    assert (project.contract_amount, project.industry_chain, project.is_major) == (Decimal("12000.00"), "新材料", True)


def test_undo_of_targets_and_indicators_puts_back_what_was_there(county, tmp_path):
    from zhaoshang.sheets.undo import import_undo

    progress_services.targets_save(actor=county.bureau, year=YEAR, cells={(county.town, "started_count"): 3})
    headers = ["单位", "年度", "指标", "目标值"]
    rows = [["甲镇", YEAR, "新开工项目", 5], ["乙镇", YEAR, "新开工项目", 4]]
    assert run("targets", xlsx(tmp_path, rows, headers), "--user", "bureau")[0] == 0
    econ = [["测试县", format_month(LAST), "财政收入", 10, 1]]
    path = xlsx(tmp_path, econ, ["地区", "月份", "指标", "累计值", "同比增长(%)"], name="e.xlsx")
    assert run("indicators", path, "--user", "bureau")[0] == 0
    for log in ImportLog.objects.order_by("-pk"):
        import_undo(actor=county.bureau, log=log)
    assert Target.objects.get(unit=county.town, indicator="started_count").value == Decimal("3")
    assert Target.objects.filter(unit=county.other_town, indicator="started_count").first() is None or (
        Target.objects.get(unit=county.other_town, indicator="started_count").value is None
    )
    assert not EconomicFigure.objects.exists()


def test_a_closed_month_refuses_the_undo(county, tmp_path):
    from zhaoshang.closing.services import month_close
    from zhaoshang.sheets.undo import UndoRefused, import_undo

    past = add_months(current_month(), -2)
    assert run("funds", xlsx(tmp_path, [[county.project.code, format_month(past), 7]], FUNDS))[0] == 0
    month_close(actor=county.bureau, month=past)
    with pytest.raises(UndoRefused, match="已关账"):
        import_undo(actor=county.bureau, log=ImportLog.objects.get())
    assert ImportLog.objects.get().undone_at is None


def test_undo_is_refused_for_a_project_handed_to_another_unit_since(county, tmp_path, client_for):
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.models import MonthlyFunds

    assert (
        run("funds", xlsx(tmp_path, [[county.project.code, format_month(LAST), 300]], FUNDS), "--user", "reporter")[0]
        == 0
    )
    project_services.project_update(
        actor=county.bureau, project=county.project, values={"responsible_unit": county.other_town}
    )
    client_for(county.reporter).post(reverse("import_undo", args=[ImportLog.objects.get().pk]))
    assert MonthlyFunds.objects.filter(project=county.project, month=LAST).exists()
    assert ImportLog.objects.get().undone_at is None


def test_abandoned_previews_are_swept_after_a_day(county, client_for, tmp_path, settings):
    import os
    import time

    settings.VAR_DIR = tmp_path / "var"
    stale = settings.VAR_DIR / "imports" / "0123abcd.xlsx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old preview")
    os.utime(stale, (time.time() - 25 * 3600,) * 2)
    with open(xlsx(tmp_path, [project_row("XM-001")], PROJECT_HEADERS), "rb") as handle:
        client_for(county.reporter).post(reverse("import_page"), {"kind": "projects", "file": handle})
    assert not stale.exists()
    assert len(list((settings.VAR_DIR / "imports").glob("*.xlsx"))) == 1  # the new preview, waiting


@pytest.mark.parametrize(
    "kind, headers, row, message",
    [
        ("funds", ["项目编号", "月份", "到位资金"], ["{key}", "{last}", 1e15], "第2行 到位资金: 数值过大"),
        (
            "plans",
            ["项目编号", "年度", "年度计划投资(万元)"],
            ["{key}", YEAR, 1e15],
            "第2行 年度计划投资(万元): 数值过大",
        ),
        ("targets", ["单位", "年度", "指标", "目标值"], ["甲镇", YEAR, "实际到位内资", 1e17], "第2行 目标值: 数值过大"),
        (
            "indicators",
            ["地区", "月份", "指标", "累计值", "同比增长(%)"],
            ["测试县", "{last}", "财政收入", 10, -1e7],
            "第2行 同比增长(%): 数值过大",
        ),
    ],
)
def test_a_number_too_large_for_its_column_is_refused_with_a_message(county, tmp_path, kind, headers, row, message):
    """Before: PostgreSQL's numeric overflow surfaced as a crash of the import; SQLite stored it silently."""
    key = make_project(county.bureau, county.town, key_level="县重点")
    values = [v.format(key=key.code, last=format_month(LAST)) if isinstance(v, str) else v for v in row]
    status, _, err = run(kind, xlsx(tmp_path, [values], headers))
    assert status == 1 and message in err
    assert not AuditEntry.objects.filter(source="import").exists()


def test_the_bureau_sees_the_imports_of_its_own_units_not_a_neighbouring_countys(county, client_for):
    """One installation serving a city: each county's bureau lists its own units' imports and the commands'."""
    neighbour_town = make_unit("邻县丙镇", "乡镇", make_unit("邻县", "县区"))
    theirs = make_user("neighbour", neighbour_town, Role.REPORTER)
    for actor, name in [(county.reporter, "甲镇到位资金.xlsx"), (None, "命令导入.xlsx"), (theirs, "邻县资金.xlsx")]:
        ImportLog.objects.create(kind="funds", file_name=name, file_sha256="0" * 64, actor=actor)
    html = client_for(county.bureau).get(reverse("import_page")).content.decode()
    assert "甲镇到位资金.xlsx" in html and "命令导入.xlsx" in html
    assert "邻县资金.xlsx" not in html
    assert "邻县资金.xlsx" in client_for(theirs).get(reverse("import_page")).content.decode()
