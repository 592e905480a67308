"""Units (单位) in a tree, assessment groups (考核组), users and their memberships with a role each."""

import operator
from functools import reduce

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class UnitKind(models.TextChoices):
    CITY = "市", "市"
    COUNTY = "县区", "县区"
    TOWN = "乡镇", "乡镇"
    STREET = "街道", "街道"
    PARK = "园区", "园区"
    DEPARTMENT = "部门", "部门"
    TEAM = "招商小分队", "招商小分队"
    LIAISON = "驻外联络处", "驻外联络处"


# The professional investment-promotion forces (专业招商队伍): 招商小分队 and 驻外招商联络处. They are credited with
# projects (a project's `team`) and keep their own trips, visits and receptions, but hold no ledger of their own:
# they do not 上报, are not ranked among the towns and parks, and take no targets of the towns' kind.
TEAM_KINDS = frozenset({UnitKind.TEAM, UnitKind.LIAISON})


class Role(models.TextChoices):
    REPORTER = "reporter", "填报员"
    UNIT_HEAD = "unit_head", "单位负责人"
    BUREAU_ADMIN = "bureau_admin", "主管部门管理员"
    LEADER = "leader", "领导"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    AUDITOR = "auditor", "审计员"


# Roles that read business data (projects, monthly figures) in their units' subtrees.
BUSINESS_READ_ROLES = {Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU_ADMIN, Role.LEADER}


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    # Set when the account is given a password by someone else (created with an initial password, or reset by
    # the system admin); until the user chooses its own, every page sends it to the password change page.
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def audit_unit(self):
        """The unit an entry about this account is filed under (its membership highest in the tree), so that a
        county's auditor finds its own county's accounts."""
        membership = self.memberships.select_related("unit").order_by("unit__path").first() if self.pk else None
        return membership.unit if membership else None


class AssessmentGroup(models.Model):
    """Units are ranked only against their own group. A group belongs to a unit (a county, or the root) whose
    bureau sets its red and black list quotas; in a city install each county has groups of its own."""

    name = models.CharField("考核组", max_length=50)
    owner = models.ForeignKey(
        "Unit", verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_groups"
    )
    red_top_n = models.PositiveSmallIntegerField("红榜名额（前N名）", default=3)
    black_bottom_m = models.PositiveSmallIntegerField("黑榜名额（后M名）", default=2)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="group_owner_name_unique")]
        verbose_name = "考核组"
        verbose_name_plural = "考核组"

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.owner


def subtree_q(units, field: str = "") -> Q:
    """Rows placed (through `field`, "" for units themselves) in one of `units`' subtrees, each unit included;
    nothing when `units` is empty. The one place a materialised-path prefix is written."""
    prefix = f"{field}__" if field else ""
    queries = [Q(**{f"{prefix}path__startswith": unit.path}) for unit in units]
    return reduce(operator.or_, queries) if queries else Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    """The scoping vocabulary of every model placed in the unit tree through `unit_field` ("" for Unit itself):
    `readable_by(user)`, `writable_by(user)` (the unit id sets of org.scoping, cached per request) and
    `under(*units)` (their subtrees, each unit included). A model placed through more than one unit (a project's
    team, a problem's department) overrides `readable_by`."""

    unit_field = "unit"

    def _in_units(self, ids):
        return self.filter(**{f"{self.unit_field}_id__in" if self.unit_field else "pk__in": ids})

    def readable_by(self, user):
        from zhaoshang.org.scoping import readable_unit_ids  # noqa: PLC0415  scoping reads these models

        return self._in_units(readable_unit_ids(user))

    def writable_by(self, user):
        from zhaoshang.org.scoping import editable_unit_ids  # noqa: PLC0415  scoping reads these models

        return self._in_units(editable_unit_ids(user))

    def under(self, *units):
        return self.filter(subtree_q(units, self.unit_field))


def in_force_q(month, prefix: str = "") -> Q:
    """Units counted in `month` (the first day of a month): switched on, and within their effective months."""
    return (
        Q(**{f"{prefix}is_active": True})
        & (Q(**{f"{prefix}effective_from__isnull": True}) | Q(**{f"{prefix}effective_from__lte": month}))
        & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": month}))
    )


class UnitQuerySet(ScopedQuerySet):
    unit_field = ""

    def active_in(self, month):
        """The units that count in `month`: in totals of units, team counts, rankings, the units that must report,
        reminders and the bulletin's counts. A team set up in December does not count in January before it."""
        return self.filter(in_force_q(month))


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=10, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    group = models.ForeignKey(
        AssessmentGroup, verbose_name="考核组", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    # The months a unit counts in (first day of the month, both included); empty: always. A unit set up or
    # merged away mid-year counts in the units, teams, rankings and reporting of its own months only; the
    # figures of its projects stay in its parent's subtree whatever the month.
    effective_from = models.DateField(
        "起始月份", null=True, blank=True, help_text="从该月起计入单位数、排名和应上报单位；留空表示一直计入"
    )
    effective_to = models.DateField(
        "截止月份", null=True, blank=True, help_text="计入到该月为止（含该月）；留空表示一直计入"
    )
    # Materialised path "/1/4/17/": a subtree is one indexed prefix query, at every depth.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def clean(self):
        # Months are kept as their first day, whatever day a form or a sheet gave.
        self.effective_from = self.effective_from and self.effective_from.replace(day=1)
        self.effective_to = self.effective_to and self.effective_to.replace(day=1)
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "截止月份不能早于起始月份"})

    def active_in(self, month) -> bool:
        """Unit.objects.active_in for a unit already read: does it count in `month`?"""
        return (
            self.is_active
            and (self.effective_from is None or self.effective_from <= month)
            and (self.effective_to is None or self.effective_to >= month)
        )

    @property
    def effective_months(self) -> str:
        """The months it counts in, in words ("" when always)."""
        if not (self.effective_from or self.effective_to):
            return ""
        start = f"{self.effective_from.year}年{self.effective_from.month}月" if self.effective_from else ""
        end = f"{self.effective_to.year}年{self.effective_to.month}月" if self.effective_to else ""
        if start and end:
            return f"{start}至{end}"
        return f"{start}起" if start else f"截至{end}"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="账号")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name="单位")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_user_unit_unique")]
        verbose_name = "单位角色"
        verbose_name_plural = "单位角色"

    def __str__(self):
        return f"{self.user} @ {self.unit}（{self.get_role_display()}）"


class LoginLockout(AccessAttempt):
    """django-axes's failed sign-ins, under a Chinese name in the system admin's pages (a proxy: no table)."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"


class DataChange(models.Model):
    """One row per write that changes what the cached pages show (the dashboard, the draft bulletin), for the top
    branch of the tree it happened in: the newest id over the branches that cover a unit is the version its
    cached pages are keyed by (org/versions.py). Insert-only: a writer never waits on another's row."""

    id = models.BigAutoField(primary_key=True)
    # The unit just below the root of the tree (a county in a city install), or the root itself. No constraint
    # in the database: an insert then takes no lock on the unit's row, and these rows outlive nothing they name.
    branch = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["branch", "id"], name="datachange_branch_id")]
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"
