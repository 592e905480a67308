"""Writing notifications: notify users once per thing, and mark a user's own notifications read.

Neither write is audited: a notification changes no business record (the reminder that caused it is
recomputed from the records themselves), and marking read only touches the user's own inbox.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from zhaoshang.notifications.models import Notification


def _distinct(users: Iterable) -> dict:
    """{pk: user}, each user once (a user may be both reporter and unit head of the units reminded about)."""
    return {user.pk: user for user in users if user is not None and getattr(user, "is_active", True)}


def users_not_notified(*, users: Iterable, dedupe_key: str) -> list:
    """The users who do not yet hold a notification with this key (all of them for a blank key). Read only:
    the reminders' dry run counts with it."""
    wanted = _distinct(users)
    if dedupe_key and wanted:
        held = set(
            Notification.objects.filter(user_id__in=wanted, dedupe_key=dedupe_key).values_list("user_id", flat=True)
        )
        wanted = {pk: user for pk, user in wanted.items() if pk not in held}
    return list(wanted.values())


@transaction.atomic
def notify(*, users: Iterable, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> list:
    """Create one notification per user, skipping users (inactive ones too) who already hold `dedupe_key`.
    Returns the notifications created. The conditional unique constraint on (user, dedupe_key) is the
    backstop: a concurrent run that slips past the check fails instead of notifying twice."""
    # The page redirects to the link when a notification is opened: only a path of this site may be stored.
    if link and not (link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=set())):
        raise ValueError("通知链接必须是本系统内的路径（以 / 开头）")
    rows = [
        Notification(user=user, kind=kind, title=title[:200], body=body, link=link, dedupe_key=dedupe_key)
        for user in users_not_notified(users=users, dedupe_key=dedupe_key)
    ]
    return Notification.objects.bulk_create(rows)


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read: those with these ids, or all of them (ids=None). Ids of
    another user's notifications are ignored, never an error, so a forged id learns nothing. Not audited:
    it is the user's own inbox and changes no business record. Returns how many were marked."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
