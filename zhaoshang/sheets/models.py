from django.conf import settings
from django.db import models


class ImportLog(models.Model):
    """One committed import: who, when, which file (name and SHA-256), and what it changed."""

    kind = models.CharField("类型", max_length=20)
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件哈希", max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    rows = models.IntegerField("行数", default=0)
    created = models.IntegerField("新增", default=0)
    updated = models.IntegerField("更新", default=0)
    unchanged = models.IntegerField("未变", default=0)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"

    def __str__(self):
        return f"导入 {self.file_name}"

    @property
    def kind_label(self) -> str:
        from zhaoshang.sheets.services import KINDS  # noqa: PLC0415  the importers read these models

        return KINDS.get(self.kind, self.kind)
