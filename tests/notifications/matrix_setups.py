"""What the permission matrix (tests/org/test_permissions.py) needs for the notification rows: one notification
for every user of the test county, including 自然资源局's reporter, who is not a column of the matrix, so that
every cell can try to touch a notification that is not its own."""

from zhaoshang.notifications.models import Notification
from zhaoshang.notifications.services import notify

KEY = "matrix"


def notify_everyone(c):
    users = [*c.users().values(), c.dept_user]
    notify(users=users, kind="report.missing", title="权限矩阵提醒", link="/report/", dedupe_key=KEY)


def others_notification_pk(c):
    return Notification.objects.get(user=c.dept_user, dedupe_key=KEY).pk


def others_notification_read(c):
    """True if the notification of a user outside the matrix was marked read: must never happen."""
    return Notification.objects.filter(user=c.dept_user, read_at__isnull=False).exists()
