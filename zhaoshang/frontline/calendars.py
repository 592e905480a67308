"""The working-day calendar as people see it: whose calendars a user may read and change, and one year laid out as
twelve month grids with each day's state (working day or not, and whether the county corrected it).

A calendar belongs to a county (县区), or to the root for a city's own units and for a one-county install: the same
units whose rules the deadlines read (deadlines.CountyCalendars)."""

from dataclasses import dataclass
from datetime import date, timedelta

from zhaoshang.frontline import workdays
from zhaoshang.frontline.models import CalendarDay, LeadRules
from zhaoshang.frontline.rules import DEFAULT_RULES
from zhaoshang.org.models import BUSINESS_READ_ROLES, Unit, UnitKind, subtree_q
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import is_bureau_admin, memberships
from zhaoshang.org.tree import ancestor_ids

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def calendar_roots(user) -> list[Unit]:
    """The calendars a user reads: its own county's (the county its unit belongs to, else the root above it), and
    those of the counties below its units (a city's bureau and leaders read each county's). Highest first."""
    units = [m.unit for m in memberships(user) if m.role in BUSINESS_READ_ROLES]
    if not units:
        return []
    above = Unit.objects.filter(pk__in={i for u in units for i in ancestor_ids(u.path)})
    found = {}
    for unit in units:
        chain = [u for u in above if unit.path.startswith(u.path)]
        counties = sorted((u for u in chain if u.kind == UnitKind.COUNTY), key=lambda u: u.path)
        own = counties[-1] if counties else min(chain, key=lambda u: u.path)
        found[own.pk] = own
    for county in Unit.objects.filter(subtree_q(units), kind=UnitKind.COUNTY, is_active=True):
        found[county.pk] = county
    return sorted(found.values(), key=lambda u: u.path)


def may_edit(user, root: Unit) -> bool:
    """A bureau admin of the county or of a unit above it (the city's bureau its own calendar, and its counties')."""
    return is_bureau_admin(user) and manages(user, root)


def rules_of(root: Unit) -> dict:
    """The county's five numbers, the defaults where it has set none."""
    row = LeadRules.objects.filter(root=root).first()
    return {f: getattr(row, f) for f in DEFAULT_RULES} if row else dict(DEFAULT_RULES)


@dataclass(frozen=True)
class DayCell:
    day: date
    is_workday: bool
    corrected: bool  # the county's own row decides it
    note: str

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5

    @property
    def css(self) -> str:
        """off: a day off; makeup: a weekend worked (调休); corrected: the county's own row."""
        classes = ["workday" if self.is_workday else "off"]
        if self.is_workday and self.weekend:
            classes.append("makeup")
        if not self.is_workday and not self.weekend:
            classes.append("holiday")
        if self.corrected:
            classes.append("corrected")
        return " ".join(classes)

    @property
    def title(self) -> str:
        state = "工作日" if self.is_workday else "休息日"
        if self.corrected:
            state += "（本地调整" + (f"：{self.note}" if self.note else "") + "）"
        return f"{self.day:%Y-%m-%d} {state}"


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list  # of 7 cells, Monday first; None outside the month
    workday_count: int


def year_grid(year: int, corrections: dict, notes: dict | None = None) -> list[MonthGrid]:
    """Twelve month grids of `year` under these corrections ({day: is_workday}). Pure."""
    notes = notes or {}
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        cells = [None] * first.weekday()
        day = first
        while day <= last:
            cells.append(DayCell(day, workdays.is_workday(day, corrections), day in corrections, notes.get(day, "")))
            day += timedelta(days=1)
        cells += [None] * (-len(cells) % 7)
        weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
        months.append(MonthGrid(month, weeks, sum(1 for c in cells if c and c.is_workday)))
    return months


def corrections_of(root: Unit, year: int | None = None) -> list[CalendarDay]:
    rows = CalendarDay.objects.filter(root=root)
    if year is not None:
        rows = rows.filter(day__year=year)
    return list(rows.order_by("day"))


def national_note(year: int) -> str:
    """What the page says when the package does not carry the year's arrangement ("" when it does)."""
    if workdays.national_knows(year):
        return ""
    return (
        f"{year}年国务院放假安排尚未内置，系统暂按周一至周五为工作日计算，请按通知补录调休与节假日"
        "（节假日录为“休息”，调休上班的周末录为“上班”）。"
    )
