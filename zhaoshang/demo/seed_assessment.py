"""The demo's 考核方案: 招商引资工作考核 of the 乡镇街道组, in the form the county publishes (the same file as
docs/examples/assessment-scheme.json, scored at the demo's last month), and the figures the bureau enters for it."""

from decimal import Decimal

from zhaoshang.assessment import editing, schema, services
from zhaoshang.audit.models import Source
from zhaoshang.core.periods import format_month
from zhaoshang.honours import services as honours_services

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


HALF_YEAR = "上半年招商引资工作考核"


def _with_inputs(rng, data: dict, owner):
    """The scheme loaded from its file, and the figures the bureau enters for each unit it assesses."""
    scheme = schema.load(data, actor=None, source=Source.COMMAND, owner=owner)
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
    return scheme, len(units) * 4


def seed_assessment(rng, last_month, owner, bureau) -> dict:
    """The year's scheme as a draft scored live; from July on also the half-year's, published (its 考核结果公示)
    with its 先进单位 proposed in a 表彰 round, so that both ends of the work can be tried."""
    _, inputs = _with_inputs(rng, scheme_file(last_month), owner)
    made = {"assessment_schemes": 1, "assessment_inputs": inputs, "honours_rounds": 0}
    if last_month.month > 6:
        june = last_month.replace(month=6)
        half, more = _with_inputs(rng, {**scheme_file(june), "name": HALF_YEAR}, owner)
        publication = services.publish(half, actor=bureau, source=Source.COMMAND)
        values = {"title": f"{june.year}年上半年招商引资和项目建设先进单位", "top_n": 3}
        honours = honours_services.round_create(
            actor=bureau, publication=publication, values=values, source=Source.COMMAND
        )
        honours_services.round_propose(actor=bureau, honours=honours, source=Source.COMMAND)
        made.update(assessment_schemes=2, assessment_inputs=inputs + more, honours_rounds=1)
    return made
