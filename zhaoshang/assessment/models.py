"""考核方案 (assessment schemes) as a county publishes them: a name, a year, the month they are scored at, the units
they assess, and items, each with its points (分值) and a rule that turns figures into a score. The figures come
from named sources (assessment/sources.py): the ledger's indicators and targets, figures the bureau enters per
unit (`InputValue`), a 观摩's result, the typical cases and the training hours.

A scheme belongs to the bureau that wrote it (`owner`: a county, or the root for a city's own scheme). Its result
is computed on demand while it is a draft; publishing freezes the computed result as a `Publication`, and a
correction after that is a new, audited version, never an edit of the published one."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class Rule(models.TextChoices):
    RATIO = "ratio", "完成率计分"
    RATIO_MIX = "ratio_mix", "多项完成率加权"
    COUNT_POINTS = "count_points", "按个数加分"
    DEDUCT = "deduct", "按个数扣分"
    QUOTA = "quota", "保底个数扣分"
    OVER_TARGET = "over_target", "超额加分"
    EFFICACY = "efficacy", "功效系数法"
    TIERS = "tiers", "分档计分"
    JUDGES = "judges", "观摩评比折算"


# The keys an item may carry besides name, points and rule (the JSON file's contract, README 考核方案文件).
PARAM_KEYS = (
    "actual",
    "target",
    "cap",
    "parts",
    "counts",
    "bands",
    "base",
    "floor",
    "max",
    "each_missing",
    "per_point",
    "tiers",
    "of",
)


class Scheme(models.Model):
    owner = models.ForeignKey("org.Unit", verbose_name="制定单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("方案名称", max_length=100)
    year = models.PositiveSmallIntegerField("考核年度")
    # The month the scheme is scored at (its first day): figures are the units' 1–M累计 of that month.
    period = models.DateField("考核期")
    # The units assessed: every unit of an assessment group, or (group empty) the units listed.
    group = models.ForeignKey(
        "org.AssessmentGroup",
        verbose_name="考核组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    units = models.ManyToManyField("org.Unit", verbose_name="考核单位", blank=True, related_name="+")
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name", "year"], name="assessment_scheme_owner_name_year")
        ]
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"

    def __str__(self):
        return f"{self.year}年{self.name}"

    @property
    def audit_unit(self):
        return self.owner


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("考核项目", max_length=100)
    points = models.DecimalField("分值", max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    rule = models.CharField("计分规则", max_length=20, choices=Rule.choices)
    # The rule's keys (PARAM_KEYS) exactly as the scheme file writes them, e.g. {"actual": "indicator:XX",
    # "target": "target:XX", "cap": 1.2}; numbers are kept as the file's strings or numbers and read as Decimal.
    params = models.JSONField("计分参数", default=dict, blank=True)

    class Meta:
        ordering = ["scheme", "position", "id"]
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.scheme.owner


class InputValue(models.Model):
    """A figure the bureau enters or imports per unit for what the ledger does not hold (`input:NAME`), e.g.
    省外新增实际投资 from the provincial system. Sheet kind `assessment_inputs` (考核数据)."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="inputs")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("指标", max_length=50)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["scheme", "unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit", "name"], name="assessment_input_scheme_unit_name")
        ]
        verbose_name = "考核数据"
        verbose_name_plural = "考核数据"

    def __str__(self):
        return f"{self.unit} {self.name}"

    @property
    def audit_unit(self):
        return self.scheme.owner


class Publication(models.Model):
    """A published result, frozen: the score JSON of `manage.py assessment score` as it stood when published, and
    the scheme file it was scored with. Version 1 is the first publication; each correction adds the next."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveSmallIntegerField("版本")
    result = models.JSONField("考核结果")
    scheme_file = models.JSONField("方案")
    reason = models.TextField("更正说明", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="assessment_publication_scheme_version")
        ]
        verbose_name = "考核结果发布"
        verbose_name_plural = "考核结果发布"

    def __str__(self):
        return f"{self.scheme}（第{self.version}版）"

    @property
    def audit_unit(self):
        return self.scheme.owner
