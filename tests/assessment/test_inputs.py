"""考核数据: the grid of assessed units × the `input:NAME`s a scheme uses, and the `assessment_inputs` sheet
(方案, 单位, 指标, 数值) through import_xlsx and the import page, all or nothing. The files are real xlsx written by
xlsxwriter and read back by calamine, the product's own libraries (openpyxl is not among its dependencies)."""

import io
from decimal import Decimal
from io import StringIO

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.assessment.scheme_files import load
from zhaoshang.assessment import schema
from zhaoshang.assessment.models import InputValue, Publication
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import current_month
from zhaoshang.sheets.assessment_import import HEADERS
from zhaoshang.sheets.services import run_import
from zhaoshang.sheets.templates_xlsx import template_bytes

pytestmark = pytest.mark.django_db


def client(user):
    c = Client()
    c.force_login(user)
    return c


def values(scheme):
    return {(v.unit.name, v.name): v.value for v in InputValue.objects.filter(scheme=scheme)}


def grid_data(county, cells):
    """The grid's form data: {(unit, name): text}, the names in the scheme's order."""
    names = ["省外新增实际投资", "省外投资目标", "重点企业"]
    units = {"甲镇": county.town.pk, "乙镇": county.other_town.pk}
    return {f"v-{units[u]}-{names.index(n)}": text for (u, n), text in cells.items()}


def test_the_grid_shows_the_assessed_units_and_the_inputs_used(county):
    scheme = load(county)
    page = client(county.bureau).get(reverse("assessment_inputs", args=[scheme.pk])).content.decode()
    for text in ("甲镇", "乙镇", "省外新增实际投资", "省外投资目标", "重点企业"):
        assert text in page
    assert "甲镇工业园" not in page  # not in the 乡镇组
    assert 'name="v-' in page
    page = client(county.leader).get(reverse("assessment_inputs", args=[scheme.pk])).content.decode()
    assert 'name="v-' not in page  # the leader reads


def test_the_grid_saves_changes_audited_one_by_one_and_blanks_clear(county):
    scheme = load(county)
    url = reverse("assessment_inputs", args=[scheme.pk])
    c = client(county.bureau)
    response = c.post(url, grid_data(county, {("甲镇", "省外新增实际投资"): "9600", ("乙镇", "重点企业"): "3"}))
    assert response.status_code == 302
    assert values(scheme) == {("甲镇", "省外新增实际投资"): Decimal("9600"), ("乙镇", "重点企业"): Decimal("3")}
    assert AuditEntry.objects.filter(action="assessment.input_set").count() == 2
    c.post(url, grid_data(county, {("甲镇", "省外新增实际投资"): "9,600.5", ("乙镇", "重点企业"): ""}))
    assert values(scheme) == {("甲镇", "省外新增实际投资"): Decimal("9600.5")}
    entries = AuditEntry.objects.filter(action="assessment.input_set").order_by("pk")
    assert sorted([e.data for e in entries][2:], key=lambda d: d["unit"]) == [
        {"unit": "乙镇", "name": "重点企业", "before": "3", "after": None},
        {"unit": "甲镇", "name": "省外新增实际投资", "before": "9600", "after": "9600.5"},
    ]  # sorted by unit name: the grid writes in the tree's order
    assert entries[0].actor == county.bureau and entries[0].unit == county.root


def test_a_bad_cell_saves_nothing_and_keeps_what_was_typed(county):
    scheme = load(county)
    url = reverse("assessment_inputs", args=[scheme.pk])
    data = grid_data(
        county, {("甲镇", "省外新增实际投资"): "100", ("乙镇", "重点企业"): "三个", ("乙镇", "省外投资目标"): "1.23456"}
    )
    page = client(county.bureau).post(url, data).content.decode()
    assert "乙镇 重点企业：“三个”不是数字" in page and "乙镇 省外投资目标：最多四位小数" in page
    assert 'value="三个"' in page and 'value="100"' in page
    assert not InputValue.objects.exists()


def test_the_grid_refuses_the_leader_and_a_published_scheme(county):
    scheme = load(county)
    url = reverse("assessment_inputs", args=[scheme.pk])
    data = grid_data(county, {("甲镇", "重点企业"): "1"})
    assert client(county.leader).post(url, data).status_code == 403
    Publication.objects.create(scheme=scheme, version=1, result={}, scheme_file=schema.dump(scheme))
    page = client(county.bureau).post(url, data, follow=True).content.decode()
    assert "考核结果已发布，考核数据不能再修改" in page
    assert not InputValue.objects.exists()


# --- the sheet ---------------------------------------------------------------------------------------------------


def xlsx(tmp_path, rows, headers=HEADERS, name="inputs.xlsx"):
    path = tmp_path / name
    path.write_bytes(_book(rows, headers))
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", "assessment_inputs", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue() + err.getvalue() + str(exc)
    return 0, out.getvalue() + err.getvalue()


def test_the_sheets_headers_are_those_of_the_readme():
    assert HEADERS == ["方案", "单位", "指标", "数值"]


def test_a_sheet_imports_creates_updates_and_skips_blank_figures(county, tmp_path):
    scheme = load(county)
    rows = [
        ["测试考核", "甲镇", "省外新增实际投资", 9600],
        ["测试考核", "乙镇", "重点企业", "3"],
        ["测试考核", "乙镇", "省外投资目标", None],
    ]
    code, out = run(xlsx(tmp_path, rows), "--user", county.bureau.username)
    assert code == 0, out
    assert values(scheme) == {("甲镇", "省外新增实际投资"): Decimal("9600"), ("乙镇", "重点企业"): Decimal("3")}
    assert AuditEntry.objects.filter(action="assessment.input_set", source="import").count() == 2
    rows[0][3] = 9700.25
    code, out = run(xlsx(tmp_path, rows, name="again.xlsx"), "--user", county.bureau.username)
    assert code == 0 and "更新 1" in out and "未变 1" in out, out
    assert values(scheme)[("甲镇", "省外新增实际投资")] == Decimal("9700.25")


def test_a_bad_row_stops_the_whole_sheet_with_every_error(county, tmp_path):
    scheme = load(county)
    load(county, {**schema.dump(scheme), "name": "已发布方案"})
    published = schema.Scheme.objects.get(name="已发布方案")
    Publication.objects.create(scheme=published, version=1, result={}, scheme_file=schema.dump(published))
    rows = [
        ["测试考核", "甲镇", "省外新增实际投资", 100],
        ["无此方案", "甲镇", "重点企业", 1],
        ["测试考核", "甲镇工业园", "重点企业", 1],
        ["测试考核", "甲镇", "签约个数", 1],
        ["测试考核", "乙镇", "重点企业", "三个"],
        ["已发布方案", "甲镇", "重点企业", 1],
        ["测试考核", "甲镇", "省外新增实际投资", 200],
    ]
    code, out = run(xlsx(tmp_path, rows), "--user", county.bureau.username)
    assert code == 1 and not InputValue.objects.exists()
    assert "第3行 方案: 没有名为“无此方案”的考核方案（或不是您制定的方案）" in out
    assert "第4行 单位: “甲镇工业园”不是方案“测试考核”考核的单位" in out
    assert (
        "第5行 指标: 方案“测试考核”没有用到考核数据“签约个数”（用到的：省外新增实际投资、省外投资目标、重点企业）"
        in out
    )
    assert "第6行 数值: “三个”不是数字" in out
    assert "第7行 方案: 考核结果已发布，考核数据不能再修改；如需更正请发布新版本" in out
    assert "第8行 方案: 与第2行重复" in out


def test_only_a_bureau_imports_and_only_its_own_schemes(city, tmp_path):
    county = city.county
    load(county)
    path = xlsx(tmp_path, [["测试考核", "甲镇", "重点企业", 1]])
    code, out = run(path, "--user", county.reporter.username)
    assert code == 1 and "只有主管部门管理员可以导入考核数据" in out
    code, out = run(path, "--user", city.n_bureau.username)
    assert code == 1 and "没有名为“测试考核”的考核方案" in out
    assert not InputValue.objects.exists()


def test_the_import_page_takes_the_sheet(county, tmp_path):
    scheme = load(county)
    c = client(county.bureau)
    data = xlsx(tmp_path, [["测试考核", "乙镇", "重点企业", 4]]).read_bytes()
    page = c.get(reverse("import_page")).content.decode()
    assert "考核数据" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post(reverse("import_page"), {"kind": "assessment_inputs", "file": SimpleUploadedFile("a.xlsx", data)})
    assert response.status_code in (200, 302)
    result = run_import("assessment_inputs", data, file_name="a.xlsx", actor=county.bureau, dry_run=False)
    assert result.ok and values(scheme) == {("乙镇", "重点企业"): Decimal("4")}


def test_the_template_lists_every_unit_and_input_with_the_figures_recorded(county):
    scheme = load(county)
    run_import(
        "assessment_inputs",
        _book([["测试考核", "甲镇", "重点企业", 2]]),
        file_name="a.xlsx",
        actor=county.bureau,
        dry_run=False,
    )
    data = template_bytes("assessment_inputs", actor=county.bureau, month=current_month())
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("考核数据").to_python()
    rows = [[None if v == "" else v for v in row] for row in rows]
    assert rows[0] == HEADERS
    assert len(rows) == 1 + 2 * 3
    assert ["测试考核", "甲镇", "重点企业", 2.0] in rows
    assert ["测试考核", "乙镇", "省外投资目标", None] in rows
    result = run_import("assessment_inputs", data, file_name="t.xlsx", actor=county.bureau, dry_run=True)
    assert result.ok and result.unchanged == 1 and result.skipped == 5
    assert values(scheme) == {("甲镇", "重点企业"): Decimal("2")}


def _book(rows, headers=HEADERS):
    """A real xlsx: numbers as number cells, text as text, None as an empty cell."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([headers, *rows]):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()
