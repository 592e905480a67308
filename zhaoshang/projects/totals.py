"""Keeping UnitMonthTotal and TeamMonthTotal right, in the same transaction as every write they depend on.

Rather than adding and subtracting deltas (which drift the first time a path forgets one), each write names
the (unit, month) keys it may have changed and those keys are recomputed from the source rows, with a handful
of grouped queries whatever the number of keys. The ledger's services and figure writers call
`project_keys()` before and after a change and `refresh()` with the union; the figure writers call
`refresh()` with their own key.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from zhaoshang.core.periods import month_start
from zhaoshang.org import versions
from zhaoshang.projects import rules
from zhaoshang.projects.models import (
    AnnualPlan,
    FundingType,
    KeyLevel,
    MonthlyFunds,
    MonthlyInvestment,
    Project,
    Stage,
    StageChange,
    TeamMonthTotal,
    UnitMonthTotal,
    VerificationKind,
    VerifiedMonthTotal,
)
from zhaoshang.projects.verification import funds_passed, project_passed

LEVEL_SUFFIX = {KeyLevel.PROVINCE: "province", KeyLevel.CITY: "city", KeyLevel.COUNTY: "county"}
DOMESTIC, FOREIGN = FundingType.DOMESTIC, FundingType.FOREIGN


@dataclass
class Keys:
    units: set = field(default_factory=set)  # {(unit_id, month)}
    teams: set = field(default_factory=set)  # {(team_id, month)}

    def __or__(self, other: "Keys") -> "Keys":
        return Keys(self.units | other.units, self.teams | other.teams)


def major_started_month(project) -> date | None:
    """The month from which a 亿元以上 project counts as "signed and started" in its signing year's figures."""
    if not (project.is_major and project.first_signed_month and project.started_on):
        return None
    if project.started_on.year != project.first_signed_month.year:
        return None
    return max(project.first_signed_month, month_start(project.started_on))


def project_keys(project: Project) -> Keys:
    """Every key whose totals this project's current state contributes to (four small queries)."""
    if project.pk is None:
        return Keys()
    months = {project.first_signed_month, major_started_month(project)}
    months |= {month_start(d) for d in (project.started_on, project.production_on) if d}
    months |= set(MonthlyFunds.objects.filter(project=project).values_list("month", flat=True))
    months |= set(MonthlyInvestment.objects.filter(project=project).values_list("month", flat=True))
    months |= {date(y, 1, 1) for y in AnnualPlan.objects.filter(project=project).values_list("year", flat=True)}
    keys = Keys(units={(project.responsible_unit_id, m) for m in months if m})
    if project.team_id:
        # its signing, its start and production (progress even when no stage move records them), its moves
        team_months = {project.first_signed_month}
        team_months |= {month_start(d) for d in (project.started_on, project.production_on) if d}
        team_months |= {
            month_start(d) for d in StageChange.objects.filter(project=project).values_list("changed_on", flat=True)
        }
        keys.teams = {(project.team_id, m) for m in team_months if m}
    return keys


def stage_keys(project: Project, on_date: date) -> Keys:
    return Keys(teams={(project.team_id, month_start(on_date))} if project.team_id else set())


def refresh(keys: Keys) -> None:
    # The cached pages read these totals: their version moves in this transaction (org/versions.py).
    versions.touch(*{unit for unit, _ in keys.units}, *{team for team, _ in keys.teams})
    if keys.units:
        _refresh_units(keys.units)
    if keys.teams:
        _refresh_teams(keys.teams)


def _month_range(months):
    first, last = min(months), max(months)
    return first, date(last.year + (last.month == 12), last.month % 12 + 1, 1)


def _take_turns(table: str, owners: set, months: set) -> None:
    """Wait for any other transaction refreshing one of these (owner, month) rows of `table` until it ends, and
    make the next wait for this one. Without it two writers of one unit's month (two projects, an import and a
    page) both deleted and re-inserted its row: the second failed on the unique constraint, or counted without
    the first's figures. The rows are recomputed only once this returns, so they see every figure committed
    before. A transaction-scoped advisory lock per row, taken in order (no deadlock between two refreshes);
    SQLite needs none: its writers never interleave (projects.locks)."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_lock_key(f"{table}:{owner}:{month:%Y-%m}") for owner in owners for month in months})
    with connection.cursor() as cursor:
        # unnest yields the array's elements in order, so the locks are taken in that order.
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key naming one row (two names sharing one only make their writers wait)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _refresh_units(wanted: set) -> None:
    # Both tables of a unit's month in one turn: a decision (认定) changes the verified figures only, a figure
    # write both; the verified rows copy 完成投资 and plans from the declared rows just computed.
    owners = {owner for owner, _ in wanted}
    months = {m for _, m in wanted}
    _take_turns(UnitMonthTotal._meta.db_table, owners, months)
    declared = compute_unit_rows(owners, months)
    _store(UnitMonthTotal, "unit_id", owners, months, declared)
    _store(VerifiedMonthTotal, "unit_id", owners, months, compute_verified_rows(owners, months, declared))


def _replace_rows(model, owner_field: str, wanted: set, compute) -> None:
    """Recompute every (owner, month) row of `model` of the owners × months the keys span (a superset, in a few
    queries) with `compute(owners, months)`, and put the result in place of the rows stored."""
    owners = {owner for owner, _ in wanted}
    months = {m for _, m in wanted}
    _take_turns(model._meta.db_table, owners, months)
    _store(model, owner_field, owners, months, compute(owners, months))


def _store(model, owner_field: str, owners: set, months: set, rows: dict) -> None:
    model.objects.filter(**{f"{owner_field}__in": owners}, month__in=months).delete()
    model.objects.bulk_create(
        [model(**{owner_field: owner}, month=m, **values) for (owner, m), values in rows.items()],
        batch_size=1000,
    )


def compute_unit_rows(units, months) -> dict:
    """{(unit_id, month): {field: value}} for every unit in `units` and month in `months`, from source rows.
    Also the slow reference path of the benchmark and the tests, when called with every unit and month."""
    rows = _counted_rows(units, months, verified=False)
    _add_monthly_sums(rows, units, months)
    _add_plans(rows, units, months)
    return rows


# 完成投资 and the yearly plans are not verified (no 认定 decides them): the verified table holds them equal to the
# declared one, so that every reader (period.py, the assessment's `verified:` sources) reads one table for one
# basis, and a verified completion rate has its plan beside it. Copied from the declared rows computed in the same
# refresh: no query of their own.
UNVERIFIED_FIELDS = [f.name for f in VerifiedMonthTotal._meta.fields if f.name.startswith("key_")]


def compute_verified_rows(units, months, declared: dict | None = None) -> dict:
    """The verified (认定) rows of the same keys: a signing (its counts and 协议资金) only while 签约 is 已认定, a
    start only while 开工 is, a production only while 投产 is, a 亿元以上 "signed and started" only while both
    are, a month's 到位资金 only while that month is; 完成投资 and plans as declared (`declared`: the declared
    rows of the same units and months, computed when not given)."""
    rows = _counted_rows(units, months, verified=True)
    _add_funds(rows, units, months, verified=True)
    if declared is None:
        declared = compute_unit_rows(units, months)
    for key, values in declared.items():
        kept = {name: values[name] for name in UNVERIFIED_FIELDS if values.get(name)}
        if kept:
            rows[key].update(kept)
    return rows


def _passed(queryset, verified: bool, *kinds):
    return queryset.filter(*(project_passed(kind) for kind in kinds)) if verified else queryset


def _counted_rows(units, months, *, verified: bool) -> dict:
    """Signings, starts, productions and 亿元以上 counts of the keys, as declared or as verified."""
    rows: dict = defaultdict(dict)
    start, end = _month_range(months)
    projects = Project.objects.filter(responsible_unit_id__in=units) if units is not None else Project.objects.all()
    signed = (
        _passed(projects.filter(first_signed_month__in=months), verified, VerificationKind.SIGNING)
        .values("responsible_unit_id", "first_signed_month")
        .annotate(
            dc=Count("id", filter=Q(funding_type=DOMESTIC)),
            ds=Sum("contract_amount", filter=Q(funding_type=DOMESTIC)),
            fc=Count("id", filter=Q(funding_type=FOREIGN)),
            fs=Sum("contract_amount", filter=Q(funding_type=FOREIGN)),
            mc=Count("id", filter=Q(is_major=True)),
        )
    )
    for r in signed:
        rows[(r["responsible_unit_id"], r["first_signed_month"])].update(
            domestic_signed_count=r["dc"],
            domestic_contract_wan=r["ds"] or 0,
            foreign_signed_count=r["fc"],
            foreign_contract_usd_wan=r["fs"] or 0,
            major_signed_count=r["mc"],
        )
    for date_field, figure, kind in (
        ("started_on", "started_count", VerificationKind.START),
        ("production_on", "production_count", VerificationKind.PRODUCTION),
    ):
        counted = (
            _passed(projects.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end}), verified, kind)
            .annotate(m=TruncMonth(date_field))
            .values("responsible_unit_id", "m")
            .annotate(n=Count("id"))
        )
        for r in counted:
            month = month_start(r["m"])
            if month in months:
                rows[(r["responsible_unit_id"], month)][figure] = r["n"]
    years = {m.year for m in months}
    majors = (
        _passed(
            projects.filter(is_major=True, first_signed_month__year__in=years),
            verified,
            VerificationKind.SIGNING,
            VerificationKind.START,
        )
        .exclude(started_on=None)
        .only("responsible_unit_id", "first_signed_month", "started_on", "is_major")
    )
    for p in majors:
        m = major_started_month(p)
        if m in months:
            key = (p.responsible_unit_id, m)
            rows[key]["major_started_ytd"] = rows[key].get("major_started_ytd", 0) + 1
            if m == p.first_signed_month == month_start(p.started_on):
                rows[key]["major_started_same"] = rows[key].get("major_started_same", 0) + 1
    return rows


def signing_band_counts(projects, usd_rate) -> dict:
    """{responsible_unit_id: {"major5_signed_count": n, "major10_signed_count": n}} over `projects` (one year's
    first signings, converted at that year's `usd_rate`), one query.

    Read when asked rather than kept in UnitMonthTotal: the bands are read by the bulletin only, and only 亿元以上
    projects can reach them (a few per unit and year), so reading those rows costs little and needs no new
    column; the totals keep what every ranking and the dashboard read."""
    counts: dict = defaultdict(lambda: dict.fromkeys(rules.SIGNING_BANDS, 0))
    rows = projects.filter(is_major=True).values_list("responsible_unit_id", "funding_type", "contract_amount")
    for unit_id, funding_type, amount in rows:
        for code in rules.signing_bands(funding_type, amount, usd_rate):
            counts[unit_id][code] += 1
    return dict(counts)


def _by_unit(queryset, units):
    return queryset.filter(project__responsible_unit_id__in=units) if units is not None else queryset


def _add_monthly_sums(rows, units, months) -> None:
    _add_funds(rows, units, months, verified=False)
    _add_done(rows, units, months)


def _add_funds(rows, units, months, *, verified: bool) -> None:
    funds = _by_unit(MonthlyFunds.objects.filter(month__in=months), units)
    funds = (
        (funds.filter(funds_passed()) if verified else funds)
        .values("project__responsible_unit_id", "month", "project__funding_type")
        .annotate(total=Sum("amount"))
    )
    for r in funds:
        figure = "domestic_arrived_wan" if r["project__funding_type"] == DOMESTIC else "foreign_arrived_usd_wan"
        rows[(r["project__responsible_unit_id"], r["month"])][figure] = r["total"]


def _add_done(rows, units, months) -> None:
    done = (
        _by_unit(MonthlyInvestment.objects.filter(month__in=months).exclude(project__key_level=""), units)
        .values("project__responsible_unit_id", "month", "project__key_level")
        .annotate(total=Sum("amount"))
    )
    for r in done:
        row = rows[(r["project__responsible_unit_id"], r["month"])]
        row["key_done_wan"] = row.get("key_done_wan", 0) + r["total"]
        row[f"key_done_{LEVEL_SUFFIX[r['project__key_level']]}_wan"] = r["total"]


def _add_plans(rows, units, months) -> None:
    januaries = {m for m in months if m.month == 1}
    if not januaries:
        return
    plans = (
        _by_unit(AnnualPlan.objects.filter(year__in={m.year for m in januaries}).exclude(project__key_level=""), units)
        .values("project__responsible_unit_id", "year", "project__key_level")
        .annotate(total=Sum("amount"))
    )
    for r in plans:
        row = rows[(r["project__responsible_unit_id"], date(r["year"], 1, 1))]
        row["key_plan_wan"] = row.get("key_plan_wan", 0) + r["total"]
        row[f"key_plan_{LEVEL_SUFFIX[r['project__key_level']]}_wan"] = r["total"]


def _refresh_teams(wanted: set) -> None:
    _replace_rows(TeamMonthTotal, "team_id", wanted, compute_team_rows)


def compute_team_rows(teams, months) -> dict:
    rows: dict = defaultdict(dict)
    start, end = _month_range(months)
    projects = Project.objects.filter(team_id__in=teams) if teams is not None else Project.objects.exclude(team=None)
    for r in (
        projects.filter(first_signed_month__in=months).values("team_id", "first_signed_month").annotate(n=Count("id"))
    ):
        rows[(r["team_id"], r["first_signed_month"])]["signed_count"] = r["n"]
    moves = (
        StageChange.objects.filter(changed_on__gte=start, changed_on__lt=end)
        .exclude(from_stage="")
        .exclude(to_stage=Stage.DROPPED)
    )
    moves = moves.filter(project__team_id__in=teams) if teams is not None else moves.exclude(project__team=None)
    for r in moves.annotate(m=TruncMonth("changed_on")).values("project__team_id", "m").annotate(n=Count("id")):
        month = month_start(r["m"])
        if month in months:
            rows[(r["project__team_id"], month)]["advanced_count"] = r["n"]
    # A start or a production dated in the month is progress too when no stage move records it: a project
    # entered directly at 开工 (its only stage row is its creation) counted as 新开工 in that month while its
    # team counted as 未有实质性进展.
    for date_field, stage in (("started_on", Stage.STARTED), ("production_on", Stage.PRODUCING)):
        recorded = StageChange.objects.filter(project=OuterRef("pk"), to_stage=stage).exclude(from_stage="")
        unrecorded = (
            projects.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
            .exclude(Exists(recorded))
            .annotate(m=TruncMonth(date_field))
            .values("team_id", "m")
            .annotate(n=Count("id"))
        )
        for r in unrecorded:
            month = month_start(r["m"])
            if month in months:
                row = rows[(r["team_id"], month)]
                row["advanced_count"] = row.get("advanced_count", 0) + r["n"]
    return rows


def rebuild_all() -> tuple[int, int]:
    """Recompute every total, the verified ones too, from the source rows (after a bulk load, or to check for
    drift)."""
    months = set(MonthlyFunds.objects.values_list("month", flat=True).distinct())
    months |= set(MonthlyInvestment.objects.values_list("month", flat=True).distinct())
    months |= set(
        Project.objects.exclude(first_signed_month=None).values_list("first_signed_month", flat=True).distinct()
    )
    for field_name in ("started_on", "production_on"):
        months |= {
            month_start(d) for d in Project.objects.exclude(**{field_name: None}).values_list(field_name, flat=True)
        }
    months |= {date(y, 1, 1) for y in AnnualPlan.objects.values_list("year", flat=True).distinct()}
    team_months = months | {month_start(d) for d in StageChange.objects.values_list("changed_on", flat=True).distinct()}
    UnitMonthTotal.objects.all().delete()
    VerifiedMonthTotal.objects.all().delete()
    TeamMonthTotal.objects.all().delete()
    versions.touch_everything()
    if not months:
        return 0, 0
    unit_rows = compute_unit_rows(None, months)
    UnitMonthTotal.objects.bulk_create(
        [UnitMonthTotal(unit_id=u, month=m, **v) for (u, m), v in unit_rows.items()], batch_size=2000
    )
    verified_rows = compute_verified_rows(None, months, unit_rows)
    VerifiedMonthTotal.objects.bulk_create(
        [VerifiedMonthTotal(unit_id=u, month=m, **v) for (u, m), v in verified_rows.items()], batch_size=2000
    )
    team_rows = compute_team_rows(None, team_months)
    TeamMonthTotal.objects.bulk_create(
        [TeamMonthTotal(team_id=t, month=m, **v) for (t, m), v in team_rows.items()], batch_size=2000
    )
    return len(unit_rows), len(team_rows)
