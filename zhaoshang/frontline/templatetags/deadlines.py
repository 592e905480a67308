"""A lead's deadline (frontline.rules.Deadline) as a light and a few Chinese words, for the lead list and the project
page. `{% load deadlines %}`, then:

    {{ d|deadline_class }}  → "light-red" / "light-yellow" / "light-green" (static/css/app.css `.light-*`)
    {{ d|deadline_label }}  → "研判逾期2天", "首问负责人今日到期", "研判已按时完成", …
    {% deadline_lamp d %}   → the dot and the words together, the label also as the dot's title

The lights:
- red: not done and past due ("研判逾期2天");
- yellow: not done and due today ("首问负责人今日到期"), or done but after the due day ("研判逾期1天完成");
- green: not done and not yet due ("跟进10月20日前完成"), or done in time ("研判已按时完成").
The light and the words come from `deadline_light` below, pure, so code outside templates (an export) says the same.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


def deadline_light(deadline) -> tuple[str, str]:
    """(light, label) of a Deadline: light one of "red", "yellow", "green"."""
    what = deadline.what
    if deadline.done_on is not None:
        if deadline.overdue:
            return "yellow", f"{what}逾期{deadline.days_late}天完成"
        return "green", f"{what}已按时完成"
    if deadline.overdue:
        return "red", f"{what}逾期{deadline.days_late}天"
    if deadline.due == deadline.today:
        return "yellow", f"{what}今日到期"
    return "green", f"{what}{deadline.due.month}月{deadline.due.day}日前完成"


@register.filter
def deadline_class(deadline) -> str:
    return f"light-{deadline_light(deadline)[0]}"


@register.filter
def deadline_label(deadline) -> str:
    return deadline_light(deadline)[1]


@register.simple_tag
def deadline_lamp(deadline):
    light, label = deadline_light(deadline)
    return format_html(
        '<span class="deadline"><span class="light light-{}" title="{}"></span> {}</span>', light, label, label
    )
