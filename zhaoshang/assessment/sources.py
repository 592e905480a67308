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

from zhaoshang.assessment import source_outreach


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


@dataclass
class Values:
    by_unit: dict[int, Decimal | None] = field(default_factory=dict)
    # The full marks of a 观摩's result (`observation:NAME`); None for every other kind.
    full_marks: Decimal | None = None


# Every kind a scheme may name, with what it reads (the scheme page offers these; README lists them).
KIND_LABELS = {
    "indicator": "指标1至M月累计",
    "target": "指标年度目标",
    "rate": "指标目标完成率（小数，0.96 即 96%）",
    "input": "考核数据（主管部门录入或导入）",
    "observation": "观摩评比结果",
    "cases": "典型案例篇数",
    "training": "培训（学时或人次）",
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


# kind → function(context, name) -> Values, one per KIND_LABELS key. Each part of the assessment work adds its
# own kinds here: indicator/target/rate/input (the engine), observation (观摩评比), cases/training (宣传与培训).
KINDS: dict[str, Callable[[Context, str], Values]] = {
    "cases": source_outreach.cases,
    "training": source_outreach.training,
}
