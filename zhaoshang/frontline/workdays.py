"""Working days (工作日) for the lead deadlines: China's national calendar with its 调休 make-up days, as the
`chinese-calendar` package knows it, corrected by the county's own `CalendarDay` rows.

The package covers the years whose holiday arrangement the State Council has published (it raises for later
years); for such a year Monday to Friday are working days until the bureau enters the arrangement as
corrections. Pure functions over a {day: is_workday} mapping of corrections, so the arithmetic is tested without a
database; `corrections_for(root)` loads the mapping once for a county."""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar


def national_knows(year: int) -> bool:
    """Does the package carry this year's holiday arrangement?"""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date, corrections: Mapping[date, bool] | None = None) -> bool:
    if corrections and day in corrections:
        return corrections[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year not published yet: Monday to Friday
        return day.weekday() < 5


def add_workdays(start: date, count: int, corrections: Mapping[date, bool] | None = None) -> date:
    """The day `count` working days after `start` (start itself not counted): a lead registered on a Friday
    before a holiday, with 1 working day, is due on the first working day after it."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day, corrections):
            left -= 1
    return day


def workdays_between(start: date, end: date, corrections: Mapping[date, bool] | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day, corrections):
            count += 1
    return count
