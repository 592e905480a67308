"""The `carriers` sheet (载体): one carrier a row, created or updated by (所属单位, 载体名称), through the carriers'
own service (its checks, its audit, the unit's rights). All or nothing, every error as `第N行 列名: 原因`, like the
other record sheets (row_import.py). A row equal to the carrier already recorded reads as "unchanged", so the sheet
exported from a filled-in template re-imports unchanged. Blank number cells are left blank (a carrier without land
has no 土地面积), and 台账外 blank is 0."""

from decimal import Decimal

from zhaoshang.audit.models import Source
from zhaoshang.carriers import services as carrier_services
from zhaoshang.carriers.models import Carrier, CarrierKind
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.sheets import cells
from zhaoshang.sheets.record_imports import editable_units, refusal_unless, unit_in_scope
from zhaoshang.sheets.row_import import CREATED, UNCHANGED, UPDATED, RowImporter
from zhaoshang.sheets.templates_xlsx import Column, Template

# header → the carrier's field, in the sheet's order (README: 载体)
COLUMNS = {
    "载体名称": "name",
    "类型": "kind",
    "所属单位": "unit",
    "位置": "address",
    "土地面积（亩）": "land_mu",
    "建筑面积（㎡）": "building_m2",
    "台账外已用地（亩）": "occupied_before_mu",
    "台账外已入驻面积（㎡）": "occupied_before_m2",
    "租金（元/㎡·月）": "rent_yuan_m2_month",
    "售价（元/㎡）": "price_yuan_m2",
    "土地价格（万元/亩）": "land_price_wan_mu",
    "亩均投资强度要求（万元/亩）": "min_investment_wan_mu",
    "亩均税收要求（万元/亩·年）": "min_tax_wan_mu",
    "主导产业": "industries",
    "联系人": "contact_person",
    "联系电话": "contact_phone",
}
NUMBERS = [
    h
    for h, f in COLUMNS.items()
    if f not in ("name", "kind", "unit", "address", "industries", "contact_person", "contact_phone")
]
AREA_MAX = Decimal("9999999999.99")  # the columns' DecimalField(12, 2)
TEXT_LIMITS = {"载体名称": 100, "位置": 200, "主导产业": 200, "联系人": 50, "联系电话": 30}


def _area(value) -> Decimal:
    return cells.amount(value, limit=AREA_MAX)


class CarriersImporter(RowImporter):
    kind = "carriers"
    headers = list(COLUMNS)
    key_column = "载体名称"
    columns = {field: header for header, field in COLUMNS.items()}

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入载体")

    def __init__(self, actor):
        super().__init__(actor)
        self.scope = editable_units(actor)

    def parse(self, row):
        item = {"unit": unit_in_scope(row, "所属单位", row.get("所属单位", required=True), self.scope)}
        item["kind"] = row.choice("类型", CarrierKind.values, required=True)
        for header, field in COLUMNS.items():
            if field in ("unit", "kind"):
                continue
            if header in NUMBERS:
                item[field] = row.get(header, _area)
            else:
                text = row.get(header, required=field == "name") or ""
                if len(text) > TEXT_LIMITS[header]:
                    row.error(header, f"不能超过{TEXT_LIMITS[header]}个字")
                item[field] = text
        return item

    def key(self, item):
        return (item["unit"].pk, item["name"])

    def apply(self, item):
        carrier = Carrier.objects.filter(unit=item["unit"], name=item["name"]).first()
        if carrier is not None and _unchanged(carrier, item):
            return UNCHANGED
        carrier_services.carrier_save(actor=self.actor, carrier=carrier, values=item, source=Source.IMPORT)
        return CREATED if carrier is None else UPDATED


def _unchanged(carrier: Carrier, item: dict) -> bool:
    current = carrier_services.snapshot(carrier, list(item))
    wanted = {f: (v.pk if hasattr(v, "pk") else v) for f, v in item.items()}
    for field in ("occupied_before_mu", "occupied_before_m2"):
        wanted[field] = wanted[field] or 0
    return all(current[f] == wanted[f] for f in item)


def carriers_template(*, actor, month, year) -> Template:
    units = Unit.objects.filter(is_active=True)
    if actor is not None:
        units = units.writable_by(actor)
    names = list(units.order_by("path").values_list("name", flat=True)) or None
    comments = {
        "载体名称": "必填；同一所属单位内不重名：已登记的载体按（所属单位, 载体名称）更新",
        "类型": "产业园区、标准化厂房、孵化器之一",
        "所属单位": "载体所属的园区或乡镇，您可填报的单位之一",
        "位置": "可留空",
        "土地面积（亩）": "土地面积和建筑面积至少填一项；不能为负，最多两位小数",
        "建筑面积（㎡）": "厂房、孵化器的建筑面积；不能为负，最多两位小数",
        "台账外已用地（亩）": "台账以外已被企业使用的土地（如系统上线前入驻的企业）；留空为0",
        "台账外已入驻面积（㎡）": "台账以外已被企业使用的厂房面积；留空为0",
        "租金（元/㎡·月）": "可留空",
        "售价（元/㎡）": "可留空",
        "土地价格（万元/亩）": "可留空",
        "亩均投资强度要求（万元/亩）": "入驻项目的计划总投资 ÷ 用地亩数 应达到的值；可留空",
        "亩均税收要求（万元/亩·年）": "入驻项目的年税收 ÷ 用地亩数 应达到的值；可留空",
        "主导产业": "可留空",
        "联系人": "可留空",
        "联系电话": "可留空",
    }
    options = {"类型": CarrierKind.values, "所属单位": names}
    widths = {"载体名称": 24, "所属单位": 18, "位置": 24, "主导产业": 20}
    columns = [
        Column(h, comments[h], widths.get(h, 14), options.get(h), number=h in NUMBERS) for h in CarriersImporter.headers
    ]
    return Template("载体", columns)
