"""The append-only audit log. The application only ever inserts rows into it."""

from django.conf import settings
from django.db import models


class Source(models.TextChoices):
    PAGE = "page", "页面"
    IMPORT = "import", "导入"
    COMMAND = "command", "命令"
    ADMIN = "admin", "后台管理"
    SYSTEM = "system", "系统"


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntry(models.Model):
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text too, so the entry still reads right if the account is renamed.
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=60, db_index=True)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    target_repr = models.CharField("对象", max_length=255, blank=True)
    data = models.JSONField("变更内容", default=dict, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The page's order and its keyset paging (org/audit_log.py): newest first, by time then id.
            models.Index(fields=["created_at", "id"], name="audit_entry_time_id"),
        ]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("审计日志只能追加，不能删除")
