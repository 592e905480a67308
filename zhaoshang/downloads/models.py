"""An export made in the background (a list longer than EXPORT_BACKGROUND_ROWS): who asked, for which list and
filters, and the file it became under the var directory, kept DOWNLOAD_RETENTION_DAYS for that user only."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Status(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "生成失败"


class Download(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE, related_name="downloads"
    )
    kind = models.CharField("导出内容", max_length=20)  # a key of downloads.kinds.KINDS
    title = models.CharField("名称", max_length=200)
    query = models.TextField("筛选条件", blank=True)  # the list page's query string, as the page had it
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField("行数", null=True, blank=True)
    size = models.PositiveBigIntegerField("文件大小(字节)", null=True, blank=True)
    file_name = models.CharField("文件", max_length=100, blank=True)  # under VAR_DIR/downloads, never a user's text
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "后台导出"
        verbose_name_plural = "后台导出"
        indexes = [
            models.Index(fields=["user", "-created_at"], name="download_user_recent"),
            models.Index(fields=["created_at"], name="download_created"),  # the retention sweep
        ]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def audit_unit(self):
        return getattr(self.user, "audit_unit", None)

    def get_absolute_url(self) -> str:
        return reverse("download_file", args=[self.pk])
