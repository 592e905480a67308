"""A scheme's result: every assessed unit scored on every item from the sources (assessment/sources.py) by the
rules (assessment/rules.py), totals as sums of the unrounded items, competition ranks within each group.

`score(scheme)` makes one query for the units and a fixed number per distinct source the items name, whatever the
number of units; `Result.as_json()` is the contract of `manage.py assessment score` (README 考核)."""

from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.assessment import rules
from zhaoshang.assessment.models import Rule
from zhaoshang.assessment.sources import Context, UnknownSource, Values, read
from zhaoshang.core.money import round_half_up
from zhaoshang.org.models import Unit, in_force_q
from zhaoshang.progress.rules import competition_ranks


class SchemeError(ValueError):
    """A scheme that cannot be scored as written (an item without a key its rule needs, a number that is none, an
    unknown source): the message says which item and what, in Chinese."""


@dataclass
class ItemScore:
    name: str
    score: Decimal  # unrounded
    detail: str
    flags: tuple = ()


@dataclass
class UnitResult:
    unit: Unit
    group: str
    items: list[ItemScore] = field(default_factory=list)
    rank: int | None = None

    @property
    def total(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))


@dataclass
class Result:
    scheme: str
    year: int
    items: list[str]
    rows: list[UnitResult]

    def as_json(self) -> dict:
        return {
            "scheme": self.scheme,
            "year": self.year,
            "units": [
                {
                    "unit": row.unit.name,
                    "group": row.group,
                    "total": rules.two(row.total).replace(rules.MINUS, "-"),
                    "rank": row.rank,
                    "items": [
                        {
                            "name": item.name,
                            "score": rules.two(item.score).replace(rules.MINUS, "-"),
                            "detail": item.detail,
                            **({"flags": list(item.flags)} if item.flags else {}),
                        }
                        for item in row.items
                    ],
                }
                for row in self.rows
            ],
        }


def assessed_units(scheme) -> list[Unit]:
    """The units a scheme assesses: its group's units that count in the scored month, within the owner's subtree
    (the owner itself never), or the units it lists; in the tree's order."""
    if scheme.group_id:
        units = (
            Unit.objects.under(scheme.owner)
            .filter(group_id=scheme.group_id)
            .filter(in_force_q(scheme.period))
            .exclude(pk=scheme.owner_id)
        )
    else:
        units = scheme.units.all()
    return list(units.select_related("group").order_by("path"))


class _Figures:
    """The sources an item names, each read once for every unit; literal numbers stand for every unit alike."""

    def __init__(self, context: Context):
        self.context = context
        self.read: dict[str, Values] = {}

    def values(self, item, key: str, value) -> Values:
        if value is None or value == "":
            raise SchemeError(f"考核项目“{item.name}”缺少“{key}”")
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            number = rules.dec(value)
            return Values(dict.fromkeys((u.pk for u in self.context.units), number))
        text = str(value).strip()
        if ":" not in text:
            try:
                number = rules.dec(text)
            except (ArithmeticError, ValueError):
                raise SchemeError(f"考核项目“{item.name}”的“{key}”应为数据来源（类别:名称）或数字：{text}") from None
            return Values(dict.fromkeys((u.pk for u in self.context.units), number))
        if text not in self.read:
            try:
                self.read[text] = read(text, self.context)
            except UnknownSource as exc:
                raise SchemeError(f"考核项目“{item.name}”：{exc}") from None
        return self.read[text]


def _number(item, key: str, value, default=None):
    if value is None or value == "":
        if default is not None:
            return default
        raise SchemeError(f"考核项目“{item.name}”缺少“{key}”")
    try:
        return rules.dec(value)
    except (ArithmeticError, ValueError):
        raise SchemeError(f"考核项目“{item.name}”的“{key}”不是数字：{value}") from None


def _optional(item, key: str, value):
    return None if value is None or value == "" else _number(item, key, value)


def _list(item, key: str, value) -> list:
    if not isinstance(value, list) or not value:
        raise SchemeError(f"考核项目“{item.name}”缺少“{key}”（一个列表）")
    return value


def _rate(actual, target):
    """(actual ÷ target, None) or (None, the flag): a missing or zero target is never divided by."""
    if target is None:
        return None, rules.MISSING_TARGET
    if rules.dec(target) == 0:
        return None, rules.ZERO_TARGET
    return rules.dec(actual or 0) / rules.dec(target), None


def _scorer(item, figures: _Figures):
    """The item's rule bound to its figures: a function unit id → Scored."""
    p, points = item.params or {}, rules.dec(item.points)
    if item.rule == Rule.RATIO:
        actual, target = (
            figures.values(item, "actual", p.get("actual")),
            figures.values(item, "target", p.get("target")),
        )
        cap = _number(item, "cap", p.get("cap"), Decimal(1))
        return lambda pk: rules.ratio(points, actual.by_unit.get(pk), target.by_unit.get(pk), cap)
    if item.rule == Rule.RATIO_MIX:
        parts = [
            (
                figures.values(item, "actual", part.get("actual")),
                figures.values(item, "target", part.get("target")),
                _number(item, "share", part.get("share")),
                _number(item, "cap", part.get("cap"), Decimal(1)),
            )
            for part in _parts(item, "parts", p.get("parts"))
        ]
        return lambda pk: rules.ratio_mix(
            points, [(a.by_unit.get(pk), t.by_unit.get(pk), share, cap) for a, t, share, cap in parts]
        )
    if item.rule in (Rule.COUNT_POINTS, Rule.DEDUCT):
        counts = [
            (figures.values(item, "of", c.get("of")), _number(item, "each", c.get("each")))
            for c in _parts(item, "counts", p.get("counts"))
        ]
        if item.rule == Rule.COUNT_POINTS:
            upper = _optional(item, "max", p.get("max"))
            return lambda pk: rules.count_points(points, [(v.by_unit.get(pk), each) for v, each in counts], upper)
        base, floor = _optional(item, "base", p.get("base")), _number(item, "floor", p.get("floor"), Decimal(0))
        return lambda pk: rules.deduct(points, [(v.by_unit.get(pk), each) for v, each in counts], base, floor)
    if item.rule == Rule.QUOTA:
        bands = [
            (figures.values(item, "of", b.get("of")), _number(item, "at_least", b.get("at_least")))
            for b in _parts(item, "bands", p.get("bands"))
        ]
        each_missing = _number(item, "each_missing", p.get("each_missing"))
        base, floor = _optional(item, "base", p.get("base")), _number(item, "floor", p.get("floor"), Decimal(0))
        return lambda pk: rules.quota(
            points, [(v.by_unit.get(pk), at_least) for v, at_least in bands], each_missing, base, floor
        )
    if item.rule in (Rule.OVER_TARGET, Rule.TIERS):
        rate_of = _rate_source(item, figures, p)
        if item.rule == Rule.OVER_TARGET:
            per_point = _number(item, "per_point", p.get("per_point"))
            upper = _optional(item, "max", p.get("max"))

            def over(pk):
                rate, flag = rate_of(pk)
                return rules.over_target(points, rate, per_point, upper, missing=flag or rules.MISSING_TARGET)

            return over
        table = _tiers(item, p.get("tiers"))

        def tier(pk):
            rate, flag = rate_of(pk)
            return rules.tiers(points, rate, table, missing=flag or rules.MISSING_TARGET)

        return tier
    if item.rule == Rule.EFFICACY:
        source = figures.values(item, "of", p.get("of", p.get("actual")))
        everyone = [source.by_unit.get(u.pk) for u in figures.context.units]
        return lambda pk: rules.efficacy(points, source.by_unit.get(pk), everyone)
    if item.rule == Rule.JUDGES:
        source = figures.values(item, "of", p.get("of"))
        return lambda pk: rules.judges(points, source.by_unit.get(pk), source.full_marks)
    raise SchemeError(f"考核项目“{item.name}”的计分规则“{item.rule}”不存在")


def _tiers(item, value) -> list[tuple[Decimal, Decimal]]:
    table = []
    for pair in _list(item, "tiers", value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise SchemeError(f"考核项目“{item.name}”的档次应写作 [达到的完成率, 得分比例]：{pair}")
        table.append((_number(item, "tiers", pair[0]), _number(item, "tiers", pair[1])))
    return table


def _parts(item, key: str, value) -> list[dict]:
    parts = _list(item, key, value)
    if not all(isinstance(part, dict) for part in parts):
        raise SchemeError(f"考核项目“{item.name}”的“{key}”每一项应为对象")
    return parts


def _rate_source(item, figures: _Figures, p: dict):
    """The completion rate an over_target or tiers item reads: `of` (a rate source or number), or actual ÷ target."""
    if p.get("of") not in (None, ""):
        source = figures.values(item, "of", p.get("of"))
        return lambda pk: (source.by_unit.get(pk), None)
    actual, target = figures.values(item, "actual", p.get("actual")), figures.values(item, "target", p.get("target"))
    return lambda pk: _rate(actual.by_unit.get(pk), target.by_unit.get(pk))


def score(scheme) -> Result:
    units = assessed_units(scheme)
    context = Context(owner=scheme.owner, year=scheme.year, month=scheme.period, units=tuple(units), scheme=scheme)
    figures = _Figures(context)
    items = list(scheme.items.all())
    scorers = [(item, _scorer(item, figures)) for item in items]
    rows = [UnitResult(unit=u, group=u.group.name if u.group_id else "") for u in units]
    for row in rows:
        for item, scorer in scorers:
            scored = scorer(row.unit.pk)
            row.items.append(ItemScore(item.name, scored.score, scored.detail, scored.flags))
    # Ranked by the total as published (two decimals): two units shown with the same total share a rank.
    order = {}
    for row in rows:
        order.setdefault(row.group, []).append(row)
    for group_rows in order.values():
        ranks = competition_ranks({id(r): round_half_up(r.total) for r in group_rows})
        for r in group_rows:
            r.rank = ranks[id(r)]
    group_order = {}
    for u in units:
        if u.group_id:
            group_order.setdefault(u.group.name, (u.group.sort_order, u.group.name))
    rows.sort(key=lambda r: (r.group == "", group_order.get(r.group, (0, "")), r.rank, r.unit.path))
    return Result(scheme=scheme.name, year=scheme.year, items=[i.name for i in items], rows=rows)
