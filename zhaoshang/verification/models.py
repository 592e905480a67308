"""The 认定 role a bureau grants: an account that may decide 认定 items (verification) of a unit's subtree without
being a bureau admin. A separate row rather than a new org.Role: the account keeps its own membership and role
(a 投促中心 staff member stays a reporter of its unit), the grant adds only the right to decide, and a bureau takes
it back without touching the account (as observation's judges hold an event's right, not a role)."""

from django.conf import settings
from django.db import models

from zhaoshang.org.models import ScopedQuerySet


class VerifierQuerySet(ScopedQuerySet):
    unit_field = "unit"


class Verifier(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifier_grants", verbose_name="账号"
    )
    # The subtree the account decides: the granting bureau's county (or a unit below it).
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="认定范围")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="授权人"
    )
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)

    objects = VerifierQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "user__username"]
        verbose_name = "认定人员"
        verbose_name_plural = "认定人员"
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="verifier_user_unit_unique")]

    def __str__(self):
        return f"{self.user} 认定 {self.unit}"

    @property
    def audit_unit(self):
        return self.unit
