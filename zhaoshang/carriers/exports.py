"""The carriers list as xlsx: what the page shows for its filters, every page of it, with each carrier's space on
the day and the projects in it (the names the reader reads, and how many there are). Text is escaped by core.files;
figures are rounded to two decimals so the cells hold what the page shows."""

from itertools import islice

from zhaoshang.carriers import queries, space
from zhaoshang.carriers.forms import CarrierFilterForm
from zhaoshang.core.files import Export
from zhaoshang.core.money import round_half_up
from zhaoshang.core.periods import today

CHUNK = 500
HEADERS = [
    "载体名称",
    "类型",
    "所属单位",
    "位置",
    "土地面积（亩）",
    "已用土地（亩）",
    "可用土地（亩）",
    "土地使用率（%）",
    "建筑面积（㎡）",
    "已入驻面积（㎡）",
    "可用面积（㎡）",
    "厂房使用率（%）",
    "租金（元/㎡·月）",
    "售价（元/㎡）",
    "土地价格（万元/亩）",
    "亩均投资强度要求（万元/亩）",
    "亩均税收要求（万元/亩·年）",
    "单位面积税收要求（元/㎡·年）",
    "主导产业",
    "联系人",
    "联系电话",
    "入驻项目数",
    "入驻项目",
]


def _r(value):
    return None if value is None else round_half_up(value)


def carrier_rows(carriers, user, on):
    iterator = iter(carriers)
    while chunk := list(islice(iterator, CHUNK)):
        found = queries.occupants([c.pk for c in chunk], user, on)
        for c in chunk:
            inside = found.get(c.pk) or queries.Occupants([], 0)
            names = "、".join(inside.names) + (f"等{inside.count}个" if inside.more else "")
            yield [
                c.name,
                c.kind,
                c.unit.name,
                c.address,
                _r(c.land_mu),
                _r(c.taken_mu) if c.land_mu is not None else None,
                _r(c.available_mu),
                _r(space.use_rate(c.taken_mu, c.land_mu)),
                _r(c.building_m2),
                _r(c.taken_m2) if c.building_m2 is not None else None,
                _r(c.available_m2),
                _r(space.use_rate(c.taken_m2, c.building_m2)),
                _r(c.rent_yuan_m2_month),
                _r(c.price_yuan_m2),
                _r(c.land_price_wan_mu),
                _r(c.min_investment_wan_mu),
                _r(c.min_tax_wan_mu),
                _r(c.min_tax_yuan_m2),
                c.industries,
                c.contact_person,
                c.contact_phone,
                inside.count,
                names,
            ]


def carriers_export(user, params) -> Export:
    on = today()
    form = CarrierFilterForm(params or None, user=user)
    chosen = queries.ordered(form.apply(queries.readable(user, on)), form.sort_key)
    rows = carrier_rows(chosen.iterator(chunk_size=CHUNK), user, on)
    return Export("载体.xlsx", [("载体", HEADERS, rows)], chosen.count)
