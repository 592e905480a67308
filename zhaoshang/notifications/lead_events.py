"""Tells a unit when the bureau moves one of its leads to another unit (首报首谈, or a lead left without follow-up).
Connected to frontline's `lead_transferred` signal in NotificationsConfig.ready(): frontline sits below this app
and cannot call it."""

from django.urls import reverse

from zhaoshang.notifications.services import notify
from zhaoshang.org.models import Role, User


def tell_old_unit(sender, *, profile, old_unit, new_unit, reason, **kwargs):
    """The old unit's reporters and unit heads: the lead is no longer theirs (its page is no longer theirs to open,
    so no link; the new unit's name is the bureau's decision and may be told)."""
    users = User.objects.filter(
        is_active=True, memberships__unit=old_unit, memberships__role__in=(Role.REPORTER, Role.UNIT_HEAD)
    ).distinct()
    project = profile.project
    notify(
        users=users,
        kind="lead.transferred",
        title=f"线索“{project.name}”已由主管部门调整到{new_unit.name}跟进",
        body=f"项目编号 {project.code}。调整理由：{reason}",
        link=reverse("notification_list"),
        dedupe_key=f"lead.transferred:{project.pk}:{old_unit.pk}:{new_unit.pk}",
    )
