"""Months that the bureau has closed, and each unit's confirmation (上报) of its monthly report."""

from django.conf import settings
from django.db import models

from zhaoshang.reporting.month_guard import ClosedMonthGuard


class ClosedMonth(models.Model):
    """A row here means the month is closed for `unit` and everything below it (a county closes its county; the
    root closes the whole install); reopening deletes the row (and is audited with its reason)."""

    month = models.DateField("月份")
    unit = models.ForeignKey("org.Unit", verbose_name="关账范围", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("关账时间", auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["month", "unit"], name="closed_month_unit_unique")]
        verbose_name = "已关账月份"
        verbose_name_plural = "已关账月份"

    def __str__(self):
        return f"{self.month:%Y-%m}（{self.unit}）"

    @property
    def audit_unit(self):
        return self.unit


class UnitMonthReport(ClosedMonthGuard, models.Model):
    """The unit head's 上报 of a unit's figures for a month."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="month_reports")
    month = models.DateField("月份")
    confirmed_at = models.DateTimeField("上报时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="unit_month_report_unique")]
        verbose_name = "单位月报上报"
        verbose_name_plural = "单位月报上报"

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m} 已上报"

    @property
    def audit_unit(self):
        return self.unit

    def closing_unit(self):
        return self.unit
