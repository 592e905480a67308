"""One event through the user's scope. An event is read by the readers of its owner (its bureau, the leaders,
the bureaus above) and, once 已结束, by the units it assessed; anyone else gets 404 (a neighbouring county's
bureau cannot learn it exists). A judge reaches its own sheet only (404 on any other event's)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from zhaoshang.observation.models import Event, Judge, Status
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import readable_unit_ids


def events_visible_to(user):
    readable = readable_unit_ids(user)
    closed_for_unit = Q(status=Status.CLOSED, visits__unit_id__in=readable)
    return Event.objects.filter(Q(owner_id__in=readable) | closed_for_unit).distinct()


def get_event_for_user(user, pk) -> tuple[Event, bool]:
    """(event, can_manage)."""
    event = get_object_or_404(events_visible_to(user).select_related("owner"), pk=pk)
    return event, manages(user, event.owner)


def get_event_to_manage(user, pk) -> Event:
    event, can_manage = get_event_for_user(user, pk)
    if not can_manage:
        raise PermissionDenied("只有该观摩活动组织单位的主管部门管理员可以修改")
    return event


def get_own_sheet(user, pk) -> Judge:
    return get_object_or_404(Judge.objects.select_related("event__owner", "user"), event_id=pk, user=user)


def get_named_sheet(user, pk, judge_pk) -> Judge:
    """A judge entered by name, whose scores the bureau types."""
    event = get_event_to_manage(user, pk)
    return get_object_or_404(Judge.objects.select_related("event__owner"), event=event, pk=judge_pk, user=None)
