"""Where a scheme's figures come from. A source is written `kind:name` in a scheme file ("indicator:QY_NZ_QY",
"input:省外新增实际投资", "observation:上半年观摩"); `KINDS` maps each kind to a function that reads the figure of
every assessed unit at once (a fixed number of queries per source, whatever the number of units).

Each kind's function takes the scoring `Context` and the name, and returns `Values`: the figure per unit id (None
where the unit has none: a missing target, a unit no judge scored) and, for a 观摩's result, its full marks. An
unknown kind or name raises `UnknownSource` with a message in Chinese that names what exists."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhaoshang.assessment.models import InputValue
from zhaoshang.org.models import Unit
from zhaoshang.progress.models import Target
from zhaoshang.progress.period import DECLARED, VERIFIED, unit_figures
from zhaoshang.projects.indicators import BY_CODE


class UnknownSource(ValueError):
    """A source a scheme names that does not exist (the message says which, in Chinese)."""


@dataclass(frozen=True)
class Context:
    """What every source needs: the scheme's owner (the bureau's unit; a city's scheme reads the whole city),
    its year and scored month (first day), and the units assessed."""

    owner: object  # org.Unit
    year: int
    month: date
    units: tuple  # org.Unit, in the scheme's order
    scheme: object = None  # the Scheme scored (its InputValue rows: `input:NAME`)


@dataclass
class Values:
    by_unit: dict[int, Decimal | None] = field(default_factory=dict)
    # The full marks of a 观摩's result (`observation:NAME`); None for every other kind.
    full_marks: Decimal | None = None


# Every kind a scheme may name, with what it reads (the scheme page offers these; README lists them).
KIND_LABELS = {
    "indicator": "指标1至M月累计",
    "verified": "指标1至M月累计（仅计已认定）",
    "target": "指标年度目标",
    "rate": "指标目标完成率（小数，0.96 即 96%）",
    "input": "考核数据（主管部门录入或导入）",
    "observation": "观摩评比结果",
    "cases": "典型案例篇数",
    "training": "培训（学时或人次）",
    "refused": "不予认定事项数（签约、开工、投产、到位资金或全部）",
}


def split(source: str) -> tuple[str, str]:
    """ "kind:name" → (kind, name); refused with a message when the kind is not one of KINDS."""
    kind, sep, name = str(source).partition(":")
    kind, name = kind.strip(), name.strip()
    if not sep or not name:
        raise UnknownSource(f"数据来源“{source}”格式不对，应写作 类别:名称（如 indicator:指标代码）")
    if kind not in KIND_LABELS:
        raise UnknownSource(f"数据来源“{source}”的类别“{kind}”不存在，可用：{'、'.join(KIND_LABELS)}")
    return kind, name


def read(source: str, context: Context) -> Values:
    kind, name = split(source)
    return KINDS[kind](context, name)


# kind → function(context, name) -> Values, one per KIND_LABELS key: the ledger's kinds below, the others from
# their own modules (filled at the end of this module).
KINDS: dict[str, Callable[[Context, str], Values]] = {}


# The indicators a scheme may name: every indicator a unit's figures hold (the 小分队 counts are the county's, not
# a unit's).
SCORED_CODES = [code for code in BY_CODE if not code.startswith("teams_")]


def _code(name: str) -> str:
    if name not in SCORED_CODES:
        raise UnknownSource(f"指标代码“{name}”不存在，可用：{'、'.join(SCORED_CODES)}")
    return name


def _figures(context: Context, basis: str = DECLARED) -> dict:
    """Each assessed unit's figures (its subtree's, 1–M累计) on `basis` (申报 or 认定): the subtrees read whole, a
    fixed number of queries."""
    if not context.units:
        return {}
    subtree = list(Unit.objects.under(*context.units).filter(is_active=True))
    return unit_figures(context.month, subtree, basis)


def _ytd(figures, code: str):
    if code == "key_plan_wan":
        return figures.plan.get("key_plan_wan", 0)
    return figures.ytd.get(code, 0)


def indicator_values(context: Context, name: str, basis: str = DECLARED) -> Values:
    """`indicator:CODE`: the unit's 1–M累计 of the indicator at the scheme's month (its subtree included), as
    entered (申报)."""
    code = _code(name)
    figures = _figures(context, basis)
    return Values({u.pk: Decimal(_ytd(figures[u.pk], code) or 0) if u.pk in figures else None for u in context.units})


def verified_values(context: Context, name: str) -> Values:
    """`verified:CODE`: the same 1–M累计 counting only what is 已认定 (a signing, start, production or month's
    到位资金 whose decision stands for the figure as it is); 完成投资, plans and the front line as `indicator:`."""
    return indicator_values(context, name, VERIFIED)


def target_values(context: Context, name: str) -> Values:
    """`target:CODE`: the unit's annual target of the indicator for the scheme's year; None where none is set.
    重点项目完成投资's target is the year's plan of the key projects, as in the progress report."""
    code = _code(name)
    if code == "key_done_wan":
        plan = indicator_values(context, "key_plan_wan").by_unit
        return Values({pk: (value or None) for pk, value in plan.items()})
    rows = dict(
        Target.objects.filter(year=context.year, indicator=code, unit__in=[u.pk for u in context.units]).values_list(
            "unit_id", "value"
        )
    )
    return Values({u.pk: rows.get(u.pk) for u in context.units})


def rate_values(context: Context, name: str) -> Values:
    """`rate:CODE`: 1–M累计 ÷ annual target as a fraction (0.96); None where the target is missing or zero."""
    actual = indicator_values(context, name).by_unit
    target = target_values(context, name).by_unit
    return Values(
        {
            pk: (Decimal(actual[pk] or 0) / Decimal(target[pk]) if target.get(pk) else None)
            for pk in (u.pk for u in context.units)
        }
    )


def input_values(context: Context, name: str) -> Values:
    """`input:NAME`: the figure the bureau entered or imported for the unit in this scheme; None where none."""
    rows = {}
    if context.scheme is not None:
        rows = dict(InputValue.objects.filter(scheme=context.scheme, name=name).values_list("unit_id", "value"))
    return Values({u.pk: rows.get(u.pk) for u in context.units})


# The kinds kept in their own modules import the names above, so they are imported last.
from zhaoshang.assessment import source_outreach  # noqa: E402
from zhaoshang.assessment.source_observation import observation_values  # noqa: E402
from zhaoshang.assessment.source_verification import refused  # noqa: E402

KINDS.update(
    {
        "observation": observation_values,
        "cases": source_outreach.cases,
        "training": source_outreach.training,
        "refused": refused,
        "indicator": indicator_values,
        "verified": verified_values,
        "target": target_values,
        "rate": rate_values,
        "input": input_values,
    }
)
