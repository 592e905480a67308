"""Dispatch meetings (调度会): an agenda drafted from what needs clearing, a decision per item with an owner and a
deadline, and the tasks those decisions become, followed up at the next meeting."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.org.scoping import readable_unit_ids


class MeetingStatus(models.TextChoices):
    PREPARING = "筹备中", "筹备中"
    CLOSED = "已结束", "已结束"


class ItemKind(models.TextChoices):
    CARRIED = "上次议定", "上次会议议定事项"
    PROBLEM = "问题", "待协调问题"
    APPROVAL = "手续", "逾期前期手续"
    BEHIND = "滞后", "进度滞后的重点项目"
    LATE_START = "未开工", "签约超期未开工的项目"
    STALLED = "停滞", "长期没有阶段变化的项目"
    OTHER = "其他", "其他事项"


# The agenda's order: first what the last meeting decided, then today's business.
KIND_ORDER = [
    ItemKind.CARRIED,
    ItemKind.PROBLEM,
    ItemKind.APPROVAL,
    ItemKind.BEHIND,
    ItemKind.LATE_START,
    ItemKind.STALLED,
    ItemKind.OTHER,
]


class DispatchMeeting(models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name="召开单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("会议名称", max_length=100)
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=100, blank=True)
    chair = models.CharField("主持人", max_length=50, blank=True)
    attendees = models.TextField("参会单位和人员", blank=True)
    summary = models.TextField("会议纪要导语", blank=True)
    status = models.CharField("状态", max_length=4, choices=MeetingStatus.choices, default=MeetingStatus.PREPARING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "调度会"
        verbose_name_plural = "调度会"

    def __str__(self):
        return self.title

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("类别", max_length=4, choices=ItemKind.choices)
    sort_order = models.PositiveIntegerField("顺序", default=0)
    title = models.CharField("议题", max_length=200)
    detail = models.TextField("情况", blank=True)
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(
        "coordination.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_step = models.ForeignKey(
        "construction.ApprovalStep", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    carried_task = models.ForeignKey(
        "coordination.MeetingTask", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_up_in"
    )

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "议题"
        verbose_name_plural = "议题"

    def __str__(self):
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "未完成", "未完成"
    DONE = "已完成", "已完成"


class MeetingTaskQuerySet(ScopedQuerySet):
    unit_field = "owner"

    def readable_by(self, user):
        """Tasks owned by a readable unit, and the tasks of meetings held by one."""
        ids = readable_unit_ids(user)
        return self.filter(Q(owner_id__in=ids) | Q(meeting__unit_id__in=ids))


class MeetingTask(models.Model):
    """What the meeting decided on one agenda item: who does it by when. Tracked until done."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="task")
    meeting = models.ForeignKey(DispatchMeeting, on_delete=models.CASCADE, related_name="tasks")
    decision = models.TextField("议定事项")
    owner = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("完成时限")
    status = models.CharField("状态", max_length=4, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.TextField("完成情况", blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = MeetingTaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"

    def __str__(self):
        return f"{self.meeting.title}：{self.decision[:40]}"

    @property
    def audit_unit(self):
        return self.owner

    def is_overdue(self, today) -> bool:
        return self.status == TaskStatus.OPEN and self.deadline < today
