"""The closed-month guard that every write path calls (services, imports, model saves).

Months are closed per unit subtree: a county's bureau closes its county, the root's bureau may close for the
whole install. A row dated in month M and belonging to unit U is locked when M is closed at U or at any unit
above it. So every check names the unit the row belongs to (a project's 责任单位, the unit of a 上报, the region
of an economic figure): a month one county closed never locks its neighbour's rows.

This app sits below the ledger: it knows units and months, never projects. A caller checking projects' months
passes their units' paths (ensure_project_months_open), and a model guarded here names its row's unit
(ClosedMonthGuard.closing_unit)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from zhaoshang.closing.models import ClosedMonth
from zhaoshang.core.errors import Refused
from zhaoshang.core.periods import month_label, month_start
from zhaoshang.org.models import Unit
from zhaoshang.org.tree import ancestor_ids


class MonthClosed(Refused):
    """Raised when a write touches a closed month. Its text is shown to the user as it is."""

    def __init__(self, month: date):
        self.month = month
        super().__init__(
            f"{month_label(month)}已关账，不能修改该月数据；如需更正，请联系主管部门重新开放该月", code="month_closed"
        )


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
    if not wanted:
        return  # nothing dated: no unit's path to read (a unit given by id costs a query)
    paths = [_path(u) for u in units if u is not None]
    if not paths:
        return
    index = ClosedIndex(wanted, paths)
    for month in wanted:
        if any(index.closed(month, path) for path in paths):
            raise MonthClosed(month)


def ensure_project_months_open(pairs: Iterable[tuple[int, date | None]], paths: Mapping[int, str]) -> None:
    """Refuse when any (project id, month) falls in a month closed for the project's unit (the set-based
    writes, which hold project ids only). `paths` is {project id: its responsible unit's path}, as the caller
    reads it once the projects are locked; a project missing from it locks nothing."""
    pairs = {(project_id, month_start(month)) for project_id, month in pairs if month is not None}
    if not pairs:
        return
    index = ClosedIndex({m for _, m in pairs}, {paths[p] for p, _ in pairs if p in paths})
    closed = sorted({m for p, m in pairs if index.closed(m, paths.get(p, ""))})
    if closed:
        raise MonthClosed(closed[0])


class ClosedMonthGuard:
    """The last line of defence for rows that belong to a month: whatever path saves or deletes one (a service,
    the shell, a script), a closed month refuses it. Mixed into the models dated by a month, a day or a year.

    Bulk QuerySet.update() and .delete() do not call save() or delete() and so pass it by; the services never use
    them on these rows for a change a user makes.

    A model using it says which unit a row belongs to (`closing_unit()`): months are closed per county."""

    month_field = "month"  # the field dating the row

    def closing_unit(self):
        return self.project.responsible_unit  # the ledger's dated rows; others override

    @staticmethod
    def closing_month(value) -> date:
        """The month whose closing locks a row with this value in `month_field`."""
        return month_start(value)

    def save(self, *args, **kwargs):
        value = getattr(self, self.month_field)
        unit = self.closing_unit()
        ensure_month_open(self.closing_month(value), unit)
        if self.pk:
            old = type(self).objects.filter(pk=self.pk).values_list(self.month_field, flat=True).first()
            if old is not None and old != value:
                ensure_month_open(self.closing_month(old), unit)  # moving a row out of a closed month changes it
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_month_open(self.closing_month(getattr(self, self.month_field)), self.closing_unit())
        return super().delete(*args, **kwargs)
