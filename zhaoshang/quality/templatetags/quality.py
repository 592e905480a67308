"""The 数据质量 section of a project's page. The ledger's page loads this tag rather than importing quality: the
ledger sits below the apps that judge it (docs/architecture.md)."""

from django import template

from zhaoshang.quality.models import PENDING, Flag

register = template.Library()


@register.inclusion_tag("quality/_project_flags.html")
def project_flags(project):
    """The project's flags still asking for attention (its page is already within the reader's scope)."""
    rows = Flag.objects.filter(project=project, status__in=PENDING).order_by("-updated_at", "-id")
    return {"project": project, "flags": list(rows)}
