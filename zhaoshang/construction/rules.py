"""Pure rules of a project's approval steps (前期手续): status, days taken, the overdue light, and what a
valid step looks like. No database here; the model, services and pages call these."""

from datetime import date

# The usual steps from signing to breaking ground, in the order a project normally goes through them:
# 立项/备案 first, then 用地预审 (with 选址), 环评 and 能评; the land is transferred (土地出让) before the
# 规划许可 (建设用地/工程规划许可证) can be issued, and 施工许可 comes last.
STANDARD_STEPS = ["立项/备案", "用地预审", "环评", "能评", "土地出让", "规划许可", "施工许可"]
STANDARD_ORDER = {name: (index + 1) * 10 for index, name in enumerate(STANDARD_STEPS)}

# The department that usually handles each standard step, as a part of its name; the county's own unit of
# that kind is chosen when the steps are generated, and can be changed on the page.
USUAL_DEPARTMENTS = {
    "立项/备案": "发展和改革",
    "用地预审": "自然资源",
    "环评": "生态环境",
    "能评": "发展和改革",
    "土地出让": "自然资源",
    "规划许可": "自然资源",
    "施工许可": "住房和城乡建设",
}

NOT_STARTED, IN_PROGRESS, DONE = "未开始", "办理中", "已完成"
STATUSES = [NOT_STARTED, IN_PROGRESS, DONE]

# Overdue by 1 to RED_AFTER_DAYS days is yellow, by more is red: a month's grace matches the county's monthly
# rhythm, so a step that slipped since the last 调度 meeting is yellow and one that slipped past two is red.
RED_AFTER_DAYS = 30

NAME_MAX = 50
NOTE_MAX = 200


def status(filed_on: date | None, done_on: date | None) -> str:
    if done_on:
        return DONE
    return IN_PROGRESS if filed_on else NOT_STARTED


def days_taken(filed_on: date | None, done_on: date | None) -> int | None:
    """Calendar days from filing to approval; None until both are known."""
    if filed_on is None or done_on is None:
        return None
    return (done_on - filed_on).days


def days_overdue(planned_on: date | None, done_on: date | None, today: date) -> int:
    """Days past the planned date of a step not yet done (0 when it is not overdue)."""
    if done_on or planned_on is None or today <= planned_on:
        return 0
    return (today - planned_on).days


def light(overdue_days: int) -> str | None:
    if overdue_days <= 0:
        return None
    return "red" if overdue_days > RED_AFTER_DAYS else "yellow"


def done_late(planned_on: date | None, done_on: date | None) -> bool:
    """逾期办结: done, but after its planned date. Shown, not lit: it no longer needs chasing."""
    return bool(done_on and planned_on and done_on > planned_on)


def errors(values: dict, *, today: date, department_kind: str | None = None) -> dict[str, str]:
    """{field: message} for a step's values (name, filed_on, done_on, …); empty when valid."""
    found: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        found["name"] = "请填写手续名称"
    elif len(name) > NAME_MAX:
        found["name"] = f"手续名称不能超过{NAME_MAX}个字"
    if department_kind is not None and department_kind != "部门":
        found["department"] = "办理部门须选择类型为“部门”的单位"
    filed_on, done_on = values.get("filed_on"), values.get("done_on")
    if filed_on and filed_on > today:
        found["filed_on"] = "申报日期不能晚于今天"
    if done_on and done_on > today:
        found["done_on"] = "办结日期不能晚于今天"
    elif done_on and not filed_on:
        found["filed_on"] = "已办结的手续须填写申报日期，以便统计办理用时"
    elif done_on and filed_on and done_on < filed_on:
        found["done_on"] = "办结日期不能早于申报日期"
    if len(values.get("note") or "") > NOTE_MAX:
        found["note"] = f"备注不能超过{NOTE_MAX}个字"
    return found
