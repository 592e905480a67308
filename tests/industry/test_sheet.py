"""The 目标企业 sheet through the real importer from real .xlsx files: all or nothing with `第N行 列名: 原因`,
two rows of one enterprise and a row of an enterprise another unit holds refused with their row numbers, chains by
name or 链/环节, the export re-imported unchanged, and the template's drop-downs."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from tests.factories import credit_code
from tests.industry.helpers import make_target
from tests.sheets.files import xlsx
from tests.xlsx_cells import content
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.industry.models import EnterpriseTag, TargetEnterprise
from zhaoshang.sheets.enterprise_imports import EnterprisesImporter
from zhaoshang.sheets.services import run_import
from zhaoshang.sheets.templates_xlsx import template_bytes

pytestmark = pytest.mark.django_db
HEADERS = EnterprisesImporter.headers


def row(name, unit="甲镇", **changes):
    values = {
        "企业名称": name,
        "统一社会信用代码": "",
        "总部所在地": "深圳市",
        "企业类型": "上市公司、行业龙头",
        "产业链": "",
        "主营产品": "动力电池",
        "联系人": "张经理",
        "联系电话": "13800000000",
        "责任单位": unit,
        "对接状态": "",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


def imported(tmp_path, actor, rows, dry_run=False):
    path = xlsx(tmp_path, rows, headers=HEADERS, name="targets.xlsx")
    return run_import("enterprises", path.read_bytes(), file_name="targets.xlsx", actor=actor, dry_run=dry_run)


def errors(result) -> list[str]:
    return [str(e) for e in result.errors]


def test_a_good_sheet_is_written_with_chains_and_tags(tmp_path, county):
    chain = Chain.objects.create(owner=county.root, name="新能源")
    link = ChainLink.objects.create(chain=chain, name="电池材料", position="上游")
    rows = [
        row("甲电池有限公司", 产业链="新能源／电池材料", 企业类型="专精特新“小巨人”，上市公司"),
        row("乙材料有限公司", 产业链="新能源", 统一社会信用代码=credit_code(801).lower(), 对接状态="有意向"),
    ]
    result = imported(tmp_path, county.reporter, rows)
    assert errors(result) == [] and result.created == 2
    first = TargetEnterprise.objects.get(name="甲电池有限公司")
    assert (first.chain, first.link, first.tags, first.county) == (
        chain,
        link,
        "|上市公司|专精特新小巨人|",
        county.root,
    )
    second = TargetEnterprise.objects.get(name="乙材料有限公司")
    assert second.credit_code == credit_code(801) and second.status == "有意向" and second.link is None


def test_a_bad_row_writes_nothing_and_says_where(tmp_path, county):
    rows = [
        row("丙科技有限公司"),
        row("丁科技有限公司", 统一社会信用代码="91341122000000000X", 企业类型="上市公司、五百强"),
        row("戊科技有限公司", unit="乙镇", 对接状态="很熟"),
        row("己科技有限公司", 产业链="不存在的链"),
    ]
    result = imported(tmp_path, county.reporter, rows)
    assert errors(result) == [
        "第3行 统一社会信用代码: 统一社会信用代码校验位错误",
        "第3行 企业类型: “五百强”不是可选的企业类型（可选：" + "、".join(EnterpriseTag.values) + "）",
        "第4行 责任单位: “乙镇”不在您的填报范围内",
        "第4行 对接状态: “很熟”不是可选值（可选：未接触、已接触、有意向、已签约）",
        "第5行 产业链: 没有甲镇可选的产业链“不存在的链”",
    ]
    assert TargetEnterprise.objects.count() == 0


def test_duplicates_in_the_sheet_and_against_the_library_are_refused_by_row(tmp_path, county):
    code = credit_code(802)
    make_target(county.outsider, county.other_town, "己集团有限公司", credit_code=code)
    rows = [
        row("庚有限公司"),
        row("庚 有限公司"),  # the same name, neither with a code
        row("辛有限公司", 统一社会信用代码=credit_code(803)),
        row("辛有限公司（新）", 统一社会信用代码=credit_code(803)),
        row("己集团有限公司（改名）", 统一社会信用代码=code),  # held by 乙镇: not named to 甲镇's reporter
    ]
    result = imported(tmp_path, county.reporter, rows)
    assert errors(result) == [
        "第3行 企业名称: 与第2行是同一企业（名称相同）",
        "第5行 统一社会信用代码: 与第4行是同一企业（统一社会信用代码相同）",
        "第6行 统一社会信用代码: 该企业已在本县区目标企业库中，由其他单位负责对接；如需调整责任单位，请联系主管部门",
    ]
    assert TargetEnterprise.objects.count() == 1
    # the bureau is told who holds it
    result = imported(tmp_path, county.bureau, [row("己集团有限公司（改名）", unit="甲镇", 统一社会信用代码=code)])
    assert errors(result) == ["第2行 统一社会信用代码: 该企业已在本县区目标企业库中（责任单位：乙镇），请勿重复录入"]


def test_the_export_imports_back_unchanged_and_an_edit_updates(tmp_path, county, client_for):
    imported(tmp_path, county.reporter, [row("壬有限公司"), row("癸有限公司", 企业类型="")])
    exported = content(client_for(county.reporter).get("/enterprises/?format=xlsx"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(exported)).get_sheet_by_index(0).to_python()
    assert sheet[0] == HEADERS
    again = run_import("enterprises", exported, file_name="x.xlsx", actor=county.reporter, dry_run=False)
    assert errors(again) == [] and again.unchanged == 2 and again.created == 0
    edited = [list(r) for r in sheet]
    edited[1][HEADERS.index("主营产品")] = "储能系统"
    result = imported(tmp_path, county.reporter, edited[1:])
    assert result.updated == 1 and result.unchanged == 1


def test_the_command_and_the_template(tmp_path, county):
    path = xlsx(tmp_path, [row("子有限公司", 统一社会信用代码="bad")], headers=HEADERS, name="bad.xlsx")
    with pytest.raises(CommandError):
        call_command("import_xlsx", "enterprises", str(path), stdout=StringIO(), stderr=StringIO())
    assert TargetEnterprise.objects.count() == 0
    path = xlsx(tmp_path, [row("子有限公司")], headers=HEADERS, name="good.xlsx")
    call_command("import_xlsx", "enterprises", str(path), stdout=StringIO(), stderr=StringIO())
    assert TargetEnterprise.objects.get().unit == county.town  # a command acts with full rights
    Chain.objects.create(owner=county.root, name="食品")
    from zhaoshang.core.periods import current_month

    data = template_bytes("enterprises", actor=county.reporter, month=current_month())
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.get_sheet_by_name("目标企业").to_python()[0] == HEADERS
    options = [cell for line in book.get_sheet_by_name("选项").to_python() for cell in line if cell]
    assert "食品" in options and "甲镇" in options and "已签约" in options and "乙镇" not in options
