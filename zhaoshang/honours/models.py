"""表彰 (honours): a round of honours drawn from a published assessment result (a `Publication`). The bureau sets the
rule for 先进单位 (top N per group, or a total at least a score), 提议 computes the proposed units from the frozen
result, and it may then remove or add a unit with a reason. Units nominate 先进个人 with their deeds; the bureau
passes or fails each. Once 已定稿 the round is frozen and its 表彰决定 is the document to issue.

A round belongs to the bureau that owns the scheme (`owner`); it reads the publication it was proposed from, never
the scheme's live score."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_HONOUR = "招商引资先进单位"


def default_title(year: int) -> str:
    return f"{year}年度招商引资和项目建设先进单位和先进个人"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    FINAL = "final", "已定稿"


class UnitRule(models.TextChoices):
    TOP = "top", "每组前N名"
    SCORE = "score", "总分达到分数线"


class HonoursRound(models.Model):
    owner = models.ForeignKey("org.Unit", verbose_name="表彰单位", on_delete=models.PROTECT, related_name="+")
    publication = models.ForeignKey(
        "assessment.Publication", verbose_name="考核结果", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("表彰名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    rule = models.CharField("先进单位规则", max_length=10, choices=UnitRule.choices, default=UnitRule.TOP)
    top_n = models.PositiveSmallIntegerField(
        "每组名额", default=3, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    # {group name: N} where a group's N differs from top_n.
    group_top_n = models.JSONField("分组名额", default=dict, blank=True)
    min_score = models.DecimalField("分数线", max_digits=10, decimal_places=2, null=True, blank=True)
    honour = models.CharField("荣誉称号", max_length=50, default=DEFAULT_HONOUR)
    # {group name: honour} where a group's honour differs (e.g. "一类乡镇先进单位").
    group_honours = models.JSONField("分组荣誉称号", default=dict, blank=True)
    reason = models.TextField("表彰理由", blank=True)
    closing = models.TextField("结束语", blank=True)
    status = models.CharField("状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    proposed_at = models.DateTimeField("提议时间", null=True, blank=True)
    # What 提议 said about ties at the cut-off ("乡镇组名额2个，因第2名并列，列入3个单位"), kept with its list.
    tie_notes = models.JSONField("并列说明", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finalized_at = models.DateTimeField("定稿时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at", "-pk"]
        verbose_name = "表彰"
        verbose_name_plural = "表彰"

    def __str__(self):
        return self.title

    @property
    def audit_unit(self):
        return self.owner

    @property
    def is_final(self) -> bool:
        return self.status == RoundStatus.FINAL

    def n_for(self, group: str) -> int:
        return int(self.group_top_n.get(group) or self.top_n)

    def honour_for(self, group: str) -> str:
        return self.group_honours.get(group) or self.honour


class Origin(models.TextChoices):
    PROPOSED = "proposed", "按规则提议"
    ADDED = "added", "主管部门增列"


class HonouredUnit(models.Model):
    """A unit of the result proposed (or added) as 先进单位; removed ones stay, struck, with the reason."""

    round = models.ForeignKey(HonoursRound, verbose_name="表彰", on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", null=True, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=100)
    group = models.CharField("考核组", max_length=50, blank=True)
    total = models.DecimalField("总分", max_digits=10, decimal_places=2)
    rank = models.PositiveIntegerField("名次")
    honour = models.CharField("荣誉称号", max_length=50)
    origin = models.CharField("来源", max_length=10, choices=Origin.choices, default=Origin.PROPOSED)
    tied = models.BooleanField("并列列入", default=False)
    removed = models.BooleanField("已移除", default=False)
    reason = models.CharField("理由", max_length=200, blank=True)

    class Meta:
        ordering = ["round", "removed", "group", "rank", "unit_name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit_name"], name="honours_unit_round_name")]
        verbose_name = "先进单位"
        verbose_name_plural = "先进单位"

    def __str__(self):
        return f"{self.unit_name}（{self.honour}）"

    @property
    def audit_unit(self):
        return self.round.owner


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", "推荐"
    APPROVED = "approved", "通过"
    REJECTED = "rejected", "未通过"


class Nomination(models.Model):
    """A 先进个人 a unit nominates, with the deeds; the bureau passes or fails it with a note."""

    round = models.ForeignKey(HonoursRound, verbose_name="表彰", on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey("org.Unit", verbose_name="推荐单位", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100)
    deeds = models.TextField("主要事迹")
    projects = models.ManyToManyField("projects.Project", verbose_name="相关项目", blank=True, related_name="+")
    status = models.CharField(
        "状态", max_length=10, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    note = models.CharField("审核意见", max_length=200, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("推荐时间", auto_now_add=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        ordering = ["round", "unit__path", "pk"]
        verbose_name = "先进个人推荐"
        verbose_name_plural = "先进个人推荐"

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    @property
    def audit_unit(self):
        return self.unit
