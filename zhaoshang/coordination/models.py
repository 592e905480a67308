"""The problem list (问题清单): what a project's unit needs help with, who was asked, and every step taken."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.org.scoping import readable_unit_ids


class Category(models.TextChoices):
    LAND = "用地", "用地"
    APPROVAL = "审批", "审批"
    FUNDING = "资金", "资金"
    UTILITIES = "水电路气", "水电路气"
    LABOUR = "用工", "用工"
    OTHER = "其他", "其他"


class Status(models.TextChoices):
    RAISED = "待分派", "待分派"
    ASSIGNED = "办理中", "办理中"
    ANSWERED = "已办结待确认", "已办结待确认"
    CLOSED = "已销号", "已销号"


# States in which a department owes an answer or the raising unit a confirmation: what can fall overdue.
PENDING_STATUSES = (Status.ASSIGNED, Status.ANSWERED)


class Action(models.TextChoices):
    RAISED = "raised", "反映问题"
    ASSIGNED = "assigned", "分派"
    REASSIGNED = "reassigned", "改派"
    ANSWERED = "answered", "办结答复"
    RETURNED = "returned", "退回重办"
    CLOSED = "closed", "确认销号"
    ESCALATED = "escalated", "逾期提请督办"


class ProblemQuerySet(ScopedQuerySet):
    """Placed by its project's responsible unit (`under`); read also by the project's team and the department."""

    unit_field = "project__responsible_unit"

    def readable_by(self, user):
        """Problems of the projects the user may read, and those assigned to a department among its units.
        A department therefore sees what it was asked to handle, and nothing else of other units."""

        ids = readable_unit_ids(user)
        return self.filter(
            Q(project__responsible_unit_id__in=ids) | Q(project__team_id__in=ids) | Q(department_id__in=ids)
        )

    def open(self):
        return self.exclude(status=Status.CLOSED)

    def overdue(self, today):
        return self.filter(status__in=PENDING_STATUSES, deadline__lt=today)


class Problem(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="problems"
    )
    category = models.CharField("问题类别", max_length=8, choices=Category.choices)
    description = models.TextField("问题描述", max_length=2000)
    help_wanted = models.TextField("需要协调解决的事项", max_length=1000, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.RAISED)
    department = models.ForeignKey(
        "org.Unit",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_problems",
        limit_choices_to={"kind": "部门"},
    )
    deadline = models.DateField("办理时限", null=True, blank=True)
    answer = models.TextField("办理答复", max_length=2000, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="反映人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("反映时间", default=timezone.now)
    assigned_at = models.DateTimeField("分派时间", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    escalated_at = models.DateTimeField("提请督办时间", null=True, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["department", "status"]),
        ]

    def __str__(self):
        return f"{self.project.code} {self.category}问题#{self.pk}"

    @property
    def audit_unit(self):
        return self.project.responsible_unit


class ProblemEventIsAppendOnly(Exception):
    pass


class ProblemEvent(models.Model):
    """One step of a problem's handling: who, when, what, from which state to which. Only ever appended."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)
    from_status = models.CharField("原状态", max_length=8, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=8, choices=Status.choices)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "问题处理记录"
        verbose_name_plural = "问题处理记录"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ProblemEventIsAppendOnly("问题处理记录只能追加，不能修改")
        super().save(*args, **kwargs)


# Dispatch meetings live in their own module; imported here so Django finds them in this app.
from zhaoshang.coordination.meeting_models import (  # noqa: E402, F401
    AgendaItem,
    DispatchMeeting,
    MeetingTask,
)
