"""The closed-month guard that every write path calls (services, imports, model saves).

Months are closed per unit subtree: a county's bureau closes its county, the root's bureau may close for the
whole install. A row dated in month M and belonging to unit U is locked when M is closed at U or at any unit
above it. So every check names the unit the row belongs to (a project's 责任单位, the unit of a 上报, the region
of an economic figure): a month one county closed never locks its neighbour's rows."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from zhaoshang.core.periods import month_label, month_start
from zhaoshang.org.models import Unit
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.reporting.models import ClosedMonth


class MonthClosed(Exception):
    """Raised when a write touches a closed month. Its text is shown to the user as it is."""

    def __init__(self, month: date):
        self.month = month
        super().__init__(f"{month_label(month)}已关账，不能修改该月数据；如需更正，请联系主管部门重新开放该月")


def _path(unit) -> str:
    if isinstance(unit, Unit):
        return unit.path
    return Unit.objects.filter(pk=unit).values_list("path", flat=True).first() or ""


def closures(months: Iterable[date], paths: Iterable[str]) -> dict[date, set[int]]:
    """{month: ids of the units that closed it} for the given months, among the units on the given paths."""
    ids = {i for path in paths for i in ancestor_ids(path)}
    wanted = {month_start(m) for m in months if m is not None}
    found: dict[date, set[int]] = defaultdict(set)
    if ids and wanted:
        for month, unit_id in ClosedMonth.objects.filter(month__in=wanted, unit_id__in=ids).values_list(
            "month", "unit_id"
        ):
            found[month].add(unit_id)
    return found


class ClosedIndex:
    """Answers "is month M closed for the unit on this path" for many rows with one query (the imports)."""

    def __init__(self, months: Iterable[date], paths: Iterable[str]):
        self._closed = closures(months, paths)

    def closed(self, month: date | None, path: str) -> bool:
        if month is None:
            return False
        closers = self._closed.get(month_start(month))
        return bool(closers) and any(i in closers for i in ancestor_ids(path))


def is_closed(month: date, unit) -> bool:
    """Is `month` closed for `unit` (a Unit or its id): closed there or above it."""
    path = _path(unit)
    return ClosedIndex([month], [path]).closed(month, path)


def ensure_month_open(month: date | None, unit) -> None:
    if month is not None:
        ensure_months_open([month], unit)


def ensure_months_open(months: Iterable[date | None], *units) -> None:
    """Refuse (MonthClosed) when any of the months is closed for any of the units (a project's unit before and
    after an edit that moves it)."""
    wanted = sorted({month_start(m) for m in months if m is not None})
    paths = [_path(u) for u in units if u is not None]
    if not wanted or not paths:
        return
    index = ClosedIndex(wanted, paths)
    for month in wanted:
        if any(index.closed(month, path) for path in paths):
            raise MonthClosed(month)


def ensure_project_months_open(pairs: Iterable[tuple[int, date]]) -> None:
    """Refuse when any (project id, month) falls in a month closed for the project's unit (the set-based
    writes, which hold project ids only)."""
    from zhaoshang.projects.models import Project  # the ledger's models import this module's guard

    pairs = {(project_id, month_start(month)) for project_id, month in pairs if month is not None}
    if not pairs:
        return
    paths = dict(
        Project.objects.filter(pk__in={p for p, _ in pairs}).values_list("pk", "responsible_unit__path")
    )
    index = ClosedIndex({m for _, m in pairs}, paths.values())
    closed = sorted({m for p, m in pairs if index.closed(m, paths.get(p, ""))})
    if closed:
        raise MonthClosed(closed[0])
