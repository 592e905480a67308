"""The demo's 考核方案: 招商引资工作考核 of the 乡镇街道组, in the form the county publishes (the same file as
docs/examples/assessment-scheme.json, scored at the demo's last month), and the figures the bureau enters for it."""

from decimal import Decimal

from zhaoshang.assessment import editing, schema
from zhaoshang.audit.models import Source
from zhaoshang.core.periods import format_month

SCHEME = {
    "name": "招商引资工作考核",
    "year": 2026,
    "period": "2026-12",
    "group": "乡镇街道组",
    "items": [
        {
            "name": "签约项目个数与金额",
            "points": 30,
            "rule": "ratio_mix",
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
            ],
        },
        {
            "name": "到位资金",
            "points": 30,
            "rule": "ratio",
            "actual": "indicator:domestic_arrived_wan",
            "target": "target:domestic_arrived_wan",
            "cap": 1.2,
        },
        {
            "name": "省外新增实际投资",
            "points": 20,
            "rule": "ratio",
            "actual": "input:省外新增实际投资",
            "target": "input:省外新增实际投资目标",
        },
        {
            "name": "引进重点企业",
            "points": 10,
            "rule": "count_points",
            "counts": [{"of": "input:引进重点企业数", "each": 2}],
        },
        {
            "name": "弄虚作假",
            "points": 0,
            "rule": "deduct",
            "counts": [{"of": "input:弄虚作假次数", "each": 5}],
            "floor": -10,
        },
    ],
}


def scheme_file(last_month) -> dict:
    return {**SCHEME, "year": last_month.year, "period": format_month(last_month)}


def seed_assessment(rng, last_month, owner) -> dict:
    scheme = schema.load(scheme_file(last_month), actor=None, source=Source.COMMAND, owner=owner)
    units = schema.assessed_units(scheme)
    for unit in units:
        goal = Decimal(rng.randrange(8, 30) * 1000)
        figures = {
            "省外新增实际投资目标": goal,
            "省外新增实际投资": (goal * Decimal(rng.randrange(60, 130)) / 100).quantize(Decimal(1)),
            "引进重点企业数": Decimal(rng.randrange(0, 6)),
            "弄虚作假次数": Decimal(1 if rng.random() < 0.1 else 0),
        }
        for name, value in figures.items():
            editing.input_set(actor=None, scheme=scheme, unit=unit, name=name, value=value, source=Source.COMMAND)
    return {"assessment_schemes": 1, "assessment_inputs": len(units) * 4}
