"""Targets, campaigns and economic indicators (the monthly totals that rankings read are the ledger's: projects)."""

from django.core.validators import MinValueValidator
from django.db import models

from zhaoshang.closing.guard import ClosedMonthGuard
from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.projects.indicators import INDICATORS, TARGETED

INDICATOR_CHOICES = [(i.code, i.name) for i in INDICATORS]
TARGET_CHOICES = [(i.code, i.name) for i in TARGETED]


class Target(models.Model):
    """A unit's annual target for one indicator. `monthly` optionally splits it: twelve cumulative shares of
    the year (e.g. the share due by the end of each month); without it 序时进度 is linear, M/12."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="targets", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    indicator = models.CharField("指标", max_length=40, choices=TARGET_CHOICES)
    value = models.DecimalField("目标值", max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])
    monthly = models.JSONField("按月分解（累计占比）", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "indicator"], name="target_unique")]
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"

    @property
    def audit_unit(self):
        return self.unit

    def __str__(self):
        return f"{self.unit} {self.year}年 {self.get_indicator_display()}"


class Campaign(models.Model):
    """A campaign such as 夏季攻势: its own window (whole months) and its own targets per unit."""

    name = models.CharField("活动名称", max_length=60)
    # The unit whose bureau runs the campaign: it applies within that unit's subtree (a county's 夏季攻势 is not
    # its neighbour's), and is shown to the units above it.
    owner = models.ForeignKey(
        "org.Unit", verbose_name="发起单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_month = models.DateField("开始月份")
    end_month = models.DateField("结束月份")
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["-start_month"]
        verbose_name = "专项活动"
        verbose_name_plural = "专项活动"

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.owner


class CampaignTarget(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField("指标", max_length=40, choices=TARGET_CHOICES)
    value = models.DecimalField("目标值", max_digits=18, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "indicator"], name="campaign_target_unique")]

    @property
    def audit_unit(self):
        return self.unit


class EconomicFigure(ClosedMonthGuard, models.Model):
    """A statistics-bureau figure: one region (a county of the city), one month, cumulative, with 同比 growth."""

    region = models.CharField("地区", max_length=50)
    month = models.DateField("月份")
    indicator = models.CharField("指标", max_length=40)
    cumulative = models.DecimalField("累计值", max_digits=18, decimal_places=2)
    growth_pct = models.DecimalField("同比增长(%)", max_digits=8, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "month", "indicator"], name="economic_unique")]
        indexes = [models.Index(fields=["month", "indicator"])]
        verbose_name = "经济指标"
        verbose_name_plural = "经济指标"

    def closing_unit(self):
        """The region's own unit when the install has it (a county of a city install), else the root: a
        county's closing locks its own figures, the root's everyone's."""
        from zhaoshang.progress.economy import region_unit  # noqa: PLC0415  economy reads these models

        return region_unit(self.region)
