"""宣传与培训: the typical cases (典型案例) a unit gets published, and the training sessions (培训) the bureau holds.

A case is credited to a unit (`unit`) and scoped like the ledger: the unit's writers (its reporters, the unit heads
and the bureau above it) write it, everyone who reads the unit reads it. Its photos are stored through Django's
default storage and served only by outreach's photo view after the reader's scope is checked.

A training session belongs to the bureau that holds it (`owner`, the bureau's unit); everyone in the owner's
subtree reads it, its bureau writes it. Each attendance keeps the unit the attendee belonged to on the day it was
recorded, so the hours stay with that unit when the account moves later."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from zhaoshang.org.models import ScopedQuerySet


class CaseLevel(models.TextChoices):
    CENTRAL = "中央", "中央"
    PROVINCE = "省级", "省级"
    CITY = "市级", "市级"
    COUNTY = "县级", "县级"


class TypicalCase(models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容", blank=True)
    projects = models.ManyToManyField("projects.Project", verbose_name="关联项目", blank=True, related_name="+")
    media = models.CharField("刊发媒体", max_length=100)
    level = models.CharField("媒体级别", max_length=4, choices=CaseLevel.choices)
    published_on = models.DateField("刊发日期")
    link = models.URLField("链接", max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["published_on"], name="outreach_case_published")]
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"

    def __str__(self):
        return self.title

    @property
    def audit_unit(self):
        return self.unit


class CasePhoto(models.Model):
    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="photos", verbose_name="典型案例")
    image = models.FileField("照片", upload_to="outreach/%Y/%m/")
    caption = models.CharField("说明", max_length=100, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "案例照片"
        verbose_name_plural = "案例照片"

    @property
    def audit_unit(self):
        return self.case.unit


class SessionQuerySet(ScopedQuerySet):
    unit_field = "owner"


class TrainingSession(models.Model):
    owner = models.ForeignKey("org.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("培训日期")
    topic = models.CharField("培训主题", max_length=200)
    organiser = models.CharField("主办方", max_length=100)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, validators=[MinValueValidator(0)])
    place = models.CharField("地点", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "培训"
        verbose_name_plural = "培训"

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def audit_unit(self):
        return self.owner


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances", verbose_name="培训"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="参训人"
    )
    # The attendee's unit when the attendance was recorded: the hours stay with it if the account moves.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="所在单位")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "user__username"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="outreach_attendance_once")]
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"

    @property
    def audit_unit(self):
        return self.session.owner
