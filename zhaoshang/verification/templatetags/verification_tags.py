"""The 认定 panel a project's page shows (the ledger's page loads this library: projects cannot import the
verification app, which sits above it), and the link to an evidence file."""

from django import template
from django.urls import NoReverseMatch, reverse

from zhaoshang.projects.models import Project
from zhaoshang.verification import queries, rights

register = template.Library()


@register.simple_tag
def evidence_url(pk) -> str:
    """The scoped download of an evidence file (the evidence app's view); empty where that view is not there."""
    try:
        return reverse("evidence:download", args=[pk])
    except NoReverseMatch:
        return ""


@register.inclusion_tag("verification/_project_panel.html", takes_context=True)
def verification_panel(context, project):
    """Every item of the project (签约, 开工, 投产, each month's 到位资金) with its standing, what evidence it lacks and
    why it was refused; a decider gets a link to the queue."""
    items = queries.period_items(Project.objects.filter(pk=project.pk), None, None)
    user = context["request"].user
    return {"items": items, "decider": rights.decides(user, project.responsible_unit), "project": project}
