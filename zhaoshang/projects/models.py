"""The project ledger (项目台账), its stage history, its monthly figures and the monthly totals it keeps current."""

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from zhaoshang.closing.guard import ClosedMonthGuard
from zhaoshang.core.validators import validate_credit_code
from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.org.scoping import readable_unit_ids, reads_whole_tree

AMOUNT = dict(max_digits=16, decimal_places=2, validators=[MinValueValidator(0)])
FIGURE = dict(max_digits=18, decimal_places=2, default=0)  # a summed total


class FundingType(models.TextChoices):
    DOMESTIC = "内资", "内资"
    FOREIGN = "外资", "外资"


class Stage(models.TextChoices):
    LEAD = "线索", "线索"
    NEGOTIATING = "在谈", "在谈"
    SIGNED = "签约", "签约"
    REGISTERED = "注册", "注册"
    STARTED = "开工", "开工"
    PRODUCING = "投产", "投产"
    DROPPED = "终止", "终止"


# The forward order; 终止 is reachable from any stage but the last and is itself final.
STAGE_ORDER = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING]


class KeyLevel(models.TextChoices):
    PROVINCE = "省重点", "省重点"
    CITY = "市重点", "市重点"
    COUNTY = "县重点", "县重点"


class ProjectQuerySet(ScopedQuerySet):
    """Placed by its responsible unit: `under(unit)` and `writable_by(user)` go by it."""

    unit_field = "responsible_unit"

    def readable_by(self, user):
        """Projects whose responsible unit or investment team lies in the user's readable units. A reader at the
        root reads every project: no filter at all (a city's 161 unit ids twice made its ledger's COUNT scan)."""

        if reads_whole_tree(user):
            return self.all()
        ids = readable_unit_ids(user)
        return self.filter(Q(responsible_unit_id__in=ids) | Q(team_id__in=ids))

    def unit_paths(self) -> dict[int, str]:
        """{project id: its responsible unit's path}, what the closed-month guard needs to know of projects
        (closing.guard.ensure_project_months_open: month closing sits below the ledger and does not read it)."""
        return dict(self.values_list("pk", "responsible_unit__path"))


class Project(models.Model):
    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资方", max_length=200, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code])
    funding_type = models.CharField("资金类型", max_length=4, choices=FundingType.choices, default=FundingType.DOMESTIC)
    responsible_unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="projects"
    )
    team = models.ForeignKey(
        "org.Unit",
        verbose_name="招商小分队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_projects",
    )
    leader_in_charge = models.CharField("包保领导", max_length=50, blank=True)
    # The 产业链 a project belongs to is a chain of its county's (chains app) and, where known, one of its links.
    # `industry_chain` is the free text the ledger held before chains existed (and a sheet's value for a county
    # that has laid out no chains yet): kept so nothing is lost, listed for the bureau to map to a chain.
    chain = models.ForeignKey(
        "chains.Chain", verbose_name="产业链", null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    chain_link = models.ForeignKey(
        "chains.ChainLink",
        verbose_name="产业链环节",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    industry_chain = models.CharField("产业链（原文本）", max_length=50, blank=True)
    stage = models.CharField("项目阶段", max_length=4, choices=Stage.choices, default=Stage.LEAD)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    contract_amount = models.DecimalField("协议资金", null=True, blank=True, **AMOUNT)
    planned_total = models.DecimalField("计划总投资(万元)", null=True, blank=True, **AMOUNT)
    started_on = models.DateField("开工日期", null=True, blank=True)
    production_on = models.DateField("投产日期", null=True, blank=True)
    key_level = models.CharField("重点项目级别", max_length=4, choices=KeyLevel.choices, blank=True)
    dropped_reason = models.CharField("终止原因", max_length=200, blank=True)
    # Derived and stored so lists and rankings can filter on them with an index:
    # the month of the first signing (counted once, there) and 亿元以上 (≥ 10,000 万元 at that year's USD rate).
    first_signed_month = models.DateField("首次签约月份", null=True, blank=True, editable=False, db_index=True)
    is_major = models.BooleanField("亿元以上", default=False, editable=False, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "项目"
        verbose_name_plural = "项目"
        constraints = [
            # DOMAIN: same investor credit code and same name is one project.
            models.UniqueConstraint(
                fields=["credit_code", "name"],
                condition=~Q(credit_code=""),
                name="project_investor_name_unique",
                violation_error_message="同一投资方（统一社会信用代码相同）已有同名项目，请勿重复录入",
            ),
        ]
        indexes = [models.Index(fields=["responsible_unit", "stage"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def audit_unit(self):
        return self.responsible_unit

    @property
    def amount_unit(self) -> str:
        return "万美元" if self.funding_type == FundingType.FOREIGN else "万元"

    @property
    def is_key(self) -> bool:
        return bool(self.key_level)

    @property
    def is_dropped(self) -> bool:
        return self.stage == Stage.DROPPED


class StageChange(ClosedMonthGuard, models.Model):
    """Append-only history of a project's stages: from, to, the day it was reached, who, why."""

    month_field = "changed_on"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("原阶段", max_length=4, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=4, choices=Stage.choices)
    changed_on = models.DateField("日期")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更"


class UsdRate(models.Model):
    """The year's USD→CNY rate, used to decide whether a foreign project is 亿元以上."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    rate = models.DecimalField("美元兑人民币汇率", max_digits=8, decimal_places=4, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["-year"]
        verbose_name = "美元汇率"
        verbose_name_plural = "美元汇率"

    def __str__(self):
        return f"{self.year}年 {self.rate}"


class MonthlyFigure(ClosedMonthGuard, models.Model):
    # No index of its own: the unique (project, month) index of each table starts with the project and serves
    # every lookup by project; a second one would only slow the 100,000-row imports down.
    project = models.ForeignKey(Project, on_delete=models.PROTECT, db_index=False)
    month = models.DateField("月份")
    amount = models.DecimalField("金额", **AMOUNT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["month"]

    @property
    def audit_unit(self):
        return self.project.responsible_unit

    def __str__(self):
        return f"{self.project.code} {self.month:%Y-%m} {self._meta.verbose_name}"


class MonthlyFunds(MonthlyFigure):
    """到位资金: what arrived in that month, in the project's currency unit (万元 or 万美元)."""

    class Meta(MonthlyFigure.Meta):
        verbose_name = "到位资金"
        verbose_name_plural = "到位资金"
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="funds_project_month_unique")]
        indexes = [models.Index(fields=["month"])]


class MonthlyInvestment(MonthlyFigure):
    """完成投资 of a signed project (key or not) in that month, 万元; the key-project indicators sum the key ones."""

    class Meta(MonthlyFigure.Meta):
        verbose_name = "完成投资"
        verbose_name_plural = "完成投资"
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="investment_project_month_unique")]
        indexes = [models.Index(fields=["month"])]


class AnnualPlanQuerySet(ScopedQuerySet):
    unit_field = "project__responsible_unit"


class AnnualPlan(ClosedMonthGuard, models.Model):
    """年度计划投资 of a signed project (key or not), 万元. Locked once the year's December is closed."""

    month_field = "year"

    @staticmethod
    def closing_month(value) -> date:
        return date(value, 12, 1)

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("年度计划投资(万元)", **AMOUNT)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = "年度计划投资"
        verbose_name_plural = "年度计划投资"
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="plan_project_year_unique")]

    def __str__(self):
        return f"{self.project.code} {self.year}年计划投资"

    @property
    def audit_unit(self):
        return self.project.responsible_unit


class MonthTotalFigures(models.Model):
    """One unit's own figures for one month (not its subtree's), kept in the same transaction as the rows they
    sum (see projects/totals.py), so a ranking reads a few thousand of these instead of millions of monthly rows.

    Signings count at the month of first signing; starts and productions at their month; arrived funds and
    investment at their month; key_plan_wan, a yearly figure, sits on January of its year.
    major_started_ytd counts a 亿元以上 project signed in month S and started in month T of the same year at
    max(S, T), so its sum over January..M is "signed by M and started by M"; major_started_same counts those
    signed and started in the same month, the month-only figure."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    domestic_signed_count = models.IntegerField(default=0)
    domestic_contract_wan = models.DecimalField(**FIGURE)
    domestic_arrived_wan = models.DecimalField(**FIGURE)
    major_signed_count = models.IntegerField(default=0)
    major_started_ytd = models.IntegerField(default=0)
    major_started_same = models.IntegerField(default=0)
    foreign_signed_count = models.IntegerField(default=0)
    foreign_contract_usd_wan = models.DecimalField(**FIGURE)
    foreign_arrived_usd_wan = models.DecimalField(**FIGURE)
    started_count = models.IntegerField(default=0)
    production_count = models.IntegerField(default=0)
    key_plan_wan = models.DecimalField(**FIGURE)
    key_done_wan = models.DecimalField(**FIGURE)
    # The same two figures split by key-project level (省重点, 市重点, 县重点), for the by-level breakdown.
    key_plan_province_wan = models.DecimalField(**FIGURE)
    key_plan_city_wan = models.DecimalField(**FIGURE)
    key_plan_county_wan = models.DecimalField(**FIGURE)
    key_done_province_wan = models.DecimalField(**FIGURE)
    key_done_city_wan = models.DecimalField(**FIGURE)
    key_done_county_wan = models.DecimalField(**FIGURE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class UnitMonthTotal(MonthTotalFigures):
    """The figures as entered (申报): every signing, start, production and 到位资金 a unit reported."""

    class Meta:
        db_table = "progress_unitmonthtotal"  # its table from when the totals lived in progress
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="unit_month_total_unique")]
        indexes = [models.Index(fields=["month", "unit"])]


class VerifiedMonthTotal(MonthTotalFigures):
    """The same figures counting only what passed 认定 (verification, projects/verification.py): a signing, a
    start, a production, a month's 到位资金 counts here only while its decision is 已认定 and the figure is still
    the one decided. 完成投资 and the yearly plans are not verified and are the same as in UnitMonthTotal. Kept
    in the same transaction as UnitMonthTotal (projects/totals.py)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="verified_month_total_unique")]
        indexes = [models.Index(fields=["month", "unit"], name="verified_total_month_unit")]


class TeamMonthTotal(models.Model):
    """An investment team's month: projects first signed, and forward stage moves of its projects."""

    team = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    signed_count = models.IntegerField(default=0)
    advanced_count = models.IntegerField(default=0)

    class Meta:
        db_table = "progress_teammonthtotal"
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="team_month_total_unique")]
        indexes = [models.Index(fields=["month", "team"])]


class VerificationKind(models.TextChoices):
    """What is verified (认定): a project's signing, start and production, and each month's 到位资金."""

    SIGNING = "signing", "签约"
    START = "start", "开工"
    PRODUCTION = "production", "投产"
    FUNDS = "funds", "到位资金"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "待认定"
    PASSED = "passed", "已认定"
    REFUSED = "refused", "不予认定"


class VerificationQuerySet(ScopedQuerySet):
    unit_field = "project__responsible_unit"


class Verification(models.Model):
    """The bureau's decision (认定) on one item of a project: its signing, start, production, or one month's
    到位资金 (`month`). No row means 待认定. A decision holds only for the figure it was made on (`amount`,
    `on_date`: the 协议资金 and 签约日期, the 开工日期, the 投产日期, the month's amount): once the ledger's figure
    differs the item is 待认定 again without anyone resetting it (projects/verification.py), and a new or removed
    evidence file of a kind the item needs sets it back to 待认定 explicitly (evidence's services)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="verifications", verbose_name="项目")
    kind = models.CharField("认定事项", max_length=10, choices=VerificationKind.choices)
    month = models.DateField("月份", null=True, blank=True)  # 到位资金 only: the month of the figure
    status = models.CharField("认定状态", max_length=8, choices=VerificationStatus.choices, default="pending")
    reason = models.CharField("不予认定原因", max_length=200, blank=True)
    amount = models.DecimalField("认定时的金额", max_digits=16, decimal_places=2, null=True, blank=True)
    on_date = models.DateField("认定时的日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="认定人",
    )
    decided_at = models.DateTimeField("认定时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = VerificationQuerySet.as_manager()

    class Meta:
        ordering = ["project_id", "kind", "month"]
        verbose_name = "认定"
        verbose_name_plural = "认定"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"], condition=Q(month=None), name="verification_project_kind_unique"
            ),
            models.UniqueConstraint(
                fields=["project", "kind", "month"],
                condition=~Q(month=None),
                name="verification_project_kind_month_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="verification_status_kind")]

    def __str__(self):
        month = f" {self.month:%Y-%m}" if self.month else ""
        return f"{self.project.code} {self.get_kind_display()}{month} {self.get_status_display()}"

    @property
    def audit_unit(self):
        return self.project.responsible_unit


class CountedBasis(models.TextChoices):
    DECLARED = "declared", "申报数（按填报计）"
    VERIFIED = "verified", "认定数（仅计已认定）"


def default_requirements() -> dict:
    """Which evidence each item needs before it can be 认定 (DOMAIN: 签约 合同 + 营业执照; 开工 施工许可证 or 施工合同 +
    现场照片; 到位 银行进账单 or 发票): {kind: [[any of these], [and any of these], ...]}, the evidence kinds' codes."""
    return {
        VerificationKind.SIGNING: [["contract"], ["licence"]],
        VerificationKind.START: [["permit", "build_contract"], ["site_photo"]],
        VerificationKind.PRODUCTION: [],
        VerificationKind.FUNDS: [["bank_slip", "invoice"]],
    }


class VerificationRules(models.Model):
    """An install's (a root unit's) 认定 settings: which figures count (申报 or 认定) in rankings, rates and documents,
    and the evidence each item needs. No row: the defaults (申报 counts; default_requirements)."""

    root = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="所属单位")
    counted = models.CharField(
        "排名与完成率计", max_length=10, choices=CountedBasis.choices, default=CountedBasis.DECLARED
    )
    requirements = models.JSONField("各事项所需佐证", default=default_requirements)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "认定设置"
        verbose_name_plural = "认定设置"

    @property
    def audit_unit(self):
        return self.root
