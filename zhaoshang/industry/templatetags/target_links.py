"""`{% linked_targets row %}` on a trip's and a reception's page: the targets it is linked to that the reader reads.
The front line sits below the library and knows nothing of it; its templates ask here."""

from django import template

from zhaoshang.industry.models import TargetEnterprise

register = template.Library()


@register.inclusion_tag("industry/_linked_targets.html", takes_context=True)
def linked_targets(context, row):
    user = context["request"].user
    targets = row.enterprises.filter(pk__in=TargetEnterprise.objects.readable_by(user).values("pk")).order_by("name")
    return {"targets": list(targets.only("pk", "name", "status"))}
