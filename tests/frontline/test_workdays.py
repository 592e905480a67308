"""The working-day arithmetic of the lead deadlines, across weekends, national holidays and 调休 make-up days
(the 2026 arrangement published by the State Council), and a county's own corrections."""

from datetime import date

from zhaoshang.frontline import rules, workdays


def test_weekend_is_skipped():
    # Friday 2026-06-12 + 1 working day: Monday 06-15.
    assert workdays.add_workdays(date(2026, 6, 12), 1) == date(2026, 6, 15)
    assert workdays.add_workdays(date(2026, 6, 12), 3) == date(2026, 6, 17)


def test_national_day_holiday_is_skipped():
    # 2026: 10-01 to 10-07 off; 09-30 (Wed) + 1 working day is 10-08.
    assert not workdays.is_workday(date(2026, 10, 1))
    assert workdays.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # 10-08 Thu, 10-09 Fri, 10-10 Sat is a make-up working day (调休).
    assert workdays.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_spring_festival_make_up_saturday_counts():
    # 2026-02-14 is a Saturday worked in lieu of the Spring Festival holiday.
    assert workdays.is_workday(date(2026, 2, 14))
    assert workdays.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    # Then 02-15 to 02-23 off: the next working day is 02-24.
    assert workdays.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_a_year_not_yet_published_falls_back_to_monday_to_friday():
    assert not workdays.national_knows(2099)
    assert workdays.add_workdays(date(2099, 1, 2), 1) == date(2099, 1, 5)  # Friday → Monday


def test_county_corrections_win():
    corrections = {date(2026, 6, 15): False, date(2026, 6, 13): True}
    assert workdays.add_workdays(date(2026, 6, 12), 1, corrections) == date(2026, 6, 13)
    assert workdays.add_workdays(date(2026, 6, 13), 1, corrections) == date(2026, 6, 16)


def test_workdays_between():
    assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert workdays.workdays_between(date(2026, 10, 10), date(2026, 9, 30)) == 0


def _deadlines(**kw):
    base = dict(
        registered_on=date(2026, 9, 30),
        first_responsible_on=None,
        judgement="",
        judged_on=None,
        has_referrer=False,
        referrer_told_on=None,
        last_followup_on=None,
        is_following=False,
        today=date(2026, 10, 9),
    )
    return {d.what: d for d in rules.lead_deadlines(**{**base, **kw})}


def test_lead_deadlines_across_the_holiday():
    found = _deadlines()
    assert found[rules.FIRST_RESPONSIBLE].due == date(2026, 10, 8)
    assert found[rules.FIRST_RESPONSIBLE].overdue  # 10-09 and still nobody
    assert found[rules.JUDGEMENT].due == date(2026, 10, 10)
    assert not found[rules.JUDGEMENT].overdue
    assert rules.REFERRER not in found and rules.FOLLOWUP not in found


def test_done_late_stays_late_and_done_in_time_is_not():
    found = _deadlines(first_responsible_on=date(2026, 10, 9), judgement="有效", judged_on=date(2026, 10, 8))
    assert found[rules.FIRST_RESPONSIBLE].overdue and found[rules.FIRST_RESPONSIBLE].days_late == 1
    assert not found[rules.JUDGEMENT].overdue


def test_referrer_and_followup_deadlines():
    found = _deadlines(
        judgement="有效",
        judged_on=date(2026, 10, 8),
        has_referrer=True,
        is_following=True,
        last_followup_on=date(2026, 10, 20),
        today=date(2026, 11, 4),
    )
    assert found[rules.REFERRER].due == date(2026, 10, 15) and found[rules.REFERRER].overdue
    assert found[rules.FOLLOWUP].due == date(2026, 11, 3) and found[rules.FOLLOWUP].overdue
    assert found[rules.FOLLOWUP].days_late == 1


def test_rules_can_be_changed():
    found = _deadlines(rules={"first_responsible_workdays": 2})
    assert found[rules.FIRST_RESPONSIBLE].due == date(2026, 10, 9)
    assert not found[rules.FIRST_RESPONSIBLE].overdue
