"""The target-enterprise library (目标企业库): the enterprises a county means to bring in, chain by chain — the
"清单" of 链长制's 图谱 + 清单. Each belongs to the unit or team that works it, and carries its contact status and the
front line's work on it (the trips that visited it, the receptions where it came, the leads and projects it gave).

A target is placed like the ledger: its owner's users read it, and the bureaus above. `county` is the owner's
county (org.departments.home_county), kept so the duplicate rule — one target per enterprise in a county, by credit
code, or by name where there is none — can be checked by an index."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhaoshang.core.validators import validate_credit_code
from zhaoshang.org.models import ScopedQuerySet


class EnterpriseTag(models.TextChoices):
    FORTUNE_GLOBAL = "世界500强", "世界500强"
    CHINA_500 = "中国500强", "中国500强"
    PRIVATE_500 = "民营500强", "民营500强"
    LISTED = "上市公司", "上市公司"
    LITTLE_GIANT = "专精特新小巨人", "专精特新“小巨人”"
    UNICORN = "独角兽", "独角兽"
    LEADER = "行业龙头", "行业龙头"
    OTHER = "其他", "其他"


# Tags are kept in one column between separators ("|上市公司|行业龙头|"), so "has tag X" is one `contains` filter on
# every database (SQLite cannot query inside a JSON list); industry/tags.py reads and writes the column.
TAG_SEPARATOR = "|"


class ContactStatus(models.TextChoices):
    NONE = "未接触", "未接触"
    CONTACTED = "已接触", "已接触"
    INTERESTED = "有意向", "有意向"
    SIGNED = "已签约", "已签约"


CONTACT_ORDER = [ContactStatus.NONE, ContactStatus.CONTACTED, ContactStatus.INTERESTED, ContactStatus.SIGNED]


class TargetEnterprise(models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(
        "org.Unit", verbose_name="所属县区", on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code])
    headquarters = models.CharField("总部所在地", max_length=50, blank=True)
    tags = models.CharField("企业类型", max_length=200, blank=True)
    chain = models.ForeignKey(
        "chains.Chain",
        verbose_name="产业链",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    link = models.ForeignKey(
        "chains.ChainLink",
        verbose_name="环节",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    main_products = models.CharField("主营产品", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    status = models.CharField("对接状态", max_length=4, choices=ContactStatus.choices, default=ContactStatus.NONE)
    note = models.TextField("备注", blank=True)
    trips = models.ManyToManyField("frontline.Trip", blank=True, related_name="enterprises", verbose_name="外出拜访")
    receptions = models.ManyToManyField(
        "frontline.Reception", blank=True, related_name="enterprises", verbose_name="来访接待"
    )
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="enterprises", verbose_name="线索与项目"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "目标企业"
        verbose_name_plural = "目标企业"
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["chain", "link"])]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "credit_code"],
                condition=~Q(credit_code=""),
                name="target_county_credit_code_unique",
                violation_error_message="本县区目标企业库已有该统一社会信用代码的企业",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_unit(self):
        return self.unit
