"""A project's approval steps (前期手续): 立项/备案, 用地预审, 环评, … 施工许可, and any custom ones."""

from django.db import models
from django.db.models import Q

from zhaoshang.construction import rules
from zhaoshang.core.formats import light_label
from zhaoshang.core.periods import today
from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.org.scoping import readable_department_ids, reads_whole_tree
from zhaoshang.projects.models import Project, Stage


class ApprovalStepQuerySet(ScopedQuerySet):
    """Placed by its project's responsible unit (`under`); read also by the step's department."""

    unit_field = "project__responsible_unit"

    def readable_by(self, user):
        """Steps of the projects the user may read, plus the steps assigned to its units (a department's user
        sees the steps it handles, on any project, and no other step of those projects)."""

        # The OR of the two makes the database read every step; each half alone is an index's question. So
        # the root's readers (every step) ask neither, and the users that read no 部门 (a town's) only the first.
        if reads_whole_tree(user):
            return self.all()
        readable = Q(project__in=Project.objects.readable_by(user).values("pk"))
        departments = readable_department_ids(user)
        return self.filter(readable | Q(department_id__in=departments) if departments else readable)

    def with_status(self, status: str):
        if status == rules.DONE:
            return self.exclude(done_on=None)
        if status == rules.IN_PROGRESS:
            return self.filter(done_on=None).exclude(filed_on=None)
        if status == rules.NOT_STARTED:
            return self.filter(done_on=None, filed_on=None)
        return self

    def overdue(self, day):
        """Not done and past the planned date on `day`; a dropped project's steps no longer need chasing."""

        return self.filter(done_on=None, planned_on__lt=day).exclude(project__stage=Stage.DROPPED)


class ApprovalStep(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="approval_steps"
    )
    name = models.CharField("手续名称", max_length=rules.NAME_MAX)
    sort_order = models.PositiveSmallIntegerField("顺序", default=0)
    department = models.ForeignKey(
        "org.Unit",
        verbose_name="办理部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "部门"},
        related_name="approval_steps",
    )
    planned_on = models.DateField("计划办结日期", null=True, blank=True)
    # The day the application was filed (申报/受理): the start of the time the department took.
    # Not "started_on", which the audit log already reads as a project's 开工日期.
    filed_on = models.DateField("申报日期", null=True, blank=True)
    done_on = models.DateField("办结日期", null=True, blank=True)
    note = models.CharField("备注", max_length=rules.NOTE_MAX, blank=True)
    # Derived and stored, so the per-department summary is a plain AVG/MAX in the database on every backend.
    days_taken = models.PositiveIntegerField("办理用时(天)", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ApprovalStepQuerySet.as_manager()

    class Meta:
        ordering = ["project", "sort_order", "id"]
        verbose_name = "前期手续"
        verbose_name_plural = "前期手续"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="approval_step_project_name_unique",
                violation_error_message="本项目已有同名手续",
            )
        ]
        indexes = [
            models.Index(fields=["department", "done_on"]),
            models.Index(fields=["done_on", "planned_on"]),
            # The list reads open steps (overdue, in progress, not started) in planned order, and the summary
            # counts them: a partial index on the open ones only, a fraction of all steps once a city has years
            # of them; the done ones in planned order from the second.
            models.Index(fields=["planned_on"], condition=Q(done_on=None), name="approval_step_open_planned"),
            models.Index(fields=["planned_on"], name="approval_step_planned"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.name}" if self.project_id else self.name

    def save(self, *args, **kwargs):
        self.days_taken = rules.days_taken(self.filed_on, self.done_on)
        super().save(*args, **kwargs)

    @property
    def audit_unit(self):
        return self.project.responsible_unit

    @property
    def status(self) -> str:
        return rules.status(self.filed_on, self.done_on)

    @property
    def days_overdue(self) -> int:

        if self.project.stage == Stage.DROPPED:
            return 0
        return rules.days_overdue(self.planned_on, self.done_on, today())

    @property
    def light(self) -> str | None:
        return rules.light(self.days_overdue)

    @property
    def light_label(self) -> str:
        return light_label(self.light, none="")

    @property
    def done_late(self) -> bool:
        return rules.done_late(self.planned_on, self.done_on)

    @property
    def days_elapsed(self) -> int | None:
        """For a step in progress: days since filing (how long the department has had it so far)."""
        if self.filed_on and not self.done_on:
            return (today() - self.filed_on).days
        return None

    @property
    def is_standard(self) -> bool:
        return self.name in rules.STANDARD_ORDER
