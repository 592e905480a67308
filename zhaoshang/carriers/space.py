"""A carrier's space, computed from its occupancies (never typed twice): what is taken, what is left, and each
landed project's 亩均 figures against the carrier's thresholds.

- taken (亩 / ㎡) = 台账外已占用 + Σ the occupancies in force on the day (入驻 on or before it, not yet 迁出);
- available = given − taken, never below zero (an over-full carrier shows 0 and is flagged by `over_full`);
- 出租率/使用率 = taken ÷ given, over 100% when over-full (shown, so the bureau sees the error);
- 亩均投资强度 = the project's 计划总投资 (万元) ÷ its 亩; 亩均税收 = its annual tax (万元) ÷ its 亩.

`with_space` annotates a queryset of carriers in the same one query (subqueries), so a list of any length stays at
a fixed number of queries."""

from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

from zhaoshang.carriers.models import Occupancy

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def in_force_q(on: date, prefix: str = "") -> Q:
    """Occupancies in force on `on`: moved in on or before it and not moved out before or on it."""
    return Q(**{f"{prefix}moved_in_on__lte": on}) & (
        Q(**{f"{prefix}moved_out_on__isnull": True}) | Q(**{f"{prefix}moved_out_on__gt": on})
    )


def _taken(field: str, on: date) -> Subquery:
    rows = (
        Occupancy.objects.filter(in_force_q(on), carrier=OuterRef("pk"))
        .order_by()
        .values("carrier")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO)


def with_space(carriers: QuerySet, on: date) -> QuerySet:
    """Carriers annotated with taken_mu, taken_m2, available_mu, available_m2 and projects_in (in force on `on`).
    A carrier with no land (or no building) given has None available of that kind."""
    decimal = DecimalField(max_digits=14, decimal_places=2)
    return carriers.annotate(
        taken_mu=ExpressionWrapper(_taken("land_mu", on) + F("occupied_before_mu"), output_field=decimal),
        taken_m2=ExpressionWrapper(_taken("floor_m2", on) + F("occupied_before_m2"), output_field=decimal),
    ).annotate(
        available_mu=_left("land_mu", "taken_mu"),
        available_m2=_left("building_m2", "taken_m2"),
    )


def _left(given: str, taken: str) -> Case:
    # Spelled out because GREATEST differs: PostgreSQL's skips a NULL (a carrier with no land would show 0 亩 left),
    # SQLite's returns NULL.
    decimal = DecimalField(max_digits=14, decimal_places=2)
    left = Greatest(ExpressionWrapper(F(given) - F(taken), output_field=decimal), ZERO)
    return Case(When(**{f"{given}__isnull": True}, then=Value(None)), default=left, output_field=decimal)


def use_rate(taken: Decimal | None, given: Decimal | None) -> Decimal | None:
    """taken ÷ given as a percentage, unrounded; None where nothing is given."""
    if not given:
        return None
    return (taken or Decimal(0)) * 100 / given


def over_full(taken: Decimal | None, given: Decimal | None) -> bool:
    return bool(given) and (taken or 0) > given


def per_mu(amount: Decimal | None, mu: Decimal | None) -> Decimal | None:
    """An amount per 亩 (亩均投资强度 from 计划总投资, 亩均税收 from the annual tax), unrounded; None without both."""
    if amount is None or not mu:
        return None
    return amount / mu


def meets(value: Decimal | None, required: Decimal | None) -> bool | None:
    """Does a 亩均 figure reach the carrier's requirement? None where either is unknown."""
    if value is None or required is None:
        return None
    return value >= required


def taken_by(occupancies, field: str, on: date) -> Decimal:
    """Σ `field` of the occupancies (rows already read) in force on `on`: `with_space`'s sum, for rows in hand."""
    total = Decimal(0)
    for row in occupancies:
        value = getattr(row, field)
        if value and row.moved_in_on <= on and (row.moved_out_on is None or row.moved_out_on > on):
            total += value
    return total


def peak_taken(occupancies, field: str, start: date, end: date | None) -> tuple[Decimal, date]:
    """The most the occupancies (rows in hand) take of `field` on any day from `start` until `end` (the day a new
    occupancy would leave, None: still there), and the first day it is taken. Taken space only grows on a day some
    occupancy moves in, so those days (and `start`) are the only ones to look at."""
    days = {start} | {
        row.moved_in_on for row in occupancies if start < row.moved_in_on and (end is None or row.moved_in_on < end)
    }
    best, best_day = Decimal(-1), start
    for day in sorted(days):
        taken = taken_by(occupancies, field, day)
        if taken > best:
            best, best_day = taken, day
    return best, best_day


def shown(value: Decimal | None) -> str:
    """An area or a price as the pages show it: thousands separated, at most two decimals, no trailing zeros
    (12.50 亩 → 12.5 亩); None → —."""
    if value is None:
        return "—"
    text = f"{Decimal(value).quantize(Decimal('0.01')):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text
