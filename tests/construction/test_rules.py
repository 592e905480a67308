"""The pure rules of approval steps: status, days taken, the overdue light at its thresholds, validation."""

from datetime import date

from zhaoshang.construction import rules

TODAY = date(2026, 6, 15)


def test_it_tells_the_status_from_the_dates():
    assert rules.status(None, None) == "未开始"
    assert rules.status(date(2026, 6, 1), None) == "办理中"
    assert rules.status(date(2026, 6, 1), date(2026, 6, 10)) == "已完成"


def test_it_counts_days_taken_from_filing_to_approval():
    assert rules.days_taken(date(2026, 5, 28), date(2026, 6, 10)) == 13
    assert rules.days_taken(date(2026, 6, 10), date(2026, 6, 10)) == 0
    assert rules.days_taken(None, date(2026, 6, 10)) is None
    assert rules.days_taken(date(2026, 6, 10), None) is None


def test_it_lights_an_open_step_yellow_from_the_first_day_late_and_red_after_thirty():
    def light_for(planned):
        return rules.light(rules.days_overdue(planned, None, TODAY))

    assert light_for(None) is None  # no plan, nothing to be late for
    assert light_for(date(2026, 6, 15)) is None  # due today: not late yet
    assert rules.days_overdue(date(2026, 6, 14), None, TODAY) == 1
    assert light_for(date(2026, 6, 14)) == "yellow"  # 1 day
    assert light_for(date(2026, 5, 16)) == "yellow"  # 30 days
    assert rules.days_overdue(date(2026, 5, 15), None, TODAY) == 31
    assert light_for(date(2026, 5, 15)) == "red"  # 31 days


def test_it_never_lights_a_done_step_but_says_it_was_done_late():
    assert rules.days_overdue(date(2026, 1, 1), date(2026, 3, 1), TODAY) == 0
    assert rules.done_late(date(2026, 1, 1), date(2026, 3, 1)) is True
    assert rules.done_late(date(2026, 3, 1), date(2026, 3, 1)) is False
    assert rules.done_late(None, date(2026, 3, 1)) is False


def test_it_explains_what_is_wrong_with_a_step_in_chinese():
    def errors(**values):
        return rules.errors({"name": "环评", **values}, today=TODAY)

    assert errors() == {}
    assert errors(name="  ") == {"name": "请填写手续名称"}
    assert errors(filed_on=date(2026, 6, 16)) == {"filed_on": "申报日期不能晚于今天"}
    assert errors(filed_on=date(2026, 6, 1), done_on=date(2026, 6, 16)) == {"done_on": "办结日期不能晚于今天"}
    assert errors(filed_on=date(2026, 6, 10), done_on=date(2026, 6, 9)) == {"done_on": "办结日期不能早于申报日期"}
    assert errors(done_on=date(2026, 6, 9)) == {"filed_on": "已办结的手续须填写申报日期，以便统计办理用时"}
    assert rules.errors({"name": "环评"}, today=TODAY, department_kind="乡镇") == {
        "department": "办理部门须选择类型为“部门”的单位"
    }
    # a planned date may well lie ahead
    assert errors(planned_on=date(2027, 1, 1)) == {}
