"""产业链 (industrial chains) as a county lays them out under 链长制: a chain, its 链长 and 牵头单位, its links (环节)
from 上游 to 下游 with the strength the bureau judges and the work each calls for, and its yearly targets.

A chain belongs to the unit whose bureau laid it out (`owner`: a county, or the root of a one-county install or of a
city for the city's own chains). It is shared downwards: every unit of the owner's subtree reads it and may point its
projects, leads and target enterprises at it; the bureaus above read it too. This app sits below the ledger (the
project's 产业链 is a reference to a chain), so it knows nothing of projects; what a chain's projects add up to is
computed above (progress/chains.py)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from zhaoshang.org.models import BUSINESS_READ_ROLES
from zhaoshang.org.scoping import memberships, readable_unit_ids
from zhaoshang.org.tree import ancestor_ids

AMOUNT = dict(max_digits=16, decimal_places=2, validators=[MinValueValidator(0)])


class Position(models.TextChoices):
    UPSTREAM = "上游", "上游"
    MIDSTREAM = "中游", "中游"
    DOWNSTREAM = "下游", "下游"


POSITION_ORDER = [Position.UPSTREAM, Position.MIDSTREAM, Position.DOWNSTREAM]


class Strength(models.TextChoices):
    ADVANTAGE = "已有优势", "已有优势"
    WEAK = "薄弱", "薄弱"
    MISSING = "缺失", "缺失"


class Work(models.TextChoices):
    STRENGTHEN = "强链", "强链"
    FILL = "补链", "补链"
    EXTEND = "延链", "延链"


class ChainQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The chains a user reads: those laid out by a unit at or above one of its units (a township reads its
        county's chains), and those of the units below it (a city's bureau reads every county's)."""
        above = {pk for m in memberships(user) if m.role in BUSINESS_READ_ROLES for pk in ancestor_ids(m.unit.path)}
        return self.filter(Q(owner_id__in=above) | Q(owner_id__in=readable_unit_ids(user)))

    def usable_for(self, unit):
        """The chains a project of `unit` may point at: those owned by the unit or one above it."""
        return self.filter(owner_id__in=ancestor_ids(unit.path), is_active=True)


class Chain(models.Model):
    owner = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("产业链", max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="链长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_chains",
    )
    leader_title = models.CharField("链长职务", max_length=50, blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("产业链概况", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ChainQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="chain_owner_name_unique", violation_error_message="本单位已有同名产业链"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.owner


class ChainLink(models.Model):
    """A link (环节) of a chain: what it makes, where it sits, how strong the county is in it."""

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="links")
    name = models.CharField("环节", max_length=50)
    position = models.CharField("位置", max_length=2, choices=Position.choices, default=Position.MIDSTREAM)
    strength = models.CharField("强弱", max_length=4, choices=Strength.choices, default=Strength.WEAK)
    work = models.CharField("工作方向", max_length=2, choices=Work.choices, blank=True)
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["chain", "sort_order", "id"]
        verbose_name = "产业链环节"
        verbose_name_plural = "产业链环节"
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "name"], name="chain_link_name_unique", violation_error_message="该产业链已有同名环节"
            )
        ]

    def __str__(self):
        return f"{self.chain.name}/{self.name}"

    @property
    def audit_unit(self):
        return self.chain.owner


class ChainTarget(models.Model):
    """A chain's targets for a year, as counties publish them (e.g. 签约投资额10亿元, 落地项目15个, 到位资金4.5亿元,
    入驻标准厂房8万㎡). Amounts in 万元. A blank target is not assessed."""

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="yearly_targets")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    signed_count = models.PositiveIntegerField("签约项目数（个）", null=True, blank=True)
    signed_amount_wan = models.DecimalField("签约金额（万元）", null=True, blank=True, **AMOUNT)
    arrived_wan = models.DecimalField("到位资金（万元）", null=True, blank=True, **AMOUNT)
    landed_count = models.PositiveIntegerField("落地项目数（个）", null=True, blank=True)
    floor_area_m2 = models.DecimalField("入驻厂房面积（㎡）", null=True, blank=True, **AMOUNT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["chain", "-year"]
        verbose_name = "产业链年度目标"
        verbose_name_plural = "产业链年度目标"
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "year"],
                name="chain_target_year_unique",
                violation_error_message="该产业链本年度已有目标",
            )
        ]

    def __str__(self):
        return f"{self.chain.name} {self.year}年目标"

    @property
    def audit_unit(self):
        return self.chain.owner
