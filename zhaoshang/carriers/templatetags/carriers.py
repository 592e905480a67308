"""The carriers' template vocabulary: areas and rates as the pages show them, and the 入驻载体 section of a project's
page, loaded by the ledger's template (the ledger does not import the carriers: layers)."""

from decimal import Decimal

from django import template

from zhaoshang.carriers import queries, space

register = template.Library()


@register.filter
def area(value):
    """12.50 → 12.5; 1234 → 1,234; None → —."""
    return space.shown(value)


@register.filter
def rate(value):
    """A use rate (a percentage, unrounded) to one decimal: 87.5%; None → —."""
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.1'))}%"


@register.inclusion_tag("carriers/_project_carriers.html", takes_context=True)
def project_carriers(context, project):
    return {"rows": queries.landed(project, context["request"].user)}
