"""Carriers (载体): the 产业园区, 标准化厂房 and 孵化器 a county offers investors, and the projects that land in them.

A carrier belongs to the park or town that runs it (`unit`) and is scoped like the ledger. Its space is given (land
in 亩, buildings in ㎡) and what is taken follows from its occupancies: each is a ledger project with the land or
floor area it takes and its dates of 入驻 and 迁出, so occupancy, vacancy and 亩均投资强度 (计划总投资 ÷ 亩) are
computed, never typed twice (carriers/space.py). Space taken by enterprises that are not in the ledger (they came
before it) is entered once as `occupied_before_*`."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from zhaoshang.org.models import ScopedQuerySet

AREA = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])


class CarrierKind(models.TextChoices):
    PARK = "产业园区", "产业园区"
    FACTORY = "标准化厂房", "标准化厂房"
    INCUBATOR = "孵化器", "孵化器"


class Carrier(models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name="所属园区或乡镇", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("载体名称", max_length=100)
    kind = models.CharField("类型", max_length=5, choices=CarrierKind.choices)
    address = models.CharField("位置", max_length=200, blank=True)
    land_mu = models.DecimalField("土地面积（亩）", null=True, blank=True, **AREA)
    building_m2 = models.DecimalField("建筑面积（㎡）", null=True, blank=True, **AREA)
    occupied_before_mu = models.DecimalField("台账外已用地（亩）", default=0, **AREA)
    occupied_before_m2 = models.DecimalField("台账外已入驻面积（㎡）", default=0, **AREA)
    rent_yuan_m2_month = models.DecimalField("租金（元/㎡·月）", null=True, blank=True, **AREA)
    price_yuan_m2 = models.DecimalField("售价（元/㎡）", null=True, blank=True, **AREA)
    land_price_wan_mu = models.DecimalField("土地价格（万元/亩）", null=True, blank=True, **AREA)
    min_investment_wan_mu = models.DecimalField("亩均投资强度要求（万元/亩）", null=True, blank=True, **AREA)
    min_tax_wan_mu = models.DecimalField("亩均税收要求（万元/亩·年）", null=True, blank=True, **AREA)
    min_tax_yuan_m2 = models.DecimalField("单位面积税收要求（元/㎡·年）", null=True, blank=True, **AREA)
    industries = models.CharField("主导产业", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    description = models.TextField("载体介绍", blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "name"]
        verbose_name = "载体"
        verbose_name_plural = "载体"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="carrier_unit_name_unique", violation_error_message="本单位已有同名载体"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.unit


class CarrierPhoto(models.Model):
    """A photo of a carrier, stored through Django's storage (never a public URL: carriers/views serve it after
    checking the reader's scope)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="photos", verbose_name="载体")
    image = models.FileField("照片", upload_to="carriers/%Y/%m/")
    caption = models.CharField("说明", max_length=100, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "载体照片"
        verbose_name_plural = "载体照片"

    @property
    def audit_unit(self):
        return self.carrier.unit


class OccupancyQuerySet(ScopedQuerySet):
    unit_field = "carrier__unit"


class Occupancy(models.Model):
    """A ledger project landed in a carrier (入驻): the land or floor area it takes, from 入驻 until 迁出."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="occupancies", verbose_name="载体")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="occupancies", verbose_name="项目"
    )
    land_mu = models.DecimalField("用地（亩）", null=True, blank=True, **AREA)
    floor_m2 = models.DecimalField("使用面积（㎡）", null=True, blank=True, **AREA)
    moved_in_on = models.DateField("入驻日期")
    moved_out_on = models.DateField("迁出日期", null=True, blank=True)
    annual_tax_wan = models.DecimalField("上年度税收（万元）", null=True, blank=True, **AREA)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        ordering = ["carrier", "-moved_in_on", "-id"]
        verbose_name = "入驻项目"
        verbose_name_plural = "入驻项目"
        constraints = [
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=models.F("moved_in_on")),
                name="occupancy_out_after_in",
                violation_error_message="迁出日期不能早于入驻日期",
            ),
            models.CheckConstraint(
                condition=Q(land_mu__gt=0) | Q(floor_m2__gt=0),
                name="occupancy_takes_space",
                violation_error_message="请填写用地（亩）或使用面积（㎡）",
            ),
        ]

    def __str__(self):
        return f"{self.project} 入驻 {self.carrier}"

    @property
    def audit_unit(self):
        return self.carrier.unit
