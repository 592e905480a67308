"""The 宣传与培训 sources: `cases:NAME` and `training:学时|人次`.

Each reads, per assessed unit, what its subtree did from 1 January of the scheme's year to the last day of its
scored month, within the scheme owner's subtree. One query per source whatever the number of units: the rows are
grouped by the unit they are credited to, then each assessed unit sums the groups whose path starts with its own.

`cases:NAME`: the number of typical cases published (刊发日期) in the window. NAME is 全部 (every level), one
level (中央, 省级, 市级, 县级: that level only), or 省级以上 (中央 and 省级 together).
`training:学时`: the sum of the hours of the attendances (each attendance counts its session's hours once);
`training:人次`: the number of attendances."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Sum

if TYPE_CHECKING:
    from zhaoshang.assessment.sources import Context, Values

# outreach.models.CaseLevel's values: the models are imported in the functions, so that sources.py (which imports
# this module) may be imported before the apps are ready.
LEVELS = ["中央", "省级", "市级", "县级"]
CASE_NAMES = {
    "全部": LEVELS,
    **{level: [level] for level in LEVELS},
    "省级以上": ["中央", "省级"],
}
TRAINING_NAMES = ("学时", "人次")


def window(context: Context) -> tuple[date, date]:
    month = context.month
    return date(context.year, 1, 1), date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _per_unit(context: Context, totals: dict[str, Decimal]) -> Values:
    """Each assessed unit's sum of the groups (keyed by unit path) in its subtree; 0 where none."""
    from zhaoshang.assessment.sources import Values  # noqa: PLC0415  sources imports this module

    return Values(
        by_unit={
            unit.pk: sum((v for path, v in totals.items() if path.startswith(unit.path)), start=Decimal(0))
            for unit in context.units
        }
    )


def cases(context: Context, name: str) -> Values:
    from zhaoshang.assessment.sources import UnknownSource  # noqa: PLC0415  sources imports this module
    from zhaoshang.org.models import subtree_q  # noqa: PLC0415  see LEVELS
    from zhaoshang.outreach.models import TypicalCase  # noqa: PLC0415  see LEVELS

    levels = CASE_NAMES.get(name)
    if levels is None:
        raise UnknownSource(f"典型案例来源“cases:{name}”不存在，可用：{'、'.join(CASE_NAMES)}")
    rows = (
        TypicalCase.objects.filter(subtree_q([context.owner], "unit"))
        .filter(published_on__range=window(context), level__in=levels)
        .values("unit__path")
        .annotate(n=Count("id"))
    )
    return _per_unit(context, {r["unit__path"]: Decimal(r["n"]) for r in rows})


def training(context: Context, name: str) -> Values:
    from zhaoshang.assessment.sources import UnknownSource  # noqa: PLC0415  sources imports this module
    from zhaoshang.org.models import subtree_q  # noqa: PLC0415  see LEVELS
    from zhaoshang.outreach.models import Attendance  # noqa: PLC0415  see LEVELS
    from zhaoshang.outreach.queries import tenths  # noqa: PLC0415  see LEVELS

    if name not in TRAINING_NAMES:
        raise UnknownSource(f"培训来源“training:{name}”不存在，可用：{'、'.join(TRAINING_NAMES)}")
    rows = (
        Attendance.objects.filter(subtree_q([context.owner], "unit"))
        .filter(session__held_on__range=window(context))
        .values("unit__path")
        .annotate(n=Count("id"), hours=Sum("session__hours"))
    )
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        totals[r["unit__path"]] += Decimal(r["n"]) if name == "人次" else tenths(r["hours"])
    return _per_unit(context, totals)
