"""观摩评比: an on-site observation (观摩活动) whose projects judges score on a phone, criterion by criterion.

An event belongs to the bureau that organises it (`owner`: a county, or the root for a city's own 观摩). It visits
projects of the owner's subtree (`Visit`, in the route's order; each keeps the responsible unit it had when it was
added and an optional weight, the share of that project in its unit's result). Judges are accounts given the judge
role for that event only (`Judge.user`), or names the bureau enters (`Judge.user` empty: the bureau types that
judge's scores). A score is judge × project × criterion, 0 ≤ score ≤ the criterion's full marks, one decimal.

Scoring happens only while the event is 评分中; a judge's sheet is locked once submitted (the bureau may reopen it,
audited); once 已结束 the event and its results are frozen (results.py computes them; a scheme reads them through
the `observation:NAME` source)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    PREPARING = "筹备", "筹备"
    SCORING = "评分中", "评分中"
    CLOSED = "已结束", "已结束"


class Event(models.Model):
    owner = models.ForeignKey("org.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("活动名称", max_length=60, help_text="例如 2024年上半年项目观摩")
    date = models.DateField("观摩日期")
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)], help_text="考核方案按年度引用本活动"
    )
    status = models.CharField("状态", max_length=4, choices=Status.choices, default=Status.PREPARING)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "观摩活动"
        verbose_name_plural = "观摩活动"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name", "year"],
                name="observation_event_owner_name_year",
                violation_error_message="本单位本年度已有同名观摩活动",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.owner

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_scoring(self) -> bool:
        return self.status == Status.SCORING


class Criterion(models.Model):
    event = models.ForeignKey(Event, verbose_name="观摩活动", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项目", max_length=30)
    full_marks = models.DecimalField(
        "满分", max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    position = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = "评分项目"
        verbose_name_plural = "评分项目"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="observation_criterion_unique",
                violation_error_message="已有同名评分项目",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.full_marks}分）"

    @property
    def audit_unit(self):
        return self.event.owner


class Judge(models.Model):
    event = models.ForeignKey(Event, verbose_name="观摩活动", on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评委账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observation_judgings",
    )
    name = models.CharField("评委姓名", max_length=50)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    position = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = "评委"
        verbose_name_plural = "评委"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="observation_judge_user_unique",
                violation_error_message="该账号已是本活动的评委",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.event.owner

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Visit(models.Model):
    """A project on the route. `unit` is the project's responsible unit when it was added: the unit the result
    is credited to, whatever happens to the project later."""

    event = models.ForeignKey(Event, verbose_name="观摩活动", on_delete=models.CASCADE, related_name="visits")
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(
        "权重",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="该项目在本单位结果中的占比；留空则本单位各项目平均",
    )
    position = models.PositiveSmallIntegerField("路线顺序", default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = "观摩项目"
        verbose_name_plural = "观摩项目"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "project"],
                name="observation_visit_unique",
                violation_error_message="该项目已在观摩路线中",
            )
        ]

    def __str__(self):
        return str(self.project)

    @property
    def audit_unit(self):
        return self.event.owner


class Score(models.Model):
    judge = models.ForeignKey(Judge, verbose_name="评委", on_delete=models.CASCADE, related_name="scores")
    visit = models.ForeignKey(Visit, verbose_name="观摩项目", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name="评分项目", on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("得分", max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["judge", "visit", "criterion"], name="observation_score_unique")]

    def __str__(self):
        return f"{self.judge} {self.visit} {self.criterion.name} {self.value}"

    @property
    def audit_unit(self):
        return self.judge.event.owner
