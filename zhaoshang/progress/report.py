"""The progress report of one period for one subtree: every indicator against its target and the calendar,
each group's ranking with lights and red/black lists, and the teams. Used by the dashboard, the drill-down
pages and (later) the bulletin."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhaoshang.core.periods import schedule_rate
from zhaoshang.org.models import AssessmentGroup, Unit, UnitKind
from zhaoshang.progress import rules
from zhaoshang.progress.models import Target
from zhaoshang.progress.period import TeamFigures, UnitFigures, level_sums, team_figures, teams_under, unit_figures
from zhaoshang.projects.indicators import BY_CODE, INDICATORS


@dataclass
class Progress:
    """One indicator of one unit for the period."""

    code: str
    month: Decimal | int | None
    ytd: Decimal | int | None
    target: Decimal | None
    completion: Decimal | None
    gap: Decimal | None
    light: str | None
    double_half: bool | None

    @property
    def indicator(self):
        return BY_CODE[self.code]


@dataclass
class RankRow:
    unit: Unit
    progress: Progress
    rank: int | None = None
    red: bool = False
    black: bool = False


@dataclass
class GroupRanking:
    group: AssessmentGroup
    rows: list[RankRow] = field(default_factory=list)

    @property
    def red_list(self):
        return [r for r in self.rows if r.red]

    @property
    def black_list(self):
        return [r for r in self.rows if r.black]


@dataclass
class PeriodReport:
    root: Unit
    month: date
    schedule: Decimal
    units: list[Unit]  # the subtree's units that count in the month (ranked, listed, teams counted)
    subtree: list[Unit]  # every unit of the subtree, whose figures sum up to the root's
    figures: dict[int, UnitFigures]
    targets: dict  # (unit_id, code) → Target
    teams: TeamFigures
    teams_month: TeamFigures

    def progress(self, unit: Unit, code: str) -> Progress:
        figures = self.figures[unit.pk]
        if code == "key_plan_wan":
            plan = figures.plan["key_plan_wan"]
            return Progress(code, plan, plan, None, None, None, None, None)
        if code.startswith("teams_"):
            return self._team_progress(code)
        target_row = self.targets.get((unit.pk, code))
        target = target_row.value if target_row else None
        if code == "key_done_wan":  # its target is the year's plan of the key projects
            target = figures.plan["key_plan_wan"] or None
        schedule = schedule_rate(self.month.month, target_row.monthly if target_row else None)
        ytd = figures.ytd.get(code)
        completion = rules.completion_rate(ytd, target)
        gap = rules.gap_pp(completion, schedule)
        return Progress(
            code,
            figures.month.get(code),
            ytd,
            target,
            completion,
            gap,
            rules.light(gap),
            rules.double_half(completion, self.month.month),
        )

    def _team_progress(self, code):
        ytd, month = self.teams, self.teams_month
        value = {
            "teams_total": "total",
            "teams_with_signing": "with_signing",
            "teams_without_progress": "without_progress",
        }[code]
        return Progress(code, getattr(month, value), getattr(ytd, value), None, None, None, None, None)

    def summary(self) -> list[Progress]:
        return [self.progress(self.root, i.code) for i in INDICATORS]

    def level_breakdown(self, unit: Unit | None = None) -> list[dict]:
        """Key projects' plan and completion by level (省重点, 市重点, 县重点) against 序时进度."""
        sums = level_sums(unit or self.root, self.month)
        rows = []
        for level, name in (("province", "省重点"), ("city", "市重点"), ("county", "县重点")):
            plan = sums[f"key_plan_{level}_wan"]
            done = sums[f"key_done_{level}_wan"]
            completion = rules.completion_rate(done, plan or None)
            gap = rules.gap_pp(completion, self.schedule)
            rows.append(
                {
                    "level": name,
                    "plan": plan,
                    "done": done,
                    "completion": completion,
                    "gap": gap,
                    "light": rules.light(gap),
                }
            )
        return rows

    def ranking(self, code: str) -> list[GroupRanking]:
        """Units ranked within their assessment group by completion rate (by the figure itself where the
        indicator has no targets), competition ranking; red and black lists by the group's N and M."""
        groups: dict[int, GroupRanking] = {}
        for unit in self.units:
            # Teams hold no ledger of their own (projects sit with their responsible units): they are
            # compared by their signings and stage moves instead, in `teams`.
            if unit.group_id is None or unit.pk == self.root.pk or unit.kind == UnitKind.TEAM:
                continue
            ranking = groups.setdefault(unit.group_id, GroupRanking(group=unit.group))
            ranking.rows.append(RankRow(unit=unit, progress=self.progress(unit, code)))
        for ranking in groups.values():
            has_targets = any(r.progress.target for r in ranking.rows)
            key = (lambda r: r.progress.completion) if has_targets else (lambda r: r.progress.ytd)
            ranks = rules.competition_ranks({r.unit.pk: key(r) for r in ranking.rows})
            for row in ranking.rows:
                row.rank = ranks.get(row.unit.pk)
            ranking.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.sort_order, r.unit.name))
            ranked = [r for r in ranking.rows if r.rank is not None]
            group = ranking.group
            for row in ranked:
                met = row.progress.gap is not None and row.progress.gap >= 0
                row.red = has_targets and met and row.rank <= group.red_top_n
                row.black = has_targets and not met and row.rank > len(ranked) - group.black_bottom_m
        return sorted(groups.values(), key=lambda g: (g.group.sort_order, g.group.name))


def period_report(root: Unit, month: date) -> PeriodReport:
    """Everything for the subtree of `root` and the period ending `month`: about eight queries."""
    subtree = list(Unit.objects.under(root).filter(is_active=True).select_related("group"))
    figures = unit_figures(month, subtree)  # whole subtrees: a unit out of its months still holds its projects
    # The units that count in the month (Unit.effective_from/to): ranked, listed, and counted as teams.
    units = [u for u in subtree if u.active_in(month) or u.pk == root.pk]
    targets = {(t.unit_id, t.indicator): t for t in Target.objects.under(root).filter(year=month.year)}
    teams = teams_under(root, units) if root.kind != UnitKind.TEAM else [root]
    january = date(month.year, 1, 1)
    return PeriodReport(
        root=root,
        month=month,
        schedule=schedule_rate(month.month),
        units=units,
        subtree=subtree,
        figures=figures,
        targets=targets,
        teams=team_figures(january, month, teams),
        teams_month=team_figures(month, month, teams),
    )
