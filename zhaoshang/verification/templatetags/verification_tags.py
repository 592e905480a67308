"""The 认定 panel a project's page shows (the ledger's page loads this library: projects cannot import the
verification app, which sits above it)."""

from django import template

from zhaoshang.projects.models import Project
from zhaoshang.verification import queries, rights

register = template.Library()


@register.inclusion_tag("verification/_project_panel.html", takes_context=True)
def verification_panel(context, project):
    """Every item of the project (签约, 开工, 投产, each month's 到位资金) with its standing, what evidence it lacks and
    why it was refused; a decider gets a link to the queue."""
    items = queries.period_items(Project.objects.filter(pk=project.pk), None, None)
    user = context["request"].user
    return {"items": items, "decider": rights.decides(user, project.responsible_unit), "project": project}
