"""The `carriers` sheet (载体) through the real command and importer from real .xlsx files: created, then updated by
(所属单位, 载体名称), a re-import unchanged, a bad row stopping the whole file with `第N行 列名: 原因`, another unit's
row refused, and the template's headers being the importer's."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from tests.sheets.files import xlsx
from zhaoshang.carriers.models import Carrier
from zhaoshang.core.periods import current_month
from zhaoshang.sheets.carrier_import import CarriersImporter
from zhaoshang.sheets.templates_xlsx import template_bytes

pytestmark = pytest.mark.django_db
HEADERS = CarriersImporter.headers


def row(**changes):
    values = {
        "载体名称": "甲镇标准化厂房一期",
        "类型": "标准化厂房",
        "所属单位": "甲镇",
        "位置": "甲镇工业路1号",
        "土地面积（亩）": 120,
        "建筑面积（㎡）": 60000,
        "台账外已用地（亩）": 20,
        "台账外已入驻面积（㎡）": None,
        "租金（元/㎡·月）": 9.5,
        "售价（元/㎡）": None,
        "土地价格（万元/亩）": 18,
        "亩均投资强度要求（万元/亩）": 300,
        "亩均税收要求（万元/亩·年）": 15,
        "主导产业": "装备制造",
        "联系人": "王主任",
        "联系电话": "13800000000",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


def run(path, *args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", "carriers", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue() + err.getvalue() + str(exc)
    return 0, out.getvalue() + err.getvalue()


def test_headers_are_those_of_the_readme():
    assert HEADERS == [
        "载体名称", "类型", "所属单位", "位置", "土地面积（亩）", "建筑面积（㎡）", "台账外已用地（亩）",
        "台账外已入驻面积（㎡）", "租金（元/㎡·月）", "售价（元/㎡）", "土地价格（万元/亩）",
        "亩均投资强度要求（万元/亩）", "亩均税收要求（万元/亩·年）", "主导产业", "联系人", "联系电话",
    ]  # fmt: skip


def test_created_updated_and_unchanged_by_unit_and_name(county, tmp_path):
    rows = [row(), row(**{"载体名称": "乙镇产业园", "类型": "产业园区", "所属单位": "乙镇", "建筑面积（㎡）": None})]
    code, out = run(xlsx(tmp_path, rows, HEADERS, "c.xlsx"))
    assert code == 0, out
    first = Carrier.objects.get(name="甲镇标准化厂房一期")
    assert first.unit == county.town and first.land_mu == 120 and first.occupied_before_m2 == 0
    assert first.rent_yuan_m2_month == pytest.approx(9.5) and first.price_yuan_m2 is None
    code, out = run(xlsx(tmp_path, rows, HEADERS, "again.xlsx"))
    assert code == 0 and "未变 2" in out
    code, out = run(xlsx(tmp_path, [row(**{"租金（元/㎡·月）": 11})], HEADERS, "rent.xlsx"))
    assert code == 0 and "更新 1" in out
    assert Carrier.objects.count() == 2 and Carrier.objects.get(pk=first.pk).rent_yuan_m2_month == 11


def test_a_bad_row_stops_the_whole_file(county, tmp_path):
    rows = [
        row(**{"载体名称": "好载体"}),
        row(**{"载体名称": "坏载体", "类型": "写字楼", "土地面积（亩）": -3}),
        row(**{"载体名称": "无面积", "土地面积（亩）": None, "建筑面积（㎡）": None, "台账外已用地（亩）": None}),
        row(**{"载体名称": "好载体"}),
    ]
    code, out = run(xlsx(tmp_path, rows, HEADERS, "bad.xlsx"))
    assert code == 1 and not Carrier.objects.exists()
    assert "第3行 类型: “写字楼”不是可选值" in out
    assert "第3行 土地面积（亩）: 不能为负数" in out
    assert "第4行 土地面积（亩）: 请填写土地面积（亩）或建筑面积（㎡）" in out
    assert "第5行 载体名称: 与第2行重复" in out


def test_a_unit_writer_imports_its_own_units_only(county, tmp_path):
    path = xlsx(tmp_path, [row(), row(**{"所属单位": "乙镇"})], HEADERS, "mine.xlsx")
    code, out = run(path, "--user", county.reporter.username)
    assert code == 1 and "第3行 所属单位: “乙镇”不在您的填报范围内" in out and not Carrier.objects.exists()
    code, out = run(path, "--user", county.leader.username)
    assert code == 1 and "不能导入载体" in out


def test_the_template_has_the_importers_headers(county, tmp_path):
    data = template_bytes("carriers", actor=county.reporter, month=current_month())
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    book = CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("载体").to_python()[0] == HEADERS
