"""A chain's five figures for a year up to a month (January..M), each against the chain's target for that year:
completion, the gap to 序时进度 (M/12), the light, and the chain's rank among its owner's chains.

What a chain's projects add up to (docs/domain.md, 产业链招商):
- a chain's projects are the ledger projects pointing at it, wherever their units are (a county's chain rolls up
  its towns and parks; a city's own chain its counties), read within `projects` (the reader's scope: a county's
  bureau reading a city's chain sees its own county's part, never another county's);
- 签约项目数 / 签约金额: projects first signed in the year up to M (`first_signed_month`), each once; the amount
  is the 协议资金 in 万元, a foreign one's 万美元 × the year's USD rate (projects.rules.amount_in_wan, as for
  亿元以上). Like the ledger's signings, a project dropped after signing stays counted;
- 到位资金: the projects' monthly 到位资金 in January..M, foreign ones converted at the same rate;
- 落地项目数: projects whose stage history first reaches 注册, 开工 or 投产 in January..M (a project entered at
  开工 reaches it on its creation row); a project now 终止 is not live work and is not counted;
- 入驻厂房面积: Σ 使用面积 (㎡) of the projects' occupancies that moved in during January..M, whether or not they
  have moved out since; occupancies of a project now 终止 are not counted.

Every figure of every chain comes from one grouped query per figure (five, plus the chains, targets and the USD
rate), never a query per chain."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Sum

from zhaoshang.carriers.models import Occupancy
from zhaoshang.chains.models import ChainTarget
from zhaoshang.core.money import format_amount
from zhaoshang.core.periods import add_months, schedule_rate
from zhaoshang.progress import rules
from zhaoshang.projects.models import MonthlyFunds, Project, Stage, StageChange
from zhaoshang.projects.rules import amount_in_wan
from zhaoshang.projects.services import usd_rate_for

LANDED_STAGES = (Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING)


@dataclass(frozen=True)
class ChainFigure:
    code: str  # also the ChainTarget field holding its target
    name: str
    unit: str  # the unit it is kept in
    shown_in: str  # the unit it is shown in (万元 amounts as 亿元)
    divisor: int = 1

    @property
    def header(self) -> str:
        return f"{self.name}({self.shown_in})"


FIGURES = [
    ChainFigure("signed_count", "签约项目数", "个", "个"),
    ChainFigure("signed_amount_wan", "签约金额", "万元", "亿元", 10000),
    ChainFigure("arrived_wan", "到位资金", "万元", "亿元", 10000),
    ChainFigure("landed_count", "落地项目数", "个", "个"),
    ChainFigure("floor_area_m2", "入驻厂房面积", "㎡", "㎡"),
]
BY_CODE = {f.code: f for f in FIGURES}
COUNTS = ("signed_count", "landed_count")


def shown(value, figure: ChainFigure) -> str:
    """'1,234' for a count, '4.08' (亿元) for a 万元 amount, '8,000.00' for ㎡; '—' for none."""
    if value is None:
        return "—"
    if figure.unit == "个":
        return f"{int(value):,}"
    return format_amount(Decimal(value) / figure.divisor)


@dataclass
class Progress:
    """One figure of one chain: the value, its target and what follows from both. Without a target (未设目标) or
    with a target of 0 (目标为0) there is no rate, no light and no rank."""

    figure: ChainFigure
    value: Decimal | int
    target: Decimal | int | None
    completion: Decimal | None = None
    gap: Decimal | None = None
    light: str | None = None
    rank: int | None = None

    @property
    def value_shown(self) -> str:
        return shown(self.value, self.figure)

    @property
    def target_shown(self) -> str:
        return shown(self.target, self.figure)

    @property
    def flag(self) -> str:
        if self.target is None:
            return "未设目标"
        return "目标为0" if self.target == 0 else ""


@dataclass
class ChainRow:
    chain: object
    figures: dict = field(default_factory=dict)  # code → Progress

    @property
    def figure_list(self) -> list:
        return [self.figures[f.code] for f in FIGURES]


@dataclass
class ChainReport:
    month: date
    schedule: Decimal
    rows: list  # ChainRow, in the chains' order

    def by_owner(self) -> list[tuple[object, list]]:
        """[(owner unit, its rows)] in the order the owners first appear."""
        groups: dict = {}
        for row in self.rows:
            groups.setdefault(row.chain.owner_id, (row.chain.owner, []))[1].append(row)
        return list(groups.values())


def _live(projects):
    """The projects that are live work: not 终止."""
    return projects.exclude(stage=Stage.DROPPED)


def _signed(ids, projects, start, end, rate) -> dict:
    counts, amounts = defaultdict(int), defaultdict(Decimal)
    rows = (
        projects.filter(chain_id__in=ids, first_signed_month__gte=start, first_signed_month__lt=end)
        .values("chain_id", "funding_type")
        .annotate(n=Count("id"), amount=Sum("contract_amount"))
        .order_by()
    )
    for r in rows:
        counts[r["chain_id"]] += r["n"]
        amounts[r["chain_id"]] += amount_in_wan(r["funding_type"], r["amount"] or Decimal(0), rate)
    return {"signed_count": counts, "signed_amount_wan": amounts}


def _arrived(ids, projects, start, end, rate) -> dict:
    totals = defaultdict(Decimal)
    rows = (
        MonthlyFunds.objects.filter(project__in=projects, project__chain_id__in=ids, month__gte=start, month__lt=end)
        .values("project__chain_id", "project__funding_type")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for r in rows:
        totals[r["project__chain_id"]] += amount_in_wan(r["project__funding_type"], r["amount"], rate)
    return {"arrived_wan": totals}


def _landed(ids, projects, start, end) -> dict:
    # Per project: the first day its history reaches a landed stage; counted when that day falls in January..M.
    counts = defaultdict(int)
    rows = (
        StageChange.objects.filter(project__in=_live(projects), project__chain_id__in=ids)
        .filter(to_stage__in=LANDED_STAGES)
        .values("project_id", "project__chain_id")
        .annotate(first=Min("changed_on"))
        .filter(first__gte=start, first__lt=end)
        .order_by()
    )
    for r in rows:
        counts[r["project__chain_id"]] += 1
    return {"landed_count": counts}


def _floor_area(ids, projects, start, end) -> dict:
    rows = (
        Occupancy.objects.filter(project__in=_live(projects), project__chain_id__in=ids)
        .filter(moved_in_on__gte=start, moved_in_on__lt=end)
        .values("project__chain_id")
        .annotate(area=Sum("floor_m2"))
        .order_by()
    )
    return {"floor_area_m2": {r["project__chain_id"]: r["area"] or Decimal(0) for r in rows}}


def chain_values(chain_ids, month: date, projects=None) -> dict:
    """{code: {chain id: value}} of the five figures, January..`month` of its year, over `projects` (the whole
    ledger by default). A chain with nothing has no entry (its value is 0)."""
    ids = list(chain_ids)
    projects = Project.objects.all() if projects is None else projects
    start, end = date(month.year, 1, 1), add_months(month, 1)
    rate = usd_rate_for(month.year)
    return {
        **_signed(ids, projects, start, end, rate),
        **_arrived(ids, projects, start, end, rate),
        **_landed(ids, projects, start, end),
        **_floor_area(ids, projects, start, end),
    }


def chain_report(chains, month: date, projects=None) -> ChainReport:
    """The chains' progress in January..`month`: `chains` a queryset (or list) of Chain, each with its owner;
    `projects` the ledger projects counted (the reader's scope; all by default). Ranked per owner and figure by
    completion rate, ties sharing a rank (1, 2, 2, 4)."""
    chains = list(chains.select_related("owner") if hasattr(chains, "select_related") else chains)
    ids = [c.pk for c in chains]
    schedule = schedule_rate(month.month)
    values = chain_values(ids, month, projects) if ids else {}
    targets = {t.chain_id: t for t in ChainTarget.objects.filter(chain_id__in=ids, year=month.year)} if ids else {}
    rows = []
    for chain in chains:
        row = ChainRow(chain)
        target = targets.get(chain.pk)
        for figure in FIGURES:
            value = values[figure.code].get(chain.pk, 0)
            if figure.code not in COUNTS:
                value = Decimal(value)
            goal = getattr(target, figure.code) if target is not None else None
            completion = rules.completion_rate(value, goal)
            gap = rules.gap_pp(completion, schedule)
            row.figures[figure.code] = Progress(figure, value, goal, completion, gap, rules.light(gap))
        rows.append(row)
    report = ChainReport(month, schedule, rows)
    for _owner, owned in report.by_owner():
        for figure in FIGURES:
            ranks = rules.competition_ranks({r.chain.pk: r.figures[figure.code].completion for r in owned})
            for r in owned:
                r.figures[figure.code].rank = ranks.get(r.chain.pk)
    return report
