"""The front line's sheets (外出招商, 接待客商, 招商线索, 跟进记录) through the real importer from real .xlsx files:
each all or nothing, another unit's rows refused, a dry run writing nothing, a closed month refused on its row,
templates with their drop-downs that read back, and an import of trips undone as a whole."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import make_project
from tests.sheets.files import xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.frontline.models import FollowUp, LeadProfile, Reception, Trip
from zhaoshang.projects.models import Project
from zhaoshang.sheets.frontline_imports import FollowUpsImporter, LeadsImporter, ReceptionsImporter, TripsImporter
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.templates_xlsx import template_bytes
from zhaoshang.sheets.undo import import_undo

pytestmark = pytest.mark.django_db
DAY = today()
TRIPS, RECEPTIONS, LEADS, FOLLOWUPS = (
    TripsImporter.headers,
    ReceptionsImporter.headers,
    LeadsImporter.headers,
    FollowUpsImporter.headers,
)


def run(kind, path, *args):
    """import_xlsx: (0 or 1, stdout, stderr with the command's error)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", kind, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def trip(unit="甲镇", day=DAY, **changes):
    values = {
        "单位": unit,
        "出发日期": day.isoformat(),
        "返回日期": day.isoformat(),
        "目的地": "深圳",
        "带队领导": "王建国",
        "领导类别": "党政主要负责同志",
        "参加人数": 4,
        "拜访企业数": 6,
        "接洽成果": "两家企业有投资意向",
    }
    values.update(changes)
    return [values[h] for h in TRIPS]


def reception(unit="甲镇", day=DAY, **changes):
    values = {
        "单位": unit,
        "日期": day.isoformat(),
        "来访企业": "苏州恒信科技有限公司",
        "来访人员": "李总等3人",
        "事由": "考察园区",
        "成果": "拟投资新材料项目",
    }
    values.update(changes)
    return [values[h] for h in RECEPTIONS]


def lead(code="", unit="甲镇", **changes):
    values = dict.fromkeys(LEADS)
    values.update(
        {
            "项目编号": code or None,
            "项目名称": "年产10万吨功能薄膜项目",
            "投资方": "宁波远航新材料有限公司",
            "资金类型": "内资",
            "责任单位": unit,
            "产业链": "新材料",
            "项目阶段": "线索",
            "计划总投资(万元)": 20000,
            "登记日期": DAY.isoformat(),
            "来源": "以商招商",
            "引荐人": "张先生",
            "首问负责人": "reporter",
        }
    )
    values.update(changes)
    return [values[h] for h in LEADS]


def followup(code, day=DAY, **changes):
    values = {
        "项目编号": code,
        "日期": day.isoformat(),
        "方式": "拜访",
        "参加人员": "王建国、投资方李总",
        "内容": "商谈用地选址",
        "下一步": "现场踏勘",
        "下一步日期": (day + timedelta(days=7)).isoformat(),
    }
    values.update(changes)
    return [values[h] for h in FOLLOWUPS]


def closed_last_month(county):
    last = add_months(current_month(), -1)
    month_close(actor=county.bureau, unit=county.root, month=last)
    return last + timedelta(days=3)


# --- 外出招商 --------------------------------------------------------------------------------------------------------


def test_trips_are_imported_audited_and_not_counted_twice(county, tmp_path):
    path = xlsx(tmp_path, [trip(), trip(目的地="上海", 领导类别="工作人员", 返回日期=None)], TRIPS)
    status, out, err = run("trips", path, "--user", "reporter")
    assert status == 0, err
    assert "新增 2" in out
    shenzhen = Trip.objects.get(destination="深圳")
    assert (shenzhen.unit, shenzhen.people, shenzhen.visited_count) == (county.town, 4, 6)
    assert Trip.objects.get(destination="上海").returns_on == DAY  # a one-day trip
    log = ImportLog.objects.get()
    entries = AuditEntry.objects.filter(action="trip.created", source="import", actor=county.reporter)
    assert entries.count() == 2 and all(e.data["import"] == log.pk for e in entries)
    status, out, _ = run("trips", path, "--user", "reporter")  # the same sheet again
    assert status == 0 and "未变 2" in out and Trip.objects.count() == 2


def test_a_trip_sheet_with_one_bad_row_writes_nothing(county, tmp_path):
    rows = [trip(), trip(目的地="杭州", 领导类别="县长", 参加人数=0), trip(目的地="合肥", 出发日期="2026/13/01")]
    status, _, err = run("trips", xlsx(tmp_path, rows, TRIPS), "--user", "reporter")
    assert status == 1
    assert "第3行 领导类别: “县长”不是可选值" in err
    assert "第3行 参加人数: 至少1人" in err
    assert "第4行 出发日期: 日期格式应为 YYYY-MM-DD" in err
    assert "未写入任何数据" in err
    assert not Trip.objects.exists() and not ImportLog.objects.exists()


def test_a_trip_returning_before_it_left_is_refused_by_the_service(county, tmp_path):
    rows = [trip(), trip(目的地="杭州", 返回日期=(DAY - timedelta(days=2)).isoformat())]
    status, _, err = run("trips", xlsx(tmp_path, rows, TRIPS), "--user", "reporter")
    assert status == 1 and "第3行 返回日期: 返回日期不能早于出发日期" in err
    assert not Trip.objects.exists()


def test_a_reporter_cannot_import_another_units_trips(county, tmp_path):
    status, _, err = run("trips", xlsx(tmp_path, [trip(), trip(unit="乙镇")], TRIPS), "--user", "reporter")
    assert status == 1 and "第3行 单位: “乙镇”不在您的填报范围内" in err
    assert not Trip.objects.exists()


def test_a_trip_in_a_closed_month_is_refused_on_its_row(county, tmp_path):
    closed_day = closed_last_month(county)
    rows = [trip(), trip(day=closed_day, 目的地="广州")]
    status, _, err = run("trips", xlsx(tmp_path, rows, TRIPS), "--user", "bureau")
    assert status == 1 and "第3行 出发日期: " in err and "已关账" in err
    assert not Trip.objects.exists()


def test_a_dry_run_of_trips_writes_nothing(county, tmp_path):
    status, out, _ = run("trips", xlsx(tmp_path, [trip()], TRIPS), "--user", "reporter", "--dry-run")
    assert status == 0 and "预检 1 行：新增 1" in out
    assert not Trip.objects.exists() and not ImportLog.objects.exists()
    assert not AuditEntry.objects.filter(action="trip.created").exists()


def test_an_import_of_trips_is_undone_as_a_whole(county, tmp_path):
    run("trips", xlsx(tmp_path, [trip()], TRIPS), "--user", "reporter")
    changed = trip(参加人数=5)
    run("trips", xlsx(tmp_path, [changed, trip(目的地="成都")], TRIPS, name="second.xlsx"), "--user", "reporter")
    assert Trip.objects.get(destination="深圳").people == 5
    second = ImportLog.objects.latest("created_at")
    assert import_undo(actor=county.reporter, log=second) == 2
    assert list(Trip.objects.values_list("destination", "people")) == [("深圳", 4)]
    assert AuditEntry.objects.filter(action="trip.deleted", source="page").exists()


# --- 接待客商 --------------------------------------------------------------------------------------------------------


def test_receptions_are_imported(county, tmp_path):
    path = xlsx(tmp_path, [reception(), reception(来访企业="合肥中科电子有限公司", 来访人员=None)], RECEPTIONS)
    status, out, err = run("receptions", path, "--user", "reporter")
    assert status == 0, err
    assert "新增 2" in out and Reception.objects.filter(unit=county.town).count() == 2
    assert AuditEntry.objects.filter(action="reception.created", source="import").count() == 2


def test_a_reception_sheet_with_one_bad_row_writes_nothing(county, tmp_path):
    future = (DAY + timedelta(days=3)).isoformat()
    rows = [reception(), reception(来访企业=None), reception(来访企业="杭州某公司", 日期=future)]
    status, _, err = run("receptions", xlsx(tmp_path, rows, RECEPTIONS), "--user", "reporter")
    assert status == 1
    assert "第3行 来访企业: 不能为空" in err and "第4行 日期: 日期不能晚于今天" in err
    assert not Reception.objects.exists()


def test_receptions_of_another_unit_a_closed_month_and_a_dry_run(county, tmp_path):
    rows = [reception(), reception(unit="乙镇")]
    status, _, err = run("receptions", xlsx(tmp_path, rows, RECEPTIONS), "--user", "reporter")
    assert status == 1 and "第3行 单位: “乙镇”不在您的填报范围内" in err
    closed = xlsx(tmp_path, [reception(day=closed_last_month(county))], RECEPTIONS, name="closed.xlsx")
    status, _, err = run("receptions", closed, "--user", "reporter")
    assert status == 1 and "第2行 日期: " in err and "已关账" in err
    status, out, _ = run("receptions", xlsx(tmp_path, [reception()], RECEPTIONS), "--user", "reporter", "--dry-run")
    assert status == 0 and "新增 1" in out
    assert not Reception.objects.exists()


# --- 招商线索 --------------------------------------------------------------------------------------------------------


def test_leads_register_ledger_projects_with_their_register(county, tmp_path):
    path = xlsx(tmp_path, [lead(), lead("XS-002", 项目名称="储能电站项目", 首问负责人="reporter", 来源=None)], LEADS)
    status, out, err = run("leads", path, "--user", "reporter")
    assert status == 0, err
    assert "新增 2" in out
    first = LeadProfile.objects.select_related("project").get(project__name="年产10万吨功能薄膜项目")
    assert first.project.code.startswith("XM")  # proposed by the product
    assert (first.project.stage, first.source, first.referrer) == ("线索", "以商招商", "张先生")
    assert first.first_responsible == county.reporter and first.registered_on == DAY
    assert LeadProfile.objects.get(project__code="XS-002").source == "自主对接"
    assert AuditEntry.objects.filter(action="lead.registered", source="import").count() == 2
    status, out, _ = run("leads", xlsx(tmp_path, [lead("XS-002", 项目名称="储能电站项目", 来源=None)], LEADS))
    assert status == 0 and "未变 1" in out


def test_the_first_responsible_is_found_by_full_name_within_the_unit(county, tmp_path):
    county.reporter.full_name = "甲镇小王"
    county.reporter.save()
    rows = [lead("XS-001", 首问负责人="甲镇小王"), lead("XS-002", 首问负责人="outsider", 项目名称="另一个项目")]
    status, _, err = run("leads", xlsx(tmp_path, rows, LEADS), "--user", "reporter")
    assert status == 1
    assert "第3行 首问负责人: 甲镇没有用户名或姓名为“outsider”的账号" in err  # 乙镇's account is not 甲镇's
    assert not Project.objects.filter(code__startswith="XS").exists()


def test_a_lead_sheet_with_one_bad_row_writes_nothing(county, tmp_path):
    rows = [lead("XS-001"), lead("XS-002", 项目阶段="签约", 来源="朋友介绍", 登记日期="明天")]
    status, _, err = run("leads", xlsx(tmp_path, rows, LEADS), "--user", "reporter")
    assert status == 1
    assert "第3行 项目阶段: 招商线索只能是“线索”或“在谈”" in err
    assert "第3行 来源: “朋友介绍”不是可选值" in err and "第3行 登记日期: 日期格式应为" in err
    assert not Project.objects.filter(code__startswith="XS").exists() and not LeadProfile.objects.exists()


def test_a_lead_of_another_unit_is_refused_and_a_dry_run_writes_nothing(county, tmp_path):
    status, _, err = run("leads", xlsx(tmp_path, [lead("XS-001", unit="乙镇")], LEADS), "--user", "reporter")
    assert status == 1 and "第2行 责任单位: “乙镇”不在您的填报范围内" in err
    status, out, _ = run("leads", xlsx(tmp_path, [lead("XS-001")], LEADS), "--user", "reporter", "--dry-run")
    assert status == 0 and "新增 1" in out
    assert not Project.objects.filter(code="XS-001").exists() and not LeadProfile.objects.exists()


def test_a_first_report_conflict_is_registered_with_a_warning_that_names_no_one(county, tmp_path):
    held = make_project(county.bureau, county.other_town, stage="线索", signed_on=None, contract_amount=None)
    row = lead("XS-001", 投资方=held.investor, 统一社会信用代码=held.credit_code)
    status, out, err = run("leads", xlsx(tmp_path, [row], LEADS), "--user", "reporter", "--dry-run")
    assert status == 0, err
    assert "提示 第2行 投资方: 其他单位已登记同一投资方" in out
    assert "乙镇" not in out and held.code not in out
    status, out, _ = run("leads", xlsx(tmp_path, [row], LEADS), "--user", "reporter")
    assert status == 0 and LeadProfile.objects.get(project__code="XS-001").claim_conflict == held


def test_an_existing_lead_is_updated_and_a_ledger_project_is_not_made_a_lead(county, tmp_path):
    run("leads", xlsx(tmp_path, [lead("XS-001")], LEADS), "--user", "reporter")
    rows = [lead("XS-001", 项目阶段="在谈", 引荐人="李女士"), lead(county.project.code)]
    status, _, err = run("leads", xlsx(tmp_path, rows, LEADS, name="again.xlsx"), "--user", "reporter")
    assert status == 1 and "第3行 项目编号: 该项目已在项目台账中，未登记为招商线索" in err
    status, out, err = run("leads", xlsx(tmp_path, rows[:1], LEADS, name="one.xlsx"), "--user", "reporter")
    assert status == 0 and "更新 1" in out, err
    profile = LeadProfile.objects.select_related("project").get(project__code="XS-001")
    assert (profile.project.stage, profile.referrer) == ("在谈", "李女士")


# --- 跟进记录 --------------------------------------------------------------------------------------------------------


def test_followups_are_imported_for_the_units_own_projects(county, tmp_path):
    code = county.project.code
    path = xlsx(tmp_path, [followup(code), followup(code, 方式="电话", 下一步日期=None)], FOLLOWUPS)
    status, out, err = run("followups", path, "--user", "reporter")
    assert status == 0, err
    assert "新增 2" in out and FollowUp.objects.filter(project=county.project).count() == 2
    assert AuditEntry.objects.filter(action="followup.created", source="import", actor=county.reporter).count() == 2
    status, out, _ = run("followups", path, "--user", "reporter")
    assert "未变 2" in out and FollowUp.objects.count() == 2


def test_a_followup_sheet_with_one_bad_row_writes_nothing(county, tmp_path):
    code = county.project.code
    rows = [followup(code), followup(code, 方式="微信", 内容=None, 下一步日期=(DAY - timedelta(days=1)).isoformat())]
    status, _, err = run("followups", xlsx(tmp_path, rows, FOLLOWUPS), "--user", "reporter")
    assert status == 1
    assert "第3行 方式: “微信”不是可选值" in err and "第3行 内容: 不能为空" in err
    assert not FollowUp.objects.exists()


def test_a_followup_of_another_units_project_is_refused_without_telling_it_exists(county, tmp_path, city):
    rows = [followup(county.project.code), followup(county.other_project.code), followup(city.n_project.code)]
    status, _, err = run("followups", xlsx(tmp_path, rows, FOLLOWUPS), "--user", "reporter")
    assert status == 1
    assert f"第3行 项目编号: 项目“{county.other_project.code}”不存在或不在您的填报范围内" in err
    assert f"第4行 项目编号: 项目“{city.n_project.code}”不存在或不在您的填报范围内" in err
    assert "邻县" not in err and not FollowUp.objects.exists()
    status, _, err = run("followups", xlsx(tmp_path, rows[:1], FOLLOWUPS), "--user", "n_bureau")
    assert status == 1 and "不存在或不在您的填报范围内" in err  # the neighbouring county's bureau: not its county


def test_a_followup_in_a_closed_month_and_a_dry_run(county, tmp_path):
    code = county.project.code
    rows = [followup(code), followup(code, day=closed_last_month(county), 下一步日期=None)]
    status, _, err = run("followups", xlsx(tmp_path, rows, FOLLOWUPS), "--user", "reporter")
    assert status == 1 and "第3行 日期: " in err and "已关账" in err
    status, out, _ = run("followups", xlsx(tmp_path, rows[:1], FOLLOWUPS), "--user", "reporter", "--dry-run")
    assert status == 0 and "新增 1" in out
    assert not FollowUp.objects.exists()


# --- Templates and the page -------------------------------------------------------------------------------------------


def _sheet(data: bytes, name: str):

    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


@pytest.mark.parametrize(
    ("kind", "title", "headers"),
    [("trips", "外出招商", TRIPS), ("receptions", "接待客商", RECEPTIONS), ("leads", "招商线索", LEADS)]
    + [("followups", "跟进记录", FOLLOWUPS)],
)
def test_each_template_has_the_importers_headers_and_its_drop_downs(county, kind, title, headers):
    data = template_bytes(kind, actor=county.reporter, month=current_month())
    assert _sheet(data, title)[0][: len(headers)] == headers
    options = {cell for row in _sheet(data, "选项") for cell in row if cell != ""}
    expected = {
        "trips": {"甲镇", "党政主要负责同志", "工作人员"},
        "receptions": {"甲镇"},
        "leads": {"以商招商", "驻外联络处", "线索", "在谈"},
        "followups": {"拜访", "视频", county.project.code},
    }[kind]
    assert expected <= options
    assert "乙镇" not in options and county.other_project.code not in options  # only what the reporter writes


def test_the_import_page_offers_the_front_line_sheets_and_previews_one(county, client_for, tmp_path):
    client = client_for(county.reporter)
    page = client.get(reverse("import_page"))
    for label in ("外出招商", "接待客商", "招商线索", "跟进记录"):
        assert label in page.content.decode()
    assert client.get(reverse("sheet_template", args=["trips"])).status_code == 200
    upload = SimpleUploadedFile("trips.xlsx", xlsx(tmp_path, [trip()], TRIPS).read_bytes())
    preview = client.post(reverse("import_page"), {"kind": "trips", "file": upload})
    assert preview.status_code == 200 and "新增 1" in preview.content.decode()
    client.post(reverse("import_page"), {"commit": "1", "token": preview.context["token"]})
    assert Trip.objects.filter(unit=county.town).count() == 1


def test_a_formula_in_a_trip_cell_is_kept_as_text(county, tmp_path):
    path = xlsx(tmp_path, [trip(接洽成果='=HYPERLINK("http://x")')], TRIPS)
    status, _, err = run("trips", path, "--user", "reporter")
    assert status == 0, err
    assert Trip.objects.get().outcome == '=HYPERLINK("http://x")'  # stored as written; exports escape it
