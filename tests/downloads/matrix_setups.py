"""What the permission matrix (tests/org/test_permissions.py) needs for the background exports' rows: a finished
export of 甲镇's reporter, which no one else may download, not even 甲镇's unit head."""

from zhaoshang.downloads.models import Download
from zhaoshang.downloads.services import download_request


def reporters_export(c):
    download_request(user=c.reporter, kind="ledger", query="format=xlsx")


def reporters_export_pk(c):
    return Download.objects.get(user=c.reporter).pk


def requested(c):
    """An export asked for by a user of this county (a neighbouring county's own request is its own)."""
    return Download.objects.filter(user__in=[*c.users().values(), c.dept_user]).exists()
