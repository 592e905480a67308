"""Each unit's confirmation (上报) of its monthly report (the months closing locks are zhaoshang.closing's)."""

from django.conf import settings
from django.db import models

from zhaoshang.closing.guard import ClosedMonthGuard
from zhaoshang.org.models import ScopedQuerySet


class UnitMonthReport(ClosedMonthGuard, models.Model):
    """The unit head's 上报 of a unit's figures for a month."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="month_reports")
    month = models.DateField("月份")
    confirmed_at = models.DateTimeField("上报时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

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
