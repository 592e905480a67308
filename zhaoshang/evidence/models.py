"""佐证材料 (evidence): files that prove a figure — contracts, licences, receipts, permits, site photos.

A file belongs to one unit (`unit`: the project's responsible unit, or the trip's unit) and is scoped like the
ledger by it. It is attached to a project and, where it proves something narrower, to one of that project's
months of 到位资金 (`funds_month`), one of its stage changes, problems or approval steps; or to a trip (no project).
The bytes live in the storage named "evidence" (settings.STORAGES: the var directory's disk by default, an
S3-compatible object store when configured) and are never served from a public URL: evidence's download view
checks the reader's scope first."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.functional import LazyObject

from zhaoshang.frontline.models import Trip
from zhaoshang.org.models import ScopedQuerySet
from zhaoshang.projects.models import Project


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", "合同"
    LICENCE = "licence", "营业执照"
    BANK_SLIP = "bank_slip", "银行进账单"
    INVOICE = "invoice", "发票"
    PERMIT = "permit", "施工许可证"
    BUILD_CONTRACT = "build_contract", "施工合同"
    SITE_PHOTO = "site_photo", "现场照片"
    CAPITAL_REPORT = "capital_report", "验资报告"
    OTHER = "other", "其他"


class _EvidenceStorage(LazyObject):
    """Stands for storages["evidence"], looked up on every use. A FileField calls its storage callable once, when
    the model class is built; this keeps the field on the storage as configured now (a changed STORAGES, a test's
    object store), not on the one that happened to exist at import time. (A LazyObject that never keeps what it
    found: its `_wrapped` is read afresh each time; storages caches the instance itself.)"""

    @property
    def _wrapped(self):
        return storages["evidence"]

    @_wrapped.setter
    def _wrapped(self, value):
        pass  # LazyObject's own bookkeeping; nothing to keep

    def _setup(self):
        pass


_EVIDENCE_STORAGE = _EvidenceStorage()


def evidence_storage():
    """The storage the files go to (as `storages["evidence"]` is configured when it is used)."""
    return _EVIDENCE_STORAGE


class AttachmentQuerySet(ScopedQuerySet):
    """Placed by `unit` for writes; read with what it proves: a project's files by whoever reads the project
    (its responsible unit's readers, its team's), a trip's by the trip's readers. A project moved to another unit
    takes its files with it."""

    unit_field = "unit"

    def readable_by(self, user):
        projects = Project.objects.readable_by(user).values("pk")
        trips = Trip.objects.readable_by(user).values("pk")
        return self.filter(models.Q(project__in=projects) | models.Q(trip__in=trips))


class Attachment(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="项目",
    )
    # 到位资金 receipts name the month they prove (not the MonthlyFunds row, which a grid may delete and re-create).
    funds_month = models.DateField("到位资金月份", null=True, blank=True)
    stage_change = models.ForeignKey(
        "projects.StageChange",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="阶段变更",
    )
    problem = models.ForeignKey(
        "coordination.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="问题"
    )
    approval_step = models.ForeignKey(
        "construction.ApprovalStep",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审批手续",
    )
    trip = models.ForeignKey(
        "frontline.Trip", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="外出招商"
    )
    kind = models.CharField("材料类型", max_length=16, choices=EvidenceKind.choices)
    file = models.FileField("文件", upload_to="evidence/%Y/%m/", storage=evidence_storage, max_length=255)
    name = models.CharField("文件名", max_length=120)  # the uploader's name for it, sanitised
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    sha256 = models.CharField(max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        indexes = [
            models.Index(fields=["project", "kind"], name="evidence_project_kind"),
            models.Index(fields=["unit", "uploaded_at"], name="evidence_unit_uploaded"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def audit_unit(self):
        return self.unit

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")
