"""Background exports: asking for one (audited, queued), building it in the job runner (django-tasks: the
database backend's worker on PostgreSQL, at once in the request on SQLite and in tests), notifying the user with
its link, serving it to that user only (audited), and deleting it after DOWNLOAD_RETENTION_DAYS."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from zhaoshang.audit.services import record
from zhaoshang.core.files import write_book_to
from zhaoshang.downloads.kinds import KINDS
from zhaoshang.downloads.models import Download, Status
from zhaoshang.notifications.services import notify

logger = logging.getLogger(__name__)


def downloads_dir() -> Path:
    return Path(settings.DOWNLOADS_DIR)


def download_path(download: Download) -> Path:
    return downloads_dir() / download.file_name


def download_request(*, user, kind: str, query: str) -> Download:
    """Queue the export of `kind` for these filters (the list page's query string). The same export already
    queued or being made for this user is answered instead of a second one."""
    with transaction.atomic():
        waiting = Download.objects.filter(
            user=user, kind=kind, query=query, status__in=[Status.PENDING, Status.RUNNING]
        ).first()
        if waiting is not None:
            return waiting
        download = Download.objects.create(user=user, kind=kind, title=KINDS[kind].title, query=query)
        record(user, action="download.requested", target=download, data={"导出内容": download.title, "筛选": query})
    # Outside the transaction: the database backend's worker may take it at once; the immediate backend runs
    # it here and now.
    build_download.enqueue(download.pk)
    download.refresh_from_db()  # done already with the immediate backend
    return download


@task()
def build_download(download_id: int) -> None:
    download_build(download_id=download_id)


def download_build(*, download_id: int) -> None:
    """Write the file as the user who asked would see it now (the builder scopes by that user), then notify.
    A failure is reported to the user too, never left pending."""
    claimed = Download.objects.filter(pk=download_id, status=Status.PENDING).update(status=Status.RUNNING)
    if not claimed:
        return  # taken already (a retried job)
    download = Download.objects.select_related("user").get(pk=download_id)
    kind = KINDS[download.kind]
    target = downloads_dir() / f"{download.pk}-{secrets.token_hex(8)}.xlsx"
    partial = target.with_suffix(".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not kind.allowed(download.user) or not download.user.is_active:
            raise PermissionError("the user may no longer read this list")
        export = kind.build(download.user, QueryDict(download.query))
        rows = write_book_to(str(partial), export.sheets)
        os.replace(partial, target)
    except Exception:
        logger.exception("background export %s failed", download_id)
        partial.unlink(missing_ok=True)
        Download.objects.filter(pk=download_id).update(status=Status.FAILED, finished_at=timezone.now())
        notify(
            users=[download.user],
            kind="download.failed",
            title=f"{download.title}导出失败",
            body="请稍后重试；如仍失败请联系系统管理员。",
        )
        return
    download.status, download.rows, download.size = Status.DONE, rows, target.stat().st_size
    download.file_name, download.finished_at = target.name, timezone.now()
    download.save(update_fields=["status", "rows", "size", "file_name", "finished_at"])
    notify(
        users=[download.user],
        kind="download.ready",
        title=f"{download.title}已导出（{rows}行）",
        body=f"文件保留{settings.DOWNLOAD_RETENTION_DAYS}天，仅您本人可以下载。",
        link=download.get_absolute_url(),
    )
    downloads_prune()  # the worker keeps the directory to its retention as it goes


def download_fetched(*, user, download: Download) -> None:
    """Audited: who took which file (what it holds follows from its kind and filters, audited when asked for)."""
    record(user, action="download.fetched", target=download, data={"导出内容": download.title, "行数": download.rows})


def downloads_prune(*, now=None) -> int:
    """Delete the files and records older than DOWNLOAD_RETENTION_DAYS (also run by `prune_downloads`)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOWNLOAD_RETENTION_DAYS)
    expired = list(Download.objects.filter(created_at__lt=cutoff).values_list("pk", "file_name"))
    for _, name in expired:
        if name:
            (downloads_dir() / name).unlink(missing_ok=True)
    Download.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
    return len(expired)
