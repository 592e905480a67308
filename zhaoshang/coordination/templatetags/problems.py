"""The 问题清单 section of a project's page, loaded by the ledger's template (the ledger does not import the apps
above it)."""

from django import template

from zhaoshang.coordination.queries import problems_for_project

register = template.Library()


@register.inclusion_tag("coordination/_project_problems.html")
def project_problems(project, can_edit):
    return {"project": project, "can_edit": can_edit, "project_problems": problems_for_project(project)}
