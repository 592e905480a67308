"""Issued bulletins: the snapshot and text as they were at the cut-off, never changed afterwards."""

from django.conf import settings
from django.db import models

from zhaoshang.org.models import ScopedQuerySet


class BulletinIsFrozen(Exception):
    pass


class Bulletin(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="bulletins", verbose_name="单位")
    period = models.DateField("期间")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("通报正文")
    snapshot = models.JSONField("数据快照")
    issued_at = models.DateTimeField("印发时间", auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The 公文's numbers, assigned once when it is issued (services.bulletin_issue), per issuing unit and year of
    # issue: the 发文字号 (示招商〔2026〕12号) and the 简报's 第N期. Bulletins issued before numbering have none.
    number_year = models.PositiveIntegerField("编号年度", null=True, blank=True)
    number = models.PositiveIntegerField("发文顺序号", null=True, blank=True)
    doc_number = models.CharField("发文字号", max_length=60, blank=True)
    issue_no = models.PositiveIntegerField("简报期号", null=True, blank=True)
    # The issuing office's settings as they were when issued (IssuingOffice.as_letterhead), and the closing
    # 工作要求: the issued document never changes when the settings do.
    letterhead = models.JSONField("发文机关信息", default=dict, blank=True)
    requirements = models.TextField("工作要求", blank=True)
    # The annex's long lists in full, frozen with the snapshot (whose lists hold only the worst N and the count):
    # {"key_projects_behind": [...]}, read only by the Excel annex, so the pages defer it.
    annex_rows = models.JSONField("附表全表", default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "通报"
        verbose_name_plural = "通报"
        constraints = [
            # The last line of defence behind the counter's row lock: a number is never given twice.
            models.UniqueConstraint(fields=["unit", "number_year", "number"], name="bulletin_number_unique"),
            models.UniqueConstraint(fields=["unit", "number_year", "issue_no"], name="bulletin_issue_no_unique"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_unit(self):
        return self.unit

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise BulletinIsFrozen("已印发的通报不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BulletinIsFrozen("已印发的通报不能删除")


class ObservationPick(models.Model):
    """A project the bureau picked for a 半年观摩 (on-site observation); it is not offered again."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("观摩月份")
    picked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    picked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="observation_pick_unique")]
        verbose_name = "观摩项目"
        verbose_name_plural = "观摩项目"

    @property
    def audit_unit(self):
        return self.project.responsible_unit


class IssuingOffice(models.Model):
    """How a unit's office issues its bulletins (发文机关, 发文字号, 主送, 抄送, 印发机关, 简报名称). Edited by the
    unit's bureau (a county's bureau its own county only); a unit without a row issues with the defaults
    (bulletins.office.letterhead_for)."""

    unit = models.OneToOneField("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    issuer = models.CharField("发文机关名称", max_length=60)
    mark = models.CharField("发文机关标志", max_length=60, blank=True, help_text="留空则为“发文机关名称＋文件”")
    number_prefix = models.CharField("发文字号代字", max_length=20, help_text="如“示招商”，文号为 示招商〔2026〕12号")
    addressee = models.CharField("主送机关", max_length=300)
    copy_to = models.CharField("抄送机关", max_length=300, blank=True)
    printer = models.CharField("印发机关", max_length=60)
    brief_name = models.CharField("简报名称", max_length=40)
    # Which per-unit columns the annex shows (indicator codes, in order); empty: the default columns.
    annex_columns = models.JSONField("附表栏目", default=list, blank=True)
    # How many rows each list of a document or a meeting's material shows (the worst N; the rest are counted and
    # are in the Excel 附表).
    list_limit = models.PositiveSmallIntegerField("清单列示条数", default=20)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "发文设置"
        verbose_name_plural = "发文设置"

    def __str__(self):
        return self.issuer

    @property
    def audit_unit(self):
        return self.unit


class IssueCounter(models.Model):
    """The last 发文顺序号 and 简报期号 a unit gave in a year: the row is locked while a bulletin takes the next
    ones, so two bulletins issued at the same moment never share a number."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)
    last_issue_no = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="issue_counter_unique")]
