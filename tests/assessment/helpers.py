"""A scheme of published form over the county fixture's towns, built with the ORM (the scheme file's loader is
another part's), and its ledger rows, targets and inputs through the product's services."""

from datetime import date
from decimal import Decimal as D

from tests.factories import default_signing_day, make_project, make_unit
from zhaoshang.assessment.models import InputValue, Scheme, SchemeItem
from zhaoshang.progress import services as progress_services

SIGNED = default_signing_day()
YEAR = SIGNED.year
PERIOD = date(YEAR, SIGNED.month, 1)

SIGNING_ITEM = {
    "parts": [
        {
            "actual": "indicator:domestic_signed_count",
            "target": "target:domestic_signed_count",
            "share": 0.5,
            "cap": 1.2,
        },
        {
            "actual": "indicator:domestic_contract_wan",
            "target": "target:domestic_contract_wan",
            "share": 0.5,
            "cap": 1.2,
        },
    ]
}


def make_scheme(owner, *, name="招商引资考核", group=None, units=(), items=()):
    scheme = Scheme.objects.create(owner=owner, name=name, year=YEAR, period=PERIOD, group=group)
    if units:
        scheme.units.set(units)
    for position, (item_name, points, rule, params) in enumerate(items):
        SchemeItem.objects.create(
            scheme=scheme, position=position, name=item_name, points=D(points), rule=rule, params=params
        )
    return scheme


def published_form(county):
    """四个乡镇 of 乡镇组 (甲镇 with its park's project, 乙镇, and the new 丙镇 and 丁镇), scored on
    签约 (ratio_mix, cap 1.2, 20 points), 问题扣分 (deduct 0.5 each of input 通报问题, 5 points) and 省外投资
    (ratio of input 省外新增实际投资 over 1000, 10 points)."""
    towns = county.town.group
    bing = make_unit("丙镇", "乡镇", county.root, towns)
    ding = make_unit("丁镇", "乡镇", county.root, towns)
    for _ in range(2):
        make_project(county.bureau, bing, contract_amount=D("6000"))
    progress_services.targets_save(
        actor=county.bureau,
        year=YEAR,
        cells={
            (county.town, "domestic_signed_count"): D(2),
            (county.town, "domestic_contract_wan"): D(10000),
            (county.other_town, "domestic_signed_count"): D(2),
            (county.other_town, "domestic_contract_wan"): D(5000),
            (bing, "domestic_signed_count"): D(1),
            (bing, "domestic_contract_wan"): D(10000),
        },
    )
    scheme = make_scheme(
        county.root,
        group=towns,
        items=[
            ("签约", "20", "ratio_mix", SIGNING_ITEM),
            ("问题扣分", "5", "deduct", {"counts": [{"of": "input:通报问题", "each": "0.5"}]}),
            ("省外投资", "10", "ratio", {"actual": "input:省外新增实际投资", "target": 1000}),
        ],
    )
    inputs = {
        county.town: {"通报问题": 2, "省外新增实际投资": 960},
        county.other_town: {"通报问题": 10, "省外新增实际投资": 0},
        bing: {"通报问题": 12, "省外新增实际投资": 1500},
        ding: {"通报问题": 0, "省外新增实际投资": 1000},
    }
    for unit, values in inputs.items():
        for name, value in values.items():
            InputValue.objects.create(scheme=scheme, unit=unit, name=name, value=D(value))
    return scheme, bing, ding
