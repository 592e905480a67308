"""Tells a unit when the bureau moves one of its leads to another unit (首报首谈, or a lead left without follow-up).
Connected to frontline's `lead_transferred` signal in NotificationsConfig.ready(): frontline sits below this app
and cannot call it."""

from django.urls import reverse

from zhaoshang.notifications.services import notify
from zhaoshang.org.models import Role, User


def tell_old_unit(sender, *, profile, old_unit, new_unit, reason, claim=False, **kwargs):
    """The old unit's reporters and unit heads: the lead is no longer theirs (its page is no longer theirs to open,
    so no link). A stale lead's new unit is the bureau's decision and may be told; after 首报首谈 the new unit is
    the one that reported first, which the entering unit is never told (frontline.services.CLAIM_MESSAGE)."""
    users = User.objects.filter(
        is_active=True, memberships__unit=old_unit, memberships__role__in=(Role.REPORTER, Role.UNIT_HEAD)
    ).distinct()
    project = profile.project
    notify(
        users=users,
        kind="lead.transferred",
        title=f"线索“{project.name}”经首报首谈认定，已移交首报单位跟进"
        if claim
        else f"线索“{project.name}”已由主管部门调整到{new_unit.name}跟进",
        body=f"项目编号 {project.code}。调整理由：{reason}",
        link=reverse("notification_list"),
        dedupe_key=f"lead.transferred:{project.pk}:{old_unit.pk}:{new_unit.pk}",
    )
