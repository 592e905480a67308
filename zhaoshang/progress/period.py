"""Every indicator for one period (month M: the month itself and January..M), for each unit's subtree.

Reads only UnitMonthTotal and TeamMonthTotal (a few rows per unit and month), never the monthly rows, so a
ranking costs the same at a county and at a province."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum

from zhaoshang.core.money import CENT
from zhaoshang.frontline.counts import Window, frontline_figures
from zhaoshang.org.models import TEAM_KINDS, Unit, subtree_q
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.projects.indicators import DIRECT_FIGURES
from zhaoshang.projects.models import CountedBasis, Project, TeamMonthTotal, UnitMonthTotal, VerifiedMonthTotal
from zhaoshang.projects.rules import SIGNING_BANDS
from zhaoshang.projects.services import usd_rate_for
from zhaoshang.projects.totals import signing_band_counts
from zhaoshang.projects.verification import project_passed

DECLARED, VERIFIED = CountedBasis.DECLARED.value, CountedBasis.VERIFIED.value
# 申报 (as entered) or 认定 (verified only): the same fields in two tables (projects/totals.py).
TABLES = {DECLARED: UnitMonthTotal, VERIFIED: VerifiedMonthTotal}

ALL_FIELDS = [f.name for f in UnitMonthTotal._meta.fields if f.name not in ("id", "unit", "month")]
LEVELS = ("province", "city", "county")
LEVEL_FIELDS = [f"key_{what}_{level}_wan" for what in ("plan", "done") for level in LEVELS]
# What every unit's figures need; the split by key-project level is read for one unit at a time (level_sums).
SUM_FIELDS = [name for name in ALL_FIELDS if name not in LEVEL_FIELDS]


def indicator_values(row: dict, *, ytd: bool) -> dict:
    """The indicator codes (docs/domain.md) from one set of summed total fields."""
    values = {name: row.get(name, 0) or 0 for name in DIRECT_FIGURES}
    values["major_started_count"] = (row.get("major_started_ytd") if ytd else row.get("major_started_same")) or 0
    return values


@dataclass
class UnitFigures:
    unit: Unit
    month: dict = field(default_factory=dict)  # indicator code → value for the month itself
    ytd: dict = field(default_factory=dict)  # indicator code → value for January..M
    plan: dict = field(default_factory=dict)  # key_plan_wan and its split by level, for the year


DECIMAL_FIELDS = {f.name for f in UnitMonthTotal._meta.fields if f.get_internal_type() == "DecimalField"}


def _sum_rows(queryset, month: date | None = None) -> tuple[dict, dict]:
    """({unit_id: sums over the queryset}, {unit_id: sums of `month` alone}) in one grouped query.

    Run through the cursor rather than the ORM's row machinery: at a province's 2,400 units × 38 sums the
    per-value converters were most of a ranking's time. PostgreSQL returns Decimal and int as they are; SQLite
    returns its sums of decimal columns as floats, turned back into cents here as Django itself would."""
    aggregates = {f"y__{name}": Sum(name) for name in SUM_FIELDS}
    if month is not None:
        aggregates.update({f"m__{name}": Sum(name, filter=Q(month=month)) for name in SUM_FIELDS})
    sql, params = queryset.values("unit_id").annotate(**aggregates).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        fetched = cursor.fetchall()
    floats = connection.vendor == "sqlite"
    layout = [(index, name[3:], name[:3]) for index, name in enumerate(columns) if name[:3] in ("y__", "m__")]
    whole, alone = {}, {}
    for values in fetched:
        unit_id = values[0]
        mine_y, mine_m = {}, {}
        for index, name, prefix in layout:
            value = values[index]
            if floats and value is not None and name in DECIMAL_FIELDS:
                value = Decimal(repr(value)).quantize(CENT)
            (mine_y if prefix == "y__" else mine_m)[name] = value
        whole[unit_id] = mine_y
        if month is not None:
            alone[unit_id] = mine_m
    return whole, alone


def _roll_up(units: list[Unit], own: dict) -> dict:
    """Subtree sums: deepest units first, each unit's running total is added to its parent's."""
    totals: dict = {}
    present = {u.pk for u in units}
    for unit in sorted(units, key=lambda u: u.path.count("/"), reverse=True):
        mine = totals.get(unit.pk)
        row = own.get(unit.pk)
        if row:
            if mine is None:
                mine = totals[unit.pk] = dict.fromkeys(SUM_FIELDS, 0)
            for name, value in row.items():
                if value:
                    mine[name] = mine.get(name, 0) + value
        if mine is not None and unit.parent_id in present:
            parent = totals.get(unit.parent_id)
            if parent is None:
                parent = totals[unit.parent_id] = dict.fromkeys(SUM_FIELDS, 0)
            for name, value in mine.items():
                if value:
                    parent[name] = parent.get(name, 0) + value
    return totals


def _scoped(queryset, units: list[Unit], field: str = "unit"):
    """Filter totals to the given units: by the root's path when they are one whole subtree (a short query
    at any scale), else by id."""
    ids = {u.pk for u in units}
    roots = [u for u in units if u.parent_id not in ids]
    if len(roots) == 1:
        return queryset.filter(subtree_q(roots, field))
    return queryset.filter(**{f"{field}_id__in": ids})


def unit_figures(
    month: date, units: list[Unit], basis: str = DECLARED, *, frontline: bool = True
) -> dict[int, UnitFigures]:
    """{unit_id: UnitFigures} for each unit in `units` (its subtree's figures), for the period ending `month`,
    on `basis` (申报 or 认定). `units` must hold whole subtrees (e.g. Unit.objects.under(root)); one query for
    the totals, three for the front line's figures (frontline/counts.py: trips, receptions and leads are
    counted from their rows; not verified, so the same on both bases: left out with frontline=False)."""
    january = date(month.year, 1, 1)
    base = _scoped(TABLES[basis].objects.filter(month__gte=january, month__lte=month), units)
    ytd_own, month_own = _sum_rows(base, month)
    month_rows, ytd_rows = _roll_up(units, month_own), _roll_up(units, ytd_own)
    front_ytd, front_month = frontline_figures(units, Window(january, month, alone=month)) if frontline else ({}, {})
    result = {}
    for unit in units:
        ytd = ytd_rows.get(unit.pk, {})
        plan = {"key_plan_wan": ytd.get("key_plan_wan", 0)}
        result[unit.pk] = UnitFigures(
            unit=unit,
            month={**indicator_values(month_rows.get(unit.pk, {}), ytd=False), **front_month.get(unit.pk, {})},
            ytd={**indicator_values(ytd, ytd=True), **front_ytd.get(unit.pk, {})},
            plan=plan,
        )
    return result


def band_figures(month: date, units: list[Unit], basis: str = DECLARED) -> dict[int, dict]:
    """{unit_id: {"major5_signed_count": n, "major10_signed_count": n}}: the subtree's projects first signed in
    January..M whose 协议资金 reaches 5亿元 / 10亿元 (a foreign one at the year's rate). Read from the 亿元以上
    projects themselves (two queries: the rate and the rows), not from the totals; `units` as for
    unit_figures. On the verified basis only the signings 已认定 count."""
    signings = Project.objects.filter(first_signed_month__gte=date(month.year, 1, 1), first_signed_month__lte=month)
    if basis == VERIFIED:
        signings = signings.filter(project_passed("signing"))
    own = signing_band_counts(_scoped(signings, units, "responsible_unit"), usd_rate_for(month.year))
    rolled = _roll_up(units, own)
    return {u.pk: {code: (rolled.get(u.pk) or {}).get(code, 0) for code in SIGNING_BANDS} for u in units}


def level_sums(unit: Unit, month: date, basis: str = DECLARED) -> dict:
    """The subtree's key-project plan and completion by level for January..M (one query; not verified figures,
    the same on both bases)."""
    rows = TABLES[basis].objects.under(unit).filter(month__gte=date(month.year, 1, 1), month__lte=month)
    return {name: value or 0 for name, value in rows.aggregate(**{name: Sum(name) for name in LEVEL_FIELDS}).items()}


def window_figures(first: date, last: date, units: list[Unit], basis: str = DECLARED) -> dict[int, dict]:
    """Subtree sums over any window of whole months (a campaign, a quarter), the front line's figures included,
    on `basis`. major_started_count is not defined on an arbitrary window from the totals and is left out."""
    own, _ = _sum_rows(_scoped(TABLES[basis].objects.filter(month__gte=first, month__lte=last), units))
    rolled = _roll_up(units, own)
    front, _ = frontline_figures(units, Window(first, last))
    result = {}
    for unit in units:
        values = {**indicator_values(rolled.get(unit.pk, {}), ytd=False), **front.get(unit.pk, {})}
        values.pop("major_started_count")
        result[unit.pk] = values
    return result


@dataclass
class TeamFigures:
    total: int
    with_signing: int
    without_progress: int
    idle_teams: list
    activity: list  # (team, signings, stage moves), most signings first


def team_figures(first: date, last: date, teams: list[Unit]) -> TeamFigures:
    """Teams with a first signing in the window, and teams with neither a signing nor a forward stage move."""
    return summarize_teams(teams, team_activity(first, last, teams))


def team_activity(first: date, last: date, teams: list[Unit]) -> dict:
    """{team_id: {"signed": n, "moved": n}} over the window, for the teams with any (one query)."""
    rows = (
        TeamMonthTotal.objects.filter(team_id__in=[t.pk for t in teams], month__gte=first, month__lte=last)
        .values("team_id")
        .annotate(signed=Sum("signed_count"), moved=Sum("advanced_count"))
    )
    return {r["team_id"]: r for r in rows}


def summarize_teams(teams: list[Unit], activity: dict) -> TeamFigures:
    """The team figures of `teams` from their activity (team_activity), so that the figures of any subtree's
    teams are read from one query for the whole report."""
    with_signing = [t for t in teams if (activity.get(t.pk) or {}).get("signed")]
    idle = [
        t for t in teams if not (activity.get(t.pk) or {}).get("signed") and not (activity.get(t.pk) or {}).get("moved")
    ]
    counts = [
        (t, (activity.get(t.pk) or {}).get("signed") or 0, (activity.get(t.pk) or {}).get("moved") or 0) for t in teams
    ]
    counts.sort(key=lambda row: (-row[1], -row[2], row[0].sort_order))
    return TeamFigures(
        total=len(teams), with_signing=len(with_signing), without_progress=len(idle), idle_teams=idle, activity=counts
    )


TEAM_CODES = ("teams_total", "teams_with_signing", "teams_without_progress")


def team_counts_by_unit(figures: TeamFigures) -> dict[int, dict]:
    """{unit_id: {teams_total, teams_with_signing, teams_without_progress}} for the units above the teams of
    `figures` (each team counted in every unit of its path, itself included): a unit's own row of teams."""
    counts: dict = {}
    for team, signed, moved in figures.activity:
        for unit_id in ancestor_ids(team.path):
            row = counts.setdefault(unit_id, dict.fromkeys(TEAM_CODES, 0))
            row["teams_total"] += 1
            row["teams_with_signing"] += 1 if signed else 0
            row["teams_without_progress"] += 0 if signed or moved else 1
    return counts


def teams_under(root: Unit, units: list[Unit]) -> list[Unit]:
    """The teams among `units` (the units counting in the period: period_report) in root's subtree."""
    return [u for u in units if u.kind in TEAM_KINDS and u.is_active and u.path.startswith(root.path)]
