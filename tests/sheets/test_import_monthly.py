"""Real .xlsx files, written by the tests, through the real importer: all rows or none."""

import io
import zipfile
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.factories import make_project
from tests.sheets.files import HEADERS, run_import, xlsx
from tests.xlsx_cells import content
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, UnitMonthTotal
from zhaoshang.sheets.models import ImportLog

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def run(path, *args):
    return run_import("funds", path, *args)


def test_it_imports_a_good_sheet_and_audits_every_row(county, tmp_path):
    second = make_project(county.bureau, county.town)
    path = xlsx(tmp_path, [(county.project.code, format_month(LAST), 120.5), (second.code, LAST, "1,000.25")])
    out, _ = run(path, "--user", "reporter")
    assert "新增 2" in out
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("120.50")
    assert MonthlyFunds.objects.get(project=second, month=LAST).amount == Decimal("1000.25")  # a date cell month
    entries = AuditEntry.objects.filter(action="funds.set", source="import")
    assert entries.count() == 2 and all(e.actor == county.reporter for e in entries)
    log = ImportLog.objects.get()
    assert (log.rows, log.created, log.actor, len(log.file_sha256)) == (2, 2, county.reporter, 64)
    assert AuditEntry.objects.get(action="import.committed").data["file"] == "funds.xlsx"
    assert UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_arrived_wan == Decimal("1120.75")
    out, _ = run(path, "--user", "reporter")  # the same file again
    assert "新增 0，更新 0，未变 2" in out


def test_amounts_are_stored_to_the_cent_whatever_the_cell_holds(county, tmp_path):
    """Number cells, whole numbers, numeric text, a float's binary tail and amounts too large for the fast path."""
    cells = [0.1 + 0.2, 7, "1,000.5", 999999999.99, 12345678901.25, 0]
    projects = [make_project(county.bureau, county.town) for _ in cells]
    run(xlsx(tmp_path, [(p.code, format_month(LAST), v) for p, v in zip(projects, cells, strict=True)]))
    stored = [MonthlyFunds.objects.get(project=p).amount for p in projects]
    assert stored == [Decimal(t) for t in ("0.30", "7.00", "1000.50", "999999999.99", "12345678901.25", "0.00")]


def test_the_imports_audit_entries_read_like_a_page_write(county, tmp_path):
    """The import writes its audit entries in one SQL statement; they must say what audit.record() says for the
    same change made on a page, so the history, the audit search and undo read them alike."""
    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("5"))
    page = AuditEntry.objects.get(action="funds.set")
    second = make_project(county.bureau, county.town)
    run(
        xlsx(tmp_path, [(county.project.code, format_month(LAST), 6), (second.code, LAST, 1000.25)]),
        "--user",
        "reporter",
    )
    log = ImportLog.objects.get()
    updated = AuditEntry.objects.get(action="funds.set", source="import", target_id=str(county.project.pk))
    created = AuditEntry.objects.get(action="funds.set", source="import", target_id=str(second.pk))
    fields = ["actor", "actor_name", "unit", "target_type", "target_repr"]
    assert [getattr(updated, f) for f in fields] == [getattr(page, f) for f in fields]
    assert updated.data == {"month": format_month(LAST), "amount": ["5.00", "6.00"], "import": log.pk}
    assert created.data == {"month": format_month(LAST), "amount": [None, "1000.25"], "import": log.pk}
    assert (created.unit, created.target_repr) == (second.responsible_unit, str(second))
    assert abs((updated.created_at - log.created_at).total_seconds()) < 60


def test_a_dry_run_reports_and_writes_nothing(county, tmp_path):
    MonthlyFunds.objects.create(project=county.project, month=LAST, amount=Decimal("5"))
    path = xlsx(
        tmp_path, [(county.project.code, format_month(LAST), 6), (county.park_project.code, format_month(LAST), 1)]
    )
    out, _ = run(path, "--dry-run")
    assert "预检 2 行：新增 1，更新 1，未变 0" in out
    assert MonthlyFunds.objects.get(project=county.project).amount == Decimal("5")
    assert MonthlyFunds.objects.count() == 1 and not ImportLog.objects.exists()


def test_one_bad_cell_among_many_writes_nothing_and_names_row_and_column(county, tmp_path):
    projects = [make_project(county.bureau, county.town) for _ in range(30)]
    rows = [(p.code, format_month(LAST), 10 + i) for i, p in enumerate(projects)]
    rows[27] = (projects[27].code, format_month(LAST), "十万")
    path = xlsx(tmp_path, rows)
    err = StringIO()
    with pytest.raises(CommandError, match="共 1 处错误"):
        call_command("import_xlsx", "funds", str(path), stderr=err)
    assert "第29行 到位资金: “十万”不是数字" in err.getvalue()
    assert not MonthlyFunds.objects.exists() and not AuditEntry.objects.filter(source="import").exists()


@pytest.mark.parametrize(
    "row, message",
    [
        (("NOPE-1", "{last}", 1), "第2行 项目编号: 项目“NOPE-1”不存在或不在您的填报范围内"),
        (("{code}", "2026-13", 1), "第2行 月份: 月份不存在"),
        (("{code}", "{last}", -3), "第2行 到位资金: 不能为负数"),
        (("{code}", "{last}", 1.234), "第2行 到位资金: 最多保留两位小数"),
        (("{code}", "{last}", 1.005), "第2行 到位资金: 最多保留两位小数"),
        (("{code}", "{last}", 12345678901.125), "第2行 到位资金: 最多保留两位小数"),
        (("{code}", "{next}", 1), "第2行 月份: 不能填报未来月份"),
        (("", "{last}", 5), "第2行 项目编号: 不能为空"),
    ],
)
def test_each_wrong_cell_is_reported(county, tmp_path, row, message):
    values = [
        v.format(code=county.project.code, last=format_month(LAST), next=format_month(add_months(current_month(), 1)))
        if isinstance(v, str)
        else v
        for v in row
    ]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", "funds", str(xlsx(tmp_path, [values])), stderr=err)
    assert message in err.getvalue()
    assert not MonthlyFunds.objects.exists()


def test_a_prefilled_row_left_blank_is_skipped_not_refused(county, tmp_path):
    """The template lists every project of the unit; the ones without money this month stay blank."""
    path = xlsx(
        tmp_path, [(county.project.code, format_month(LAST), 12), (county.park_project.code, format_month(LAST), None)]
    )
    out = StringIO()
    call_command("import_xlsx", "funds", str(path), stdout=out)
    assert "新增 1" in out.getvalue() and "空白未填 1" in out.getvalue()
    assert list(MonthlyFunds.objects.values_list("project__code", flat=True)) == [county.project.code]


def test_a_reporter_cannot_import_another_units_project(county, tmp_path):
    path = xlsx(
        tmp_path, [(county.project.code, format_month(LAST), 1), (county.other_project.code, format_month(LAST), 1)]
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", "funds", str(path), "--user", "reporter", stderr=err)
    assert f"第3行 项目编号: 项目“{county.other_project.code}”不存在或不在您的填报范围内" in err.getvalue()
    assert not MonthlyFunds.objects.exists()


def test_a_closed_month_and_a_duplicate_are_refused(county, tmp_path):
    closed = add_months(current_month(), -2)
    month_close(actor=county.bureau, month=closed)
    path = xlsx(
        tmp_path,
        [
            (county.project.code, format_month(closed), 1),
            (county.park_project.code, format_month(LAST), 1),
            (county.park_project.code, format_month(LAST), 2),
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError, match="共 2 处错误"):
        call_command("import_xlsx", "funds", str(path), stderr=err)
    assert f"第2行 月份: {closed.year}年{closed.month}月已关账" in err.getvalue()
    assert "第4行 项目编号: 与第3行重复" in err.getvalue()
    assert not MonthlyFunds.objects.exists()


def test_wrong_headers_are_refused(county, tmp_path):
    path = xlsx(tmp_path, [(county.project.code, 1, format_month(LAST))], headers=["项目编号", "到位资金", "月份"])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", "funds", str(path), stderr=err)
    assert "第1行 表头: 应为“项目编号、月份、到位资金”" in err.getvalue()


def test_investment_is_for_signed_projects_key_or_not(county, tmp_path):
    lead = make_project(county.bureau, county.town, stage="线索", signed_on=None, contract_amount=None)
    rows = [(county.project.code, format_month(LAST), 5), (lead.code, format_month(LAST), 1)]
    path = xlsx(tmp_path, rows, headers=["项目编号", "月份", "本月完成投资(万元)"])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_xlsx", "investment", str(path), stderr=err)
    assert f"第3行 项目编号: {lead.code} 尚未签约（线索），不填报完成投资" in err.getvalue()
    assert "不是重点项目" not in err.getvalue() and not MonthlyInvestment.objects.exists()
    call_command(
        "import_xlsx", "investment", str(xlsx(tmp_path, rows[:1], headers=["项目编号", "月份", "本月完成投资(万元)"]))
    )
    assert MonthlyInvestment.objects.get(project=county.project).amount == Decimal("5.00")  # county.project: not key


def test_hostile_files_are_refused_before_parsing(county, tmp_path, settings):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("项目编号,月份,到位资金\n")
    with pytest.raises(CommandError, match="不是 .xlsx 格式"):
        run(fake)
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(CommandError, match="旧版 .xls"):
        run(old)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros, ~50 KB zipped
    with pytest.raises(CommandError, match="压缩炸弹"):
        run(bomb)
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError, match="文件过大"):
        run(xlsx(tmp_path, [(county.project.code, format_month(LAST), 1)] * 50))
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 10
    with pytest.raises(CommandError, match="行数过多"):
        run(xlsx(tmp_path, [(county.project.code, format_month(LAST), 1)] * 11))
    assert not MonthlyFunds.objects.exists()


def test_a_sheet_imported_as_the_wrong_kind_names_the_headers_it_expected(county, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError, match="共 1 处错误"):
        call_command("import_xlsx", "projects", str(xlsx(tmp_path, [])), stderr=err)
    assert "第1行 表头: 应为“项目编号、项目名称、投资方" in err.getvalue() and "缺少列：项目名称" in err.getvalue()


def test_the_template_lists_the_units_projects_and_round_trips(county, client_for, tmp_path):
    client = client_for(county.reporter)
    response = client.get(reverse("sheet_template", args=["funds"]), {"month": format_month(LAST)})
    book = CalamineWorkbook.from_filelike(io.BytesIO(content(response)))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == HEADERS
    codes = {row[0] for row in rows[1:]}
    assert codes == {county.project.code}  # the reporter's own unit only, signed projects only
    filled = xlsx(tmp_path, [(row[0], row[1], 42) for row in rows[1:]])
    run(filled, "--user", "reporter")
    assert MonthlyFunds.objects.get(project=county.project).amount == Decimal("42")
    assert "未变 1" in run(filled, "--user", "reporter")[0]


def test_the_import_page_previews_then_commits(county, client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(county.reporter)
    path = xlsx(tmp_path, [(county.project.code, format_month(LAST), 88)])
    upload = SimpleUploadedFile("funds.xlsx", path.read_bytes())
    preview = client.post(reverse("import_page"), {"kind": "funds", "file": upload})
    body = preview.content.decode()
    assert preview.status_code == 200 and "预检 1 行：新增 1，更新 0，未变 0" in body
    assert not MonthlyFunds.objects.exists()  # nothing written by the preview
    token = preview.context["token"]
    assert client.post(reverse("import_page"), {"commit": "1", "token": "forged"}).status_code == 302
    assert not MonthlyFunds.objects.exists()
    client.post(reverse("import_page"), {"commit": "1", "token": token})
    assert MonthlyFunds.objects.get(project=county.project).amount == Decimal("88")
    assert AuditEntry.objects.get(action="funds.set").source == "import"


def test_the_import_page_lists_every_error_and_writes_nothing(county, client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = xlsx(tmp_path, [(county.project.code, format_month(LAST), -1), (county.other_project.code, "x", 1)])
    response = client_for(county.reporter).post(
        reverse("import_page"), {"kind": "funds", "file": SimpleUploadedFile("f.xlsx", path.read_bytes())}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "有 3 处错误" in body
    assert "第2行" in body and "不能为负数" in body and "不在您的填报范围内" in body
    assert "确认导入" not in body and not MonthlyFunds.objects.exists()
    assert client_for(county.leader).get(reverse("import_page")).status_code == 403


def test_the_ledger_exports_what_it_shows_with_the_template_headers_and_no_formulas(county, client_for):
    from zhaoshang.projects import services as project_services

    project_services.project_update(actor=county.bureau, project=county.project, values={"name": "=1+2 项目"})
    response = client_for(county.reporter).get(reverse("project_list"), {"format": "xlsx", "stage": "签约"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content(response))).get_sheet_by_index(0).to_python()
    assert rows[0][:4] == ["项目编号", "项目名称", "投资方", "统一社会信用代码"] and len(rows[0]) == 16
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {county.project.code, county.park_project.code}  # the reporter's subtree only
    exported = by_code[county.project.code]
    assert exported[1] == "'=1+2 项目"  # escaped text, never a formula
    assert exported[11] == 5000.0 and exported[10] == county.project.signed_on.isoformat()


def test_undo_puts_back_each_row_and_the_totals_and_audits_it_like_a_page(county, tmp_path):
    from zhaoshang.sheets.undo import import_undo

    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("50"))
    before = UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_arrived_wan
    second = make_project(county.bureau, county.town)
    rows = [(county.project.code, format_month(LAST), 80), (second.code, format_month(LAST), 20)]
    run(xlsx(tmp_path, rows), "--user", "reporter")
    assert UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_arrived_wan == Decimal("100.00")

    assert import_undo(actor=county.reporter, log=ImportLog.objects.get()) == 2
    assert MonthlyFunds.objects.get(project=county.project, month=LAST).amount == Decimal("50.00")
    assert not MonthlyFunds.objects.filter(project=second).exists()
    assert UnitMonthTotal.objects.get(unit=county.town, month=LAST).domestic_arrived_wan == before
    undone = AuditEntry.objects.filter(action="funds.set", source="page").exclude(data__amount=[None, "50.00"])
    assert {e.target_id: e.data for e in undone} == {
        str(county.project.pk): {"month": format_month(LAST), "amount": ["80.00", "50.00"]},
        str(second.pk): {"month": format_month(LAST), "amount": ["20.00", None]},
    }
    assert all((e.actor, e.unit) == (county.reporter, county.town) for e in undone)


def test_undo_of_an_investment_import_removes_what_it_added(county, tmp_path):
    from zhaoshang.sheets.undo import import_undo

    key = make_project(county.bureau, county.town, key_level="县重点")
    path = xlsx(tmp_path, [(key.code, format_month(LAST), 300)], ["项目编号", "月份", "本月完成投资(万元)"])
    call_command("import_xlsx", "investment", str(path), stdout=StringIO())
    assert MonthlyInvestment.objects.get(project=key).amount == Decimal("300.00")
    assert import_undo(actor=None, log=ImportLog.objects.get(), source="command") == 1
    assert not MonthlyInvestment.objects.exists()
    assert AuditEntry.objects.get(action="investment.set", source="command").data["amount"] == ["300.00", None]
