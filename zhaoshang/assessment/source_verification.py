"""The 认定 source: `refused:签约|开工|投产|到位资金|全部`, the number of 不予认定 items of each assessed unit's subtree
from January of the scheme's year to its scored month, as they stand now (verification/refusals.py), within the
scheme owner's subtree: the deduction rules' "弄虚作假项目数". Two queries whatever the number of units."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhaoshang.assessment.sources import Context, Values


def refused(context: Context, name: str) -> Values:
    from zhaoshang.assessment.sources import UnknownSource, Values  # noqa: PLC0415  sources imports this module
    from zhaoshang.verification.refusals import NAMES, refused_by_path  # noqa: PLC0415  loaded before the apps

    kinds = NAMES.get(name)
    if kinds is None:
        raise UnknownSource(f"认定来源“refused:{name}”不存在，可用：{'、'.join(NAMES)}")
    within = [context.owner] if context.owner is not None else list(context.units)
    counts = refused_by_path(within, kinds, date(context.year, 1, 1), context.month) if within else {}
    return Values(
        by_unit={
            unit.pk: Decimal(sum(n for path, n in counts.items() if path.startswith(unit.path)))
            for unit in context.units
        }
    )
