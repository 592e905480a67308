"""An event's results, computed from the submitted sheets only (a draft or a reopened sheet does not count).

- A judge's total for a project: the sum of its scores on every criterion.
- A project's result: with five or more submitted sheets, the single highest and the single lowest total are
  dropped and the rest averaged; with fewer, the plain average. No submitted sheet: no result.
- A unit's result: the mean of its projects' results; when the bureau set a weight on every one of the unit's
  scored projects (summing above 0), the weighted mean, the weights normalised among them.
- Ranking: competition style (1, 2, 2, 4) by the result shown (two decimals, half-up) within each assessment
  group of the units; the units without a group in one list.
Results are kept unrounded (a scheme's `judges` rule reads them so) and shown to two decimals."""

from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.core.money import round_half_up
from zhaoshang.observation.models import Event, Judge, Score
from zhaoshang.progress.rules import competition_ranks

TRIM_FROM = 5  # with this many submitted sheets or more, the highest and the lowest total are dropped


def trimmed_mean(totals: list[Decimal]) -> Decimal | None:
    if not totals:
        return None
    values = sorted(totals)
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return sum(values, Decimal(0)) / len(values)


@dataclass
class ProjectResult:
    visit: object
    totals: dict  # judge id → total (submitted sheets only)
    result: Decimal | None
    trimmed: bool


@dataclass
class UnitResult:
    unit: object
    group: object
    projects: list = field(default_factory=list)  # ProjectResult
    result: Decimal | None = None
    weighted: bool = False
    rank: int | None = None


@dataclass
class Results:
    event: Event
    criteria: list
    judges: list  # every judge; .is_submitted says which count
    submitted: list  # the judges whose sheets count
    projects: list  # ProjectResult, in the route's order
    units: list  # UnitResult, by group then rank

    @property
    def full_marks(self) -> Decimal:
        return sum((c.full_marks for c in self.criteria), Decimal(0))

    @property
    def trimmed(self) -> bool:
        return len(self.submitted) >= TRIM_FROM

    def groups(self) -> list[tuple[str, list]]:
        """[(group name, units)], the ungrouped last as "未分组"."""
        out: dict = {}
        for unit in self.units:
            out.setdefault(unit.group.name if unit.group else "未分组", []).append(unit)
        return list(out.items())


def _unit_result(projects: list[ProjectResult]) -> tuple[Decimal | None, bool]:
    scored = [p for p in projects if p.result is not None]
    if not scored:
        return None, False
    weights = [p.visit.weight for p in scored]
    if all(w is not None for w in weights) and sum(weights) > 0:
        total_weight = sum(weights, Decimal(0))
        return sum((p.result * p.visit.weight for p in scored), Decimal(0)) / total_weight, True
    return sum((p.result for p in scored), Decimal(0)) / len(scored), False


def compute(event: Event) -> Results:
    criteria = list(event.criteria.all())
    judges = list(Judge.objects.filter(event=event).select_related("user"))
    submitted = [j for j in judges if j.is_submitted]
    counted = {j.pk for j in submitted}
    visits = list(event.visits.select_related("project", "unit__group"))
    totals: dict[int, dict[int, Decimal]] = {v.pk: {} for v in visits}
    for judge_id, visit_id, value in Score.objects.filter(judge__event=event).values_list(
        "judge_id", "visit_id", "value"
    ):
        if judge_id in counted:
            by_judge = totals[visit_id]
            by_judge[judge_id] = by_judge.get(judge_id, Decimal(0)) + value
    projects = [
        ProjectResult(
            visit=v,
            totals=totals[v.pk],
            result=trimmed_mean(list(totals[v.pk].values())),
            trimmed=len(totals[v.pk]) >= TRIM_FROM,
        )
        for v in visits
    ]
    by_unit: dict[int, UnitResult] = {}
    for project in projects:
        unit = project.visit.unit
        by_unit.setdefault(unit.pk, UnitResult(unit=unit, group=unit.group)).projects.append(project)
    for unit in by_unit.values():
        unit.result, unit.weighted = _unit_result(unit.projects)
    groups: dict = {}
    for unit in by_unit.values():
        groups.setdefault(unit.group.pk if unit.group else None, []).append(unit)
    for members in groups.values():
        shown = {u.unit.pk: round_half_up(u.result) if u.result is not None else None for u in members}
        ranks = competition_ranks(shown)
        for u in members:
            u.rank = ranks.get(u.unit.pk)
    units = sorted(
        by_unit.values(),
        key=lambda u: (
            u.group is None,
            (u.group.sort_order, u.group.name) if u.group else (0, ""),
            u.rank is None,
            u.rank or 0,
            u.unit.path,
        ),
    )
    return Results(event, criteria, judges, submitted, projects, units)


def by_unit(event: Event) -> dict[int, Decimal | None]:
    """{unit id: result} of every unit with a project on the route (the `observation:NAME` source)."""
    return {u.unit.pk: u.result for u in compute(event).units}
