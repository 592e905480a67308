"""The 前期手续 section of a project's page. The ledger's page loads this tag rather than importing construction:
the ledger sits below the apps that extend it (docs/architecture.md)."""

from django import template

from zhaoshang.construction.queries import steps_for_project

register = template.Library()


@register.inclusion_tag("construction/_project_steps.html")
def project_steps(project, can_edit):
    return {"project": project, "can_edit": can_edit, "approval_steps": steps_for_project(project)}
