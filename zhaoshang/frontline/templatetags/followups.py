"""The 跟进记录 section of a project's page, loaded by the ledger's template (the ledger does not import the front
line): the timeline, newest first, and a quick entry form for the writers of the project's unit."""

from django import template

from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.trip_forms import FollowUpForm
from zhaoshang.frontline.trip_queries import project_timeline

register = template.Library()


@register.inclusion_tag("frontline/_project_followups.html", takes_context=True)
def project_followups(context, project, can_edit):
    user = context["request"].user
    rows = project_timeline(project, today())
    for row in rows:
        row.changeable = can_edit and services.may_change_followup(user, row)
    return {
        "project": project,
        "can_edit": can_edit,
        "followups": rows,
        "form": FollowUpForm() if can_edit else None,
        "csrf_token": context.get("csrf_token"),
    }
