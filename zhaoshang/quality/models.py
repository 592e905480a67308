"""数据质量: the flags the anomaly rules raise on the ledger's figures, and each install's rule settings.

A flag is keyed by its rule, its project (or its unit for the unit-wide rules) and its month, so a rerun finds the
flag it raised before instead of raising it again (`key`, unique). Its life: 待说明 when raised; the unit writes a
说明 (已说明); the bureau closes it with a note (已关闭); a 待说明 flag whose condition no longer holds on a rerun (the
figure was corrected) becomes 已更正 by itself, and is 待说明 again should the condition come back."""

from django.conf import settings
from django.db import models

from zhaoshang.org.models import ScopedQuerySet


class Rule(models.TextChoices):
    OVER_CONTRACT = "over_contract", "到位资金超协议资金或计划总投资"
    OUTSIDE_LIFE = "outside_life", "签约前或终止后仍有到位资金"
    SPIKE = "spike", "单月到位资金畸高"
    PERIOD_END = "period_end", "期末月数据突增"
    START_BEFORE_PERMIT = "start_before_permit", "开工早于施工许可办结"
    SAME_INVESTOR = "same_investor", "同一投资方年内多次签约"
    QUICK_DROP = "quick_drop", "签约后短期内终止"
    ROUND_AMOUNTS = "round_amounts", "整月到位资金均为整数"


class FlagStatus(models.TextChoices):
    OPEN = "open", "待说明"
    EXPLAINED = "explained", "已说明"
    CLOSED = "closed", "已关闭"
    CORRECTED = "corrected", "已更正"


# The statuses that still ask for someone's attention (counted per unit, listed in the 点评 material).
PENDING = (FlagStatus.OPEN, FlagStatus.EXPLAINED)


class FlagQuerySet(ScopedQuerySet):
    unit_field = "unit"


class Flag(models.Model):
    rule = models.CharField("规则", max_length=24, choices=Rule.choices)
    key = models.CharField(max_length=80, unique=True, editable=False)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quality_flags",
    )
    month = models.DateField("月份", null=True, blank=True)  # the month (or the year's January) it is about
    detail = models.CharField("情况", max_length=500)
    status = models.CharField("状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    explanation = models.CharField("说明", max_length=500, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField("说明时间", null=True, blank=True)
    close_note = models.CharField("关闭意见", max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "数据质量提示"
        verbose_name_plural = "数据质量提示"
        indexes = [
            models.Index(fields=["unit", "status"], name="quality_flag_unit_status"),
            models.Index(fields=["project", "status"], name="quality_flag_project_status"),
            models.Index(fields=["status", "rule"], name="quality_flag_status_rule"),
        ]

    def __str__(self):
        return f"{self.get_rule_display()} {self.detail[:40]}"

    @property
    def audit_unit(self):
        return self.unit


class RuleSetting(models.Model):
    """One rule's setting for an install (its root unit). No row: the rule's defaults (quality/thresholds.py).
    Which of the three values a rule reads, and their limits, is in thresholds.RULES."""

    root = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField("规则", max_length=24, choices=Rule.choices)
    enabled = models.BooleanField("启用", default=True)
    ratio = models.DecimalField("倍数", max_digits=8, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField("个数", null=True, blank=True)
    amount = models.DecimalField("金额(万元)", max_digits=16, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "数据质量规则设置"
        verbose_name_plural = "数据质量规则设置"
        constraints = [models.UniqueConstraint(fields=["root", "rule"], name="quality_rule_setting_unique")]

    def __str__(self):
        return self.get_rule_display()

    @property
    def audit_unit(self):
        return self.root
