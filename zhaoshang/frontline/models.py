"""The front line of investment promotion (招商一线): the lead register's fields on a ledger project, follow-ups,
trips (外出招商), receptions (接待客商), the working-day calendar and each county's deadline rules.

A lead (招商线索) is not a second model: it is a ledger project at 线索 or 在谈, and `LeadProfile` holds what a lead
register keeps besides the ledger's own columns (投资方, 信用代码, 产业链, 计划总投资 as 拟投资额 are the project's).
Trips and receptions belong to the unit that made them (a town, a park, a team, a 驻外联络处) and are scoped
like the ledger: a unit's user reads its own unit's rows, a county's bureau its county's."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from zhaoshang.closing.guard import ClosedMonthGuard
from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.org.scoping import readable_unit_ids


class LeadSource(models.TextChoices):
    OWN = "自主对接", "自主对接"
    BY_INVESTOR = "以商招商", "以商招商"
    AGENCY = "中介机构", "中介机构"
    LIAISON = "驻外联络处", "驻外联络处"
    EVENT = "平台活动", "平台活动"
    ABOVE = "上级推送", "上级推送"
    OTHER = "其他", "其他"


class Judgement(models.TextChoices):
    PENDING = "", "待研判"
    VALID = "有效", "有效"
    REJECTED = "不予跟进", "不予跟进"


class ProjectRowQuerySet(ScopedQuerySet):
    """Rows of a ledger project (its lead register, its follow-ups): read by whoever reads the project, through its
    责任单位 or its team; written through its 责任单位."""

    unit_field = "project__responsible_unit"

    def readable_by(self, user):
        ids = readable_unit_ids(user)
        return self.filter(Q(project__responsible_unit_id__in=ids) | Q(project__team_id__in=ids))


class LeadProfile(models.Model):
    """What the lead register keeps of a ledger project that came in as a lead. It stays after the project is
    signed: where a project came from, who answered first and how fast are facts of its history."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="lead", verbose_name="项目"
    )
    registered_on = models.DateField("登记日期")
    source = models.CharField("线索来源", max_length=10, choices=LeadSource.choices, default=LeadSource.OWN)
    referrer = models.CharField("引荐人", max_length=100, blank=True)
    referrer_contact = models.CharField("引荐人联系方式", max_length=100, blank=True)
    investor_contact = models.CharField("投资方联系人", max_length=50, blank=True)
    investor_phone = models.CharField("投资方联系电话", max_length=30, blank=True)
    land_need = models.CharField("用地需求", max_length=200, blank=True)
    energy_need = models.CharField("用能需求", max_length=200, blank=True)
    environment_need = models.CharField("环境需求", max_length=200, blank=True)
    summary = models.TextField("项目概况", blank=True)
    first_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首问负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_asked_leads",
    )
    first_responsible_on = models.DateField("首问负责人确定日期", null=True, blank=True)
    judgement = models.CharField("研判结果", max_length=4, choices=Judgement.choices, blank=True, default="")
    judged_on = models.DateField("研判日期", null=True, blank=True)
    judgement_reason = models.CharField("研判意见", max_length=200, blank=True)
    referrer_told_on = models.DateField("告知引荐方日期", null=True, blank=True)
    # 首报首谈: set when, at entry, another unit already held a lead or project of the same investor; the entering
    # unit is told only that, and the bureau decides who keeps it (frontline/services.py lead_settle_claim).
    claim_conflict = models.ForeignKey(
        "projects.Project",
        verbose_name="疑似重复的项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claim_settled_on = models.DateField("首报首谈认定日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        verbose_name = "招商线索"
        verbose_name_plural = "招商线索"
        indexes = [models.Index(fields=["registered_on"]), models.Index(fields=["judgement", "registered_on"])]

    def __str__(self):
        return str(self.project)

    @property
    def audit_unit(self):
        return self.project.responsible_unit


class FollowUpWay(models.TextChoices):
    PHONE = "电话", "电话"
    VISIT = "拜访", "拜访"
    RECEIVED = "来访", "来访"
    VIDEO = "视频", "视频"
    OTHER = "其他", "其他"


class FollowUp(ClosedMonthGuard, models.Model):
    """跟进记录: one contact with the investor about a lead or project. Dated, so a closed month refuses it."""

    month_field = "on_date"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="followups", verbose_name="项目"
    )
    on_date = models.DateField("日期")
    way = models.CharField("方式", max_length=4, choices=FollowUpWay.choices, default=FollowUpWay.PHONE)
    participants = models.CharField("参加人员", max_length=200, blank=True)
    content = models.TextField("内容")
    next_step = models.CharField("下一步", max_length=200, blank=True)
    next_step_on = models.DateField("下一步日期", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        ordering = ["-on_date", "-id"]
        verbose_name = "跟进记录"
        verbose_name_plural = "跟进记录"
        indexes = [models.Index(fields=["project", "-on_date"])]

    def __str__(self):
        return f"{self.project.code} {self.on_date:%Y-%m-%d} {self.way}"

    @property
    def audit_unit(self):
        return self.project.responsible_unit


class LeaderCategory(models.TextChoices):
    MAIN = "党政主要负责同志", "党政主要负责同志"
    COUNTY = "其他县级领导", "其他县级领导"
    UNIT_HEAD = "部门乡镇负责人", "部门乡镇负责人"
    STAFF = "工作人员", "工作人员"


class Trip(ClosedMonthGuard, models.Model):
    """外出招商 (one 批次): counted in the month of its departure."""

    month_field = "departs_on"

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="trips", verbose_name="单位")
    departs_on = models.DateField("出发日期")
    returns_on = models.DateField("返回日期")
    destination = models.CharField("目的地", max_length=100)
    leader = models.CharField("带队领导", max_length=50)
    leader_category = models.CharField("领导类别", max_length=10, choices=LeaderCategory.choices)
    people = models.PositiveSmallIntegerField(
        "参加人数", validators=[MinValueValidator(1), MaxValueValidator(500)], default=1
    )
    visited_count = models.PositiveSmallIntegerField("拜访企业数", validators=[MaxValueValidator(1000)], default=0)
    # The enterprises by name, one a line (a 信用代码 after the name where known); `visited_count` counts at least
    # these (a sheet brings only the number).
    visited = models.TextField("拜访企业", blank=True)
    outcome = models.TextField("接洽成果", blank=True)
    leads = models.ManyToManyField("projects.Project", blank=True, related_name="trips", verbose_name="形成的线索")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-departs_on", "-id"]
        verbose_name = "外出招商"
        verbose_name_plural = "外出招商"
        indexes = [models.Index(fields=["unit", "departs_on"]), models.Index(fields=["departs_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(returns_on__gte=models.F("departs_on")),
                name="trip_returns_after_departure",
                violation_error_message="返回日期不能早于出发日期",
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.departs_on:%Y-%m-%d} {self.destination}"

    def closing_unit(self):
        return self.unit

    @property
    def audit_unit(self):
        return self.unit

    @property
    def days(self) -> int:
        """Days away, both dates included (人天 = 参加人数 × days)."""
        return (self.returns_on - self.departs_on).days + 1


class Reception(ClosedMonthGuard, models.Model):
    """接待客商 (one 批次): a visiting company received by a unit."""

    month_field = "on_date"

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="receptions", verbose_name="单位")
    on_date = models.DateField("日期")
    company = models.CharField("来访企业", max_length=200)
    visitors = models.CharField("来访人员", max_length=200, blank=True)
    purpose = models.CharField("事由", max_length=200, blank=True)
    result = models.TextField("成果", blank=True)
    leads = models.ManyToManyField("projects.Project", blank=True, related_name="receptions", verbose_name="形成的线索")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-on_date", "-id"]
        verbose_name = "接待客商"
        verbose_name_plural = "接待客商"
        indexes = [models.Index(fields=["unit", "on_date"]), models.Index(fields=["on_date"])]

    def __str__(self):
        return f"{self.unit} {self.on_date:%Y-%m-%d} {self.company}"

    def closing_unit(self):
        return self.unit

    @property
    def audit_unit(self):
        return self.unit


class CalendarDay(models.Model):
    """A county's correction of the national working-day calendar: a day that is (or is not) a working day,
    against what the `chinese-calendar` package says (or, for a year it does not know yet, against Monday to
    Friday). Each county keeps its own, so one county's local holiday never moves another's deadlines."""

    root = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="所属单位")
    day = models.DateField("日期")
    is_workday = models.BooleanField("工作日")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        constraints = [models.UniqueConstraint(fields=["root", "day"], name="calendar_day_unique")]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"

    @property
    def audit_unit(self):
        return self.root


class LeadRules(models.Model):
    """A county's deadlines for leads (defaults: a city's published rule). Working days where it says so."""

    root = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="所属单位")
    first_responsible_workdays = models.PositiveSmallIntegerField(
        "确定首问负责人（工作日）", default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    judgement_workdays = models.PositiveSmallIntegerField(
        "完成研判（工作日）", default=3, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    referrer_days = models.PositiveSmallIntegerField(
        "告知引荐方（自然日）", default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    followup_days = models.PositiveSmallIntegerField(
        "跟进间隔（自然日）", default=14, validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    reassign_days = models.PositiveSmallIntegerField(
        "无跟进可调整责任单位（自然日）", default=60, validators=[MinValueValidator(7), MaxValueValidator(730)]
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "线索办理时限"
        verbose_name_plural = "线索办理时限"

    def __str__(self):
        return f"{self.root} 线索办理时限"

    @property
    def audit_unit(self):
        return self.root
