"""Progress against the calendar: completion, the gap in percentage points to 序时进度 (which is
core.periods.schedule_rate), lights, ranks. Pure functions over unrounded Decimals; rounding happens once, when
shown."""

from decimal import Decimal

ONE_HUNDRED = Decimal(100)


def completion_rate(actual, target) -> Decimal | None:
    if target in (None, 0) or actual is None:
        return None
    return Decimal(actual) / Decimal(target)


def gap_pp(completion: Decimal | None, schedule: Decimal) -> Decimal | None:
    """Completion minus 序时进度, in percentage points (positive: ahead)."""
    return None if completion is None else (completion - schedule) * ONE_HUNDRED


def light(gap: Decimal | None) -> str | None:
    """green when behind by less than 10 points (or ahead), yellow for 10 to 30, red for more than 30."""
    if gap is None:
        return None
    behind = -gap
    if behind < 10:
        return "green"
    if behind <= 30:
        return "yellow"
    return "red"


def start_light(months_late: int) -> str:
    """For a planned start date: 1 month late yellow, 3 months late red."""
    if months_late >= 3:
        return "red"
    if months_late >= 1:
        return "yellow"
    return "green"


def double_half(completion: Decimal | None, month: int) -> bool | None:
    """双过半: at the end of June, at least half the annual target done. None for other months."""
    if month != 6 or completion is None:
        return None
    return completion >= Decimal("0.5")


def competition_ranks(values: dict) -> dict:
    """{key: value} → {key: rank}, highest first, ties sharing a rank (1, 2, 2, 4). None values get no rank."""
    ranked = sorted(((v, k) for k, v in values.items() if v is not None), key=lambda x: x[0], reverse=True)
    ranks, previous, position = {}, None, 0
    for index, (value, key) in enumerate(ranked, start=1):
        if value != previous:
            position, previous = index, value
        ranks[key] = position
    return ranks
