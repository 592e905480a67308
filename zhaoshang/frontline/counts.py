"""The front line's figures (招商一线) per unit and period, counted from the rows themselves in one grouped query per
kind (trips, receptions, leads), whatever the number of units, and summed up each unit's subtree as the ledger's
totals are (progress/period.py).

- trips (外出招商) count in the period of their 出发日期; 人天 = 参加人数 × days away, both dates included, all of
  it in the month of departure (a trip from 30 June to 2 July is 3 days of June);
- receptions (接待客商) by their date;
- leads (新增线索) by 登记日期, 研判有效 by 研判日期, 转化签约 by the project's first signing month.

Leads sit with their project's 责任单位 and roll up through it. A team (招商小分队, 驻外联络处) holds no ledger, so
its lead figures are those of the leads credited to it (`Project.team`), kept to the team itself and never added
to its parent, which already counts them through their 责任单位. Trips and receptions are the team's own rows and
roll up like anyone's."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, ExpressionWrapper, F, Func, IntegerField, Q, Sum

from zhaoshang.core.periods import add_months
from zhaoshang.frontline.models import Judgement, LeaderCategory, LeadProfile, Reception, Trip
from zhaoshang.org.models import TEAM_KINDS, Unit, subtree_q
from zhaoshang.org.tree import ancestor_ids

TRIP_CODES = ("trips_count", "trips_main_leader_count", "trip_person_days", "visits_count")
RECEPTION_CODES = ("receptions_count",)
LEAD_CODES = ("leads_count", "leads_valid_count", "leads_signed_count")
CODES = (*TRIP_CODES, *RECEPTION_CODES, *LEAD_CODES)


class DaysAway(Func):
    """Days between departure and return, both included: an integer on either database (PostgreSQL subtracts
    dates into days; SQLite through julianday, exact for whole dates)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="((%(expressions)s) + 1)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(julianday(%(expressions)s) AS INTEGER) + 1)",
            arg_joiner=") - julianday(",
            **extra,
        )


PERSON_DAYS = ExpressionWrapper(DaysAway("returns_on", "departs_on") * F("people"), output_field=IntegerField())


@dataclass(frozen=True)
class Window:
    """Whole months first..last, and optionally one month of them counted on its own (本月 beside 累计)."""

    first: date
    last: date
    alone: date | None = None

    @staticmethod
    def end(month: date) -> date:
        return add_months(month, 1) - timedelta(days=1)

    def days(self, month: date | None = None) -> tuple[date, date]:
        return (month, self.end(month)) if month else (self.first, self.end(self.last))


def _scope(units: list[Unit], field: str) -> Q:
    """The rows placed in the units' subtrees: by the roots' paths (the units are whole subtrees)."""
    ids = {u.pk for u in units}
    return subtree_q([u for u in units if u.parent_id not in ids], field)


def _both(aggregate, name: str, window: Window, field: str, extra: Q | None = None, expression=None) -> dict:
    """{y__name: over the window, m__name: over its month alone} of one aggregate (Count or Sum)."""
    first, last = window.days()
    extra = extra if extra is not None else Q()
    target = expression if expression is not None else "pk"
    found = {f"y__{name}": aggregate(target, filter=Q(**{f"{field}__range": (first, last)}) & extra)}
    if window.alone:
        start, end = window.days(window.alone)
        found[f"m__{name}"] = aggregate(target, filter=Q(**{f"{field}__range": (start, end)}) & extra)
    return found


def _fetch(queryset, group: list[str], aggregates: dict) -> list[dict]:
    return list(queryset.values(*group).annotate(**aggregates).order_by())


def _split(row: dict, codes) -> tuple[dict, dict]:
    return (
        {code: row.get(f"y__{code}") or 0 for code in codes},
        {code: row.get(f"m__{code}") or 0 for code in codes},
    )


def own_counts(units: list[Unit], window: Window) -> tuple[dict, dict, dict, dict]:
    """Each unit's own rows, not yet summed up: ({unit_id: {code: n}} over the window and over its month alone,
    by the unit that made the trip or reception and by the leads' 责任单位; then the same two for the leads
    credited to teams). Three queries."""
    first, last = window.days()
    whole: dict = {}
    alone: dict = {}

    def put(target: dict, unit_id, values: dict):
        mine = target.setdefault(unit_id, {})
        for code, value in values.items():
            mine[code] = mine.get(code, 0) + value

    main = Q(leader_category=LeaderCategory.MAIN)
    trips = _fetch(
        Trip.objects.filter(_scope(units, "unit"), departs_on__range=(first, last)),
        ["unit_id"],
        {
            **_both(Count, "trips_count", window, "departs_on"),
            **_both(Count, "trips_main_leader_count", window, "departs_on", main),
            **_both(Sum, "trip_person_days", window, "departs_on", expression=PERSON_DAYS),
            **_both(Sum, "visits_count", window, "departs_on", expression=F("visited_count")),
        },
    )
    receptions = _fetch(
        Reception.objects.filter(_scope(units, "unit"), on_date__range=(first, last)),
        ["unit_id"],
        _both(Count, "receptions_count", window, "on_date"),
    )
    for row in trips:
        y, m = _split(row, TRIP_CODES)
        put(whole, row["unit_id"], y)
        put(alone, row["unit_id"], m)
    for row in receptions:
        y, m = _split(row, RECEPTION_CODES)
        put(whole, row["unit_id"], y)
        put(alone, row["unit_id"], m)

    teams = [u.pk for u in units if u.kind in TEAM_KINDS]
    valid = Q(judgement=Judgement.VALID)
    in_window = (
        Q(registered_on__range=(first, last))
        | Q(judgement=Judgement.VALID, judged_on__range=(first, last))
        | Q(project__first_signed_month__range=(window.first, window.last))
    )
    leads = _fetch(
        LeadProfile.objects.filter(
            _scope(units, "project__responsible_unit") | Q(project__team_id__in=teams), in_window
        ),
        ["project__responsible_unit_id", "project__team_id"],
        {
            **_both(Count, "leads_count", window, "registered_on"),
            **_both(Count, "leads_valid_count", window, "judged_on", valid),
            **_signed(window),
        },
    )
    team_whole: dict = {}
    team_alone: dict = {}
    present = {u.pk for u in units}
    for row in leads:
        y, m = _split(row, LEAD_CODES)
        if row["project__responsible_unit_id"] in present:
            put(whole, row["project__responsible_unit_id"], y)
            put(alone, row["project__responsible_unit_id"], m)
        if row["project__team_id"] in teams:
            put(team_whole, row["project__team_id"], y)
            put(team_alone, row["project__team_id"], m)
    return whole, alone, team_whole, team_alone


def _signed(window: Window) -> dict:
    """转化签约: the lead's project first signed in the window (Project.first_signed_month, kept by the ledger)."""
    field = "project__first_signed_month"
    found = {"y__leads_signed_count": Count("pk", filter=Q(**{f"{field}__range": (window.first, window.last)}))}
    if window.alone:
        found["m__leads_signed_count"] = Count("pk", filter=Q(**{field: window.alone}))
    return found


def _roll_up(units: list[Unit], own: dict, team_own: dict) -> dict:
    """{unit_id: {code: n}} of every unit: its subtree's sum; a team's lead figures are its credited leads."""
    present = {u.pk for u in units}
    paths = {u.pk: u.path for u in units}
    totals = {u.pk: dict.fromkeys(CODES, 0) for u in units}
    for unit_id, values in own.items():
        if unit_id not in paths:
            continue  # a unit left out of the list (closed, inactive): as the ledger's totals, not counted
        for above in ancestor_ids(paths[unit_id]):
            if above in present:
                mine = totals[above]
                for code, value in values.items():
                    mine[code] += value
    for unit in units:
        if unit.kind in TEAM_KINDS:
            credited = team_own.get(unit.pk, {})
            totals[unit.pk].update({code: credited.get(code, 0) for code in LEAD_CODES})
    return totals


def frontline_figures(units: list[Unit], window: Window) -> tuple[dict, dict]:
    """({unit_id: {code: n}} over the window, {unit_id: {code: n}} over its month alone; empty dicts without
    one) for every unit of `units`, which must hold whole subtrees (as progress.period.unit_figures). Three
    queries."""
    if not units:
        return {}, {}
    whole, alone, team_whole, team_alone = own_counts(units, window)
    return _roll_up(units, whole, team_whole), (_roll_up(units, alone, team_alone) if window.alone else {})
