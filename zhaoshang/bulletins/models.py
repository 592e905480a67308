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

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "通报"
        verbose_name_plural = "通报"

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
