"""An independent recomputation of every indicator, straight from the ledger's rows.

It reads the source rows once (units, groups, projects, their stage history, 到位资金, 完成投资, 年度计划投资,
targets and USD rates) and applies the rules of /work/shared/DOMAIN.md (and, where DOMAIN.md is silent,
docs/domain.md) in plain Python. It must never call what produced the product's figures: nothing here imports
zhaoshang.progress (but its Target model), zhaoshang.projects.totals, .indicators, .rules or .services, and the
derived columns Project.first_signed_month and Project.is_major are not read; they are recomputed.

A rule known to be implemented differently by the product, while its fix is under way, can be named as a
*variant* (`KNOWN_FAULTS`, empty now): `recompute(ledger, year, faults={...})` then applies the product's current
rule for those names, so a test can tell a known disagreement from a new one exactly.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from zhaoshang.frontline.models import LeadProfile, Reception, Trip
from zhaoshang.org.models import AssessmentGroup, Unit
from zhaoshang.progress.models import Target
from zhaoshang.projects.models import (
    AnnualPlan,
    MonthlyFunds,
    MonthlyInvestment,
    Project,
    StageChange,
    UsdRate,
)

MONTHS = range(1, 13)
ZERO = Decimal(0)
ONE_YI_WAN = Decimal(10_000)  # 1 亿元 in 万元
STAGES = ["线索", "在谈", "签约", "注册", "开工", "投产"]
DROPPED, SIGNED = "终止", "签约"
# Units credited with projects as teams (org.TEAM_KINDS, written out here): 招商小分队 and, since issue 16, 驻外联络处.
TEAMS = {"招商小分队", "驻外联络处"}  # not ranked; the 小分队 figures (teams_*) count the 招商小分队 only

# The front line's (DOMAIN.md): trips by 出发日期, 人天 = 参加人数 × days with both dates, visits = 拜访企业数;
# receptions by date; leads by 登记日期, valid ones by 研判日期, signed ones by their project's first signing.
FRONTLINE_CODES = [
    "trips_count",
    "trips_main_leader_count",
    "trip_person_days",
    "visits_count",
    "receptions_count",
    "leads_count",
    "leads_valid_count",
    "leads_signed_count",
]
LEAD_CODES = FRONTLINE_CODES[5:]
# Every indicator of DOMAIN.md that the ledger and the front line decide.
COUNT_CODES = [
    "domestic_signed_count",
    "major_signed_count",
    "major_started_count",
    "foreign_signed_count",
    "started_count",
    "production_count",
    "major5_signed_count",
    "major10_signed_count",
    *FRONTLINE_CODES,
]
AMOUNT_CODES = [
    "domestic_contract_wan",
    "domestic_arrived_wan",
    "foreign_contract_usd_wan",
    "foreign_arrived_usd_wan",
    "key_plan_wan",
    "key_done_wan",
]
TEAM_CODES = ["teams_total", "teams_with_signing", "teams_without_progress"]
RATE_CODES = ["major_start_rate"]
CODES = COUNT_CODES + AMOUNT_CODES + TEAM_CODES + RATE_CODES
# Indicators with no target of their own (key_done_wan's target is key_plan_wan; DOMAIN.md).
UNTARGETED = {"key_plan_wan", *TEAM_CODES, "major_start_rate"}
# The indicators units are ranked by: every one that can carry a target.
RANKED_CODES = [c for c in CODES if c not in UNTARGETED]

# The product's current rule for disagreements another part of issue 14 is fixing (name → what it does now).
KNOWN_FAULTS: dict[str, str] = {
    # name: what the product's faulty rule does. Empty: the three issue 14 found (ties at the 黑榜 line, a team's
    # project created at 开工, a 签约日期 on a project dropped before signing) are fixed; a new known fault is added
    # here with a branch in the rule it bends, and removed when its fix lands.
}


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def half_up(value: Decimal, places: str) -> Decimal:
    return _d(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------- the rows, read once


@dataclass
class UnitRow:
    id: int
    name: str
    kind: str
    parent_id: int | None
    group_id: int | None
    is_active: bool
    sort_order: int
    path: str


@dataclass
class ProjectRow:
    id: int
    code: str
    funding_type: str
    unit_id: int
    team_id: int | None
    stage: str
    signed_on: date | None
    contract_amount: Decimal | None
    started_on: date | None
    production_on: date | None
    key_level: str
    history: list = field(default_factory=list)  # (from_stage, to_stage, changed_on), in order


@dataclass
class Ledger:
    units: dict  # id → UnitRow
    groups: dict  # id → (name, red_top_n, black_bottom_m, sort_order)
    projects: list
    funds: list  # (project_id, month, amount)
    investment: list  # (project_id, month, amount)
    plans: list  # (project_id, year, amount)
    targets: dict  # (unit_id, year, code) → (value, monthly split or None)
    rates: dict  # year → rate
    default_rate: Decimal
    trips: list = field(default_factory=list)  # (unit_id, departs_on, returns_on, leader_category, people, visited)
    receptions: list = field(default_factory=list)  # (unit_id, on_date)
    leads: list = field(default_factory=list)  # (project_id, registered_on, judgement, judged_on)

    def rate(self, year: int) -> Decimal:
        return self.rates.get(year, self.default_rate)


def load() -> Ledger:
    """Every source row, in a handful of plain queries (no derived column, no total)."""
    units = {
        r[0]: UnitRow(*r)
        for r in Unit.objects.values_list(
            "id", "name", "kind", "parent_id", "group_id", "is_active", "sort_order", "path"
        )
    }
    groups = {
        r[0]: r[1:]
        for r in AssessmentGroup.objects.values_list("id", "name", "red_top_n", "black_bottom_m", "sort_order")
    }
    projects = {
        r[0]: ProjectRow(*r)
        for r in Project.objects.order_by("id").values_list(
            "id",
            "code",
            "funding_type",
            "responsible_unit_id",
            "team_id",
            "stage",
            "signed_on",
            "contract_amount",
            "started_on",
            "production_on",
            "key_level",
        )
    }
    for project_id, from_stage, to_stage, on in StageChange.objects.order_by("changed_on", "id").values_list(
        "project_id", "from_stage", "to_stage", "changed_on"
    ):
        projects[project_id].history.append((from_stage, to_stage, on))
    return Ledger(
        units=units,
        groups=groups,
        projects=list(projects.values()),
        funds=list(MonthlyFunds.objects.values_list("project_id", "month", "amount")),
        investment=list(MonthlyInvestment.objects.values_list("project_id", "month", "amount")),
        plans=list(AnnualPlan.objects.values_list("project_id", "year", "amount")),
        targets={
            (u, y, c): (v, m)
            for u, y, c, v, m in Target.objects.values_list("unit_id", "year", "indicator", "value", "monthly")
        },
        rates=dict(UsdRate.objects.values_list("year", "rate")),
        default_rate=Decimal(settings.DEFAULT_USD_RATE),
        trips=list(
            Trip.objects.values_list(
                "unit_id", "departs_on", "returns_on", "leader_category", "people", "visited_count"
            )
        ),
        receptions=list(Reception.objects.values_list("unit_id", "on_date")),
        leads=list(LeadProfile.objects.values_list("project_id", "registered_on", "judgement", "judged_on")),
    )


# ----------------------------------------------------------------- the rules


def signing_day(p: ProjectRow, faults=frozenset()) -> date | None:
    """The day of the project's first signing, or None when it never signed. A project dropped after signing
    keeps its signing; one dropped before it (its last stage before 终止 is short of 签约) never signed."""
    if p.signed_on is None:
        return None
    if p.stage == DROPPED:
        before = next((f for f, t, _ in reversed(p.history) if t == DROPPED), "")
        if before not in STAGES or STAGES.index(before) < STAGES.index(SIGNED):
            return None
    return p.signed_on


def amount_wan(p: ProjectRow, ledger: Ledger, day: date) -> Decimal:
    """The agreement amount in 万元: a foreign one at the USD rate of its signing year."""
    amount = p.contract_amount or ZERO
    return amount * ledger.rate(day.year) if p.funding_type == "外资" else amount


def ancestors(units: dict, unit_id: int) -> list[int]:
    """The unit and every unit above it: a figure counts in each of their subtrees."""
    chain = []
    while unit_id is not None:
        chain.append(unit_id)
        unit_id = units[unit_id].parent_id
    return chain


@dataclass
class Expected:
    """One unit, one indicator, one month M of the year: the month itself and January..M."""

    month: object
    ytd: object
    target: Decimal | None = None
    completion: Decimal | None = None
    gap: Decimal | None = None
    light: str | None = None
    double_half: bool | None = None


@dataclass
class RankExpected:
    rank: int | None
    red: bool
    black: bool


@dataclass
class Result:
    year: int
    units: dict  # id → UnitRow (the ledger's)
    figures: dict = field(default_factory=dict)  # (unit_id, code, M) → Expected
    # (view root id, code, M) → {group_id: {unit_id: RankExpected}}
    rankings: dict = field(default_factory=dict)


def _months(day: date | None, year: int) -> int | None:
    return day.month if day is not None and day.year == year else None


def recompute(ledger: Ledger, year: int, *, faults: frozenset = frozenset(), views=()) -> Result:
    """Every indicator of every unit for every month of `year`, and the rankings seen from each unit in `views`
    (the root of a page: its subtree is ranked)."""
    units = ledger.units
    active = {u for u, row in units.items() if row.is_active}
    up = {u: ancestors(units, u) for u in units}
    own = defaultdict(lambda: [ZERO] * 13)  # (unit_id, code) → [_, Jan..Dec] month values, subtree-summed
    started_ytd = defaultdict(lambda: [0] * 13)  # (unit_id) → majors signed and started by the end of M
    by_project = {p.id: p for p in ledger.projects}

    def add(unit_id, code, month, value):
        for u in up[unit_id]:
            own[(u, code)][month] += value

    for p in ledger.projects:
        day = signing_day(p, faults)
        signed_month = _months(day, year)
        if signed_month:
            wan = amount_wan(p, ledger, day)
            if p.funding_type == "内资":
                add(p.unit_id, "domestic_signed_count", signed_month, 1)
                add(p.unit_id, "domestic_contract_wan", signed_month, p.contract_amount or ZERO)
            else:
                add(p.unit_id, "foreign_signed_count", signed_month, 1)
                add(p.unit_id, "foreign_contract_usd_wan", signed_month, p.contract_amount or ZERO)
            if wan >= ONE_YI_WAN:
                add(p.unit_id, "major_signed_count", signed_month, 1)
                started = p.started_on
                if started is not None and started.month == signed_month and started.year == year:
                    add(p.unit_id, "major_started_count", signed_month, 1)
                if started is not None and started.year == year:
                    # signed in S and started in T (same year): "signed and started by the end of M" from max(S, T)
                    for u in up[p.unit_id]:
                        started_ytd[u][max(signed_month, started.month)] += 1
            if wan >= 5 * ONE_YI_WAN:
                add(p.unit_id, "major5_signed_count", signed_month, 1)
            if wan >= 10 * ONE_YI_WAN:
                add(p.unit_id, "major10_signed_count", signed_month, 1)
        for field_name, code in (("started_on", "started_count"), ("production_on", "production_count")):
            month = _months(getattr(p, field_name), year)
            if month:
                add(p.unit_id, code, month, 1)
    for project_id, month, amount in ledger.funds:
        if month.year == year:
            p = by_project[project_id]
            code = "domestic_arrived_wan" if p.funding_type == "内资" else "foreign_arrived_usd_wan"
            add(p.unit_id, code, month.month, amount)
    for project_id, month, amount in ledger.investment:
        p = by_project[project_id]
        if month.year == year and p.key_level:  # only key projects count (key-project indicators)
            add(p.unit_id, "key_done_wan", month.month, amount)
    team_leads = _front_line(ledger, year, add, by_project, faults)
    plan = defaultdict(Decimal)
    for project_id, plan_year, amount in ledger.plans:
        p = by_project[project_id]
        if plan_year == year and p.key_level:
            for u in up[p.unit_id]:
                plan[u] += amount

    teams = _team_progress(ledger, year, faults)
    result = Result(year=year, units=units)
    for unit_id in active:
        team_ids = [t for t in active if units[t].kind == "招商小分队" and unit_id in up[t]]
        for code in CODES:
            for m in MONTHS:
                source = team_leads if code in LEAD_CODES and units[unit_id].kind in TEAMS else own
                result.figures[(unit_id, code, m)] = _expected(
                    ledger, year, unit_id, code, m, source, started_ytd, plan, team_ids, teams
                )
    for view in views:
        for code in RANKED_CODES:
            for m in MONTHS:
                result.rankings[(view, code, m)] = _ranking(ledger, result, view, code, m, faults)
    return result


def _front_line(ledger: Ledger, year: int, add, by_project: dict, faults) -> dict:
    """Adds the trips, receptions and leads of `year` to every unit above theirs (`add`); returns the leads
    credited to each team ({(team_id, code): [_, Jan..Dec]}), which count for the team alone: its parent already
    counts them through their 责任单位."""
    for unit_id, departs, returns, category, people, visited in ledger.trips:
        if departs.year == year:
            add(unit_id, "trips_count", departs.month, 1)
            add(unit_id, "trips_main_leader_count", departs.month, 1 if category == "党政主要负责同志" else 0)
            add(unit_id, "trip_person_days", departs.month, people * ((returns - departs).days + 1))
            add(unit_id, "visits_count", departs.month, visited)
    for unit_id, on_date in ledger.receptions:
        if on_date.year == year:
            add(unit_id, "receptions_count", on_date.month, 1)
    team_leads = defaultdict(lambda: [ZERO] * 13)
    for project_id, registered, judgement, judged in ledger.leads:
        p = by_project[project_id]
        signed = signing_day(p, faults)
        for code, day in (
            ("leads_count", registered),
            ("leads_valid_count", judged if judgement == "有效" else None),
            ("leads_signed_count", signed),
        ):
            month = _months(day, year)
            if month:
                add(p.unit_id, code, month, 1)
                if p.team_id is not None:
                    team_leads[(p.team_id, code)][month] += 1
    return team_leads


def _team_progress(ledger: Ledger, year: int, faults) -> dict:
    """{team_id: ({months with a first signing}, {months with substantive progress})} for `year`.

    Progress is a first signing, a stage reached by moving forward (not a move to 终止, not a project's creation
    at 线索 or 在谈), or a signing, start or production date in the month: "a start or signing dated in the
    period is progress" (issue 14), so a project created directly at 开工 is its team's progress that month."""
    signed, progress = defaultdict(set), defaultdict(set)
    for p in ledger.projects:
        if p.team_id is None:
            continue
        day = signing_day(p, faults)
        if _months(day, year):
            signed[p.team_id].add(day.month)
            progress[p.team_id].add(day.month)
        for from_stage, to_stage, on in p.history:
            if on.year == year and from_stage and to_stage != DROPPED:
                progress[p.team_id].add(on.month)
        for day in (p.started_on, p.production_on):
            if _months(day, year):
                progress[p.team_id].add(day.month)
    return {"signed": signed, "progress": progress}


def _expected(ledger, year, unit_id, code, m, own, started_ytd, plan, team_ids, teams) -> Expected:
    if code in TEAM_CODES:
        return _team_expected(code, m, team_ids, teams)
    if code == "key_plan_wan":
        return Expected(month=plan[unit_id], ytd=plan[unit_id])
    if code == "major_start_rate":
        signed = own[(unit_id, "major_signed_count")]
        started = own[(unit_id, "major_started_count")]
        ytd_signed = sum(signed[1 : m + 1])
        ytd_started = sum(started_ytd[unit_id][1 : m + 1])
        # 亿元以上新签约项目开工率 is given as a percentage to one decimal (issue 14), rounded half-up
        return Expected(
            month=half_up(_d(started[m]) * 100 / _d(signed[m]), "0.1") if signed[m] else None,
            ytd=half_up(_d(ytd_started) * 100 / _d(ytd_signed), "0.1") if ytd_signed else None,
        )
    values = own[(unit_id, code)]
    month_value = values[m]
    ytd = sum(started_ytd[unit_id][1 : m + 1]) if code == "major_started_count" else sum(values[1 : m + 1], ZERO)
    if code in COUNT_CODES:
        month_value, ytd = int(month_value), int(ytd)
    target_row = ledger.targets.get((unit_id, year, code))
    target = target_row[0] if target_row else None
    if code == "key_done_wan":  # its target is the year's plan of the key projects
        target = plan[unit_id] or None
    split = target_row[1] if target_row else None
    schedule = _d(split[m - 1]) if split and len(split) == 12 and split[m - 1] not in (None, "") else _d(m) / 12
    completion = None if not target else _d(ytd) / _d(target)
    gap = None if completion is None else (completion - schedule) * 100
    return Expected(
        month=month_value,
        ytd=ytd,
        target=target,
        completion=completion,
        gap=gap,
        light=_light(gap),
        double_half=(completion >= Decimal("0.5")) if m == 6 and completion is not None else None,
    )


def _team_expected(code, m, team_ids, teams) -> Expected:
    def count(months: range) -> tuple[int, int]:
        with_signing = sum(1 for t in team_ids if teams["signed"][t] & set(months))
        idle = sum(1 for t in team_ids if not teams["progress"][t] & set(months))
        return with_signing, idle

    month_counts, ytd_counts = count(range(m, m + 1)), count(range(1, m + 1))
    if code == "teams_total":
        return Expected(month=len(team_ids), ytd=len(team_ids))
    index = 0 if code == "teams_with_signing" else 1
    return Expected(month=month_counts[index], ytd=ytd_counts[index])


def _light(gap: Decimal | None) -> str | None:
    """Behind 序时 by less than 10 points (or ahead) green, 10 to 30 yellow, more than 30 red."""
    if gap is None:
        return None
    behind = -gap
    return "green" if behind < 10 else "yellow" if behind <= 30 else "red"


def _ranking(ledger: Ledger, result: Result, view: int, code: str, m: int, faults) -> dict:
    """Each assessment group of the view's subtree, ranked on its own: by completion when any unit of the group
    has a target for the indicator, else by the 累计 figure; competition ranking (1, 2, 2, 4) on unrounded values;
    红榜 the units at or ahead of 序时 ranked in the top N; 黑榜 the units behind it in the bottom M, a tie at either
    line putting every tied unit on the list."""
    units = ledger.units
    view_path = units[view].path
    members = defaultdict(list)
    for u, row in units.items():
        if row.is_active and row.group_id and u != view and row.kind not in TEAMS and row.path.startswith(view_path):
            members[row.group_id].append(u)
    out = {}
    for group_id, unit_ids in members.items():
        _, top_n, bottom_m, _ = ledger.groups[group_id]
        expected = {u: result.figures[(u, code, m)] for u in unit_ids}
        # DOMAIN.md does not say how a group whose only targets are 0 is ranked. A target of 0 gives no completion
        # (nothing to divide by), so ranking such a group by completion would rank nobody: it is ranked by the
        # figure, like a group with no target (docs/domain.md, and the product). Decided here, not copied.
        has_targets = any(e.target for e in expected.values())
        keys = {u: (e.completion if has_targets else e.ytd) for u, e in expected.items()}
        ranked = sorted((v for v in keys.values() if v is not None), reverse=True)
        n = len(ranked)
        rows = {}
        for u, value in keys.items():
            if value is None:
                rows[u] = RankExpected(None, False, False)
                continue
            rank = ranked.index(value) + 1
            last_position = rank + ranked.count(value) - 1  # where the tie ends
            gap = expected[u].gap
            met = gap is not None and gap >= 0
            red = has_targets and met and rank <= top_n
            bottom = last_position > n - bottom_m  # a tie straddling the line: all of it is on the 黑榜
            rows[u] = RankExpected(rank, red, has_targets and not met and bottom)
        out[group_id] = rows
    return out
