"""Months the bureau has closed (关账), per unit subtree."""

from django.conf import settings
from django.db import models

from zhaoshang.org.models import ScopedQuerySet


class ClosedMonth(models.Model):
    """A row here means the month is closed for `unit` and everything below it (a county closes its county; the
    root closes the whole install); reopening deletes the row (and is audited with its reason)."""

    month = models.DateField("月份")
    unit = models.ForeignKey("org.Unit", verbose_name="关账范围", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("关账时间", auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "reporting_closedmonth"  # the table it had when month closing lived in reporting
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["month", "unit"], name="closed_month_unit_unique")]
        verbose_name = "已关账月份"
        verbose_name_plural = "已关账月份"

    def __str__(self):
        return f"{self.month:%Y-%m}（{self.unit}）"

    @property
    def audit_unit(self):
        return self.unit
