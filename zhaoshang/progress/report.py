"""The progress report of one period for one subtree: every indicator against its target and the calendar,
each group's ranking with lights and red/black lists, and the teams. Used by the dashboard, the drill-down
pages and (later) the bulletin."""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhaoshang.core.periods import schedule_rate
from zhaoshang.org.models import TEAM_KINDS, AssessmentGroup, Unit, UnitKind
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.progress import rules
from zhaoshang.progress.models import Target
from zhaoshang.progress.period import (
    DECLARED,
    VERIFIED,
    TeamFigures,
    UnitFigures,
    level_sums,
    summarize_teams,
    team_activity,
    teams_under,
    unit_figures,
)
from zhaoshang.projects.indicators import BY_CODE, INDICATORS, VERIFIABLE_CODES
from zhaoshang.projects.models import VerificationRules

BASIS_LABELS = {DECLARED: "申报", VERIFIED: "认定"}


def counted_basis(root: Unit) -> str:
    """Which figures count in rankings, rates, lights and lists under `root`: the install's (the top unit's)
    VerificationRules.counted, 申报 without a row (one query)."""
    rules_row = VerificationRules.objects.filter(root_id__in=ancestor_ids(root.path)).order_by("root__path").first()
    return rules_row.counted if rules_row else DECLARED


def is_assessed(unit: Unit, root: Unit) -> bool:
    """Whether a unit is ranked, lit and listed (红黑榜) among the units of `root`'s subtree: it has an assessment
    group (a unit without one, 不参与考核, such as the bureau's own office, is never ranked), it is not the
    viewed unit itself, and it is no team (teams hold no ledger of their own: projects sit with their
    responsible units; they are compared by their signings and stage moves instead, in `teams`)."""
    return unit.group_id is not None and unit.pk != root.pk and unit.kind not in TEAM_KINDS


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
    # The other basis's figures of a verifiable indicator (认定 beside 申报, or 申报 beside 认定 where 认定
    # counts: PeriodReport.counted); None for the indicators with one figure.
    beside_month: Decimal | int | None = None
    beside_ytd: Decimal | int | None = None
    beside_label: str = ""

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
    figures: dict[int, UnitFigures]  # the counted basis's (`counted`): every rate, rank, light and list uses it
    targets: dict  # (unit_id, code) → Target
    teams: TeamFigures
    teams_month: TeamFigures
    # Every team of the subtree with its activity (January..M, and M alone), so that a unit below the root
    # counts the teams of its own subtree: the drill-down of a team indicator lists every unit.
    team_units: list[Unit] = field(default_factory=list)
    team_activity_ytd: dict = field(default_factory=dict)
    team_activity_month: dict = field(default_factory=dict)
    counted: str = DECLARED  # "declared" (申报) or "verified" (认定): VerificationRules.counted
    # The other basis's figures (without the front line, which has one figure), shown beside the counted ones.
    other_figures: dict = field(default_factory=dict)

    @property
    def other(self) -> str:
        return VERIFIED if self.counted == DECLARED else DECLARED

    @property
    def counted_label(self) -> str:
        return BASIS_LABELS[self.counted]

    @property
    def other_label(self) -> str:
        return BASIS_LABELS[self.other]

    def figures_on(self, basis: str) -> dict[int, UnitFigures]:
        return self.figures if basis == self.counted else self.other_figures

    def beside(self, unit: Unit, code: str):
        """(month, ytd) of the other basis for a verifiable indicator (None for the others): the 认定 figure
        beside the 申报 one, or the 申报 beside the 认定 where 认定 counts."""
        if code not in VERIFIABLE_CODES or unit.pk not in self.other_figures:
            return None
        other = self.other_figures[unit.pk]
        return other.month.get(code), other.ytd.get(code)

    def progress(self, unit: Unit, code: str) -> Progress:
        figures = self.figures[unit.pk]
        if code == "key_plan_wan":
            plan = figures.plan["key_plan_wan"]
            return Progress(code, plan, plan, None, None, None, None, None)
        if code.startswith("teams_"):
            return self._team_progress(unit, code)
        target_row = self.targets.get((unit.pk, code))
        target = target_row.value if target_row else None
        if code == "key_done_wan":  # its target is the year's plan of the key projects
            target = figures.plan["key_plan_wan"] or None
        schedule = schedule_rate(self.month.month, target_row.monthly if target_row else None)
        ytd = figures.ytd.get(code)
        completion = rules.completion_rate(ytd, target)
        gap = rules.gap_pp(completion, schedule)
        beside = self.beside(unit, code) or (None, None)
        return Progress(
            code,
            figures.month.get(code),
            ytd,
            target,
            completion,
            gap,
            rules.light(gap),
            rules.double_half(completion, self.month.month),
            beside_month=beside[0],
            beside_ytd=beside[1],
            beside_label=self.other_label if beside[1] is not None else "",
        )

    def _team_progress(self, unit, code):
        ytd, month = self.teams, self.teams_month
        if unit.pk != self.root.pk:
            teams = [t for t in _squads(self.team_units, self.root) if t.path.startswith(unit.path)]
            ytd = summarize_teams(teams, self.team_activity_ytd)
            month = summarize_teams(teams, self.team_activity_month)
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
            if not is_assessed(unit, self.root):
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
            ranks_in_order = sorted(r.rank for r in ranked)
            group = ranking.group
            for row in ranked:
                met = row.progress.gap is not None and row.progress.gap >= 0
                # Ties share the better rank, so a tie at the top-N line is inside it (1, 2, 3, 3 with N = 3:
                # four units); at the bottom, a unit is among the last M when fewer than M units rank below
                # it, so a tie at that line is inside it too (1, 2, 3, 3, 5 with M = 2: the last three).
                below = len(ranked) - bisect_right(ranks_in_order, row.rank)
                row.red = has_targets and met and row.rank <= group.red_top_n
                row.black = has_targets and not met and below < group.black_bottom_m
        return sorted(groups.values(), key=lambda g: (g.group.sort_order, g.group.name))


def _squads(teams: list[Unit], root: Unit) -> list[Unit]:
    """The 招商小分队 among `teams` (a team's or a liaison office's own report counts itself)."""
    return [t for t in teams if t.kind == UnitKind.TEAM or t.pk == root.pk]


def period_report(root: Unit, month: date) -> PeriodReport:
    """Everything for the subtree of `root` and the period ending `month`: about ten queries (the counted
    basis and the other basis's totals: two of them)."""
    subtree = list(Unit.objects.under(root).filter(is_active=True).select_related("group"))
    counted = counted_basis(root)
    figures = unit_figures(month, subtree, counted)  # whole subtrees: a unit out of its months holds its projects
    other = unit_figures(month, subtree, VERIFIED if counted == DECLARED else DECLARED, frontline=False)
    # The units that count in the month (Unit.effective_from/to): ranked, listed, and counted as teams.
    units = [u for u in subtree if u.active_in(month) or u.pk == root.pk]
    targets = {(t.unit_id, t.indicator): t for t in Target.objects.under(root).filter(year=month.year)}
    teams = teams_under(root, units) if root.kind not in TEAM_KINDS else [root]
    # The 小分队 figures (teams_total, with_signing, without_progress; "全县X个招商小分队中…") count the 招商小分队:
    # a 驻外联络处 is credited with projects and has its front line (team_units), but is no 小分队.
    squads = _squads(teams, root)
    january = date(month.year, 1, 1)
    activity_ytd, activity_month = team_activity(january, month, squads), team_activity(month, month, squads)
    return PeriodReport(
        root=root,
        month=month,
        schedule=schedule_rate(month.month),
        units=units,
        subtree=subtree,
        figures=figures,
        targets=targets,
        teams=summarize_teams(squads, activity_ytd),
        teams_month=summarize_teams(squads, activity_month),
        team_units=teams,
        team_activity_ytd=activity_ytd,
        team_activity_month=activity_month,
        counted=counted,
        other_figures=other,
    )
