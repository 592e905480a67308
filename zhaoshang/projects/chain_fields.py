"""The 产业链 and 环节 selects of the forms that write a ledger project (the project form, the lead form): the
chains usable by the units the user writes, their links as `链/环节`. Which chain a given unit may use and that the
link is the chain's are checked by the service (projects.services.chain_errors), whichever form or sheet wrote it."""

from django.db.models import Q

from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.org.tree import ancestor_ids


def usable_chains(units, keep=None):
    """Active chains owned by one of `units` or a unit above one; `keep` (a project's current chain, perhaps set
    停用 since) stays choosable so that editing another field does not clear it."""
    owners = {pk for unit in units for pk in ancestor_ids(unit.path)}
    wanted = Q(owner_id__in=owners, is_active=True)
    if keep is not None:
        wanted |= Q(pk=keep)
    return Chain.objects.filter(wanted).order_by("owner__path", "sort_order", "id")


def set_chain_fields(form, units) -> None:
    instance = form.instance
    chains = usable_chains(list(units), keep=instance.chain_id if instance.pk else None)
    chain = form.fields["chain"]
    chain.queryset = chains
    chain.empty_label = "未选择"
    link = form.fields["chain_link"]
    link.queryset = ChainLink.objects.filter(chain__in=chains).select_related("chain")
    link.empty_label = "未选择（不细分环节）"
    link.label_from_instance = lambda item: f"{item.chain.name}/{item.name}（{item.position}）"
    link.label = "环节"
    if instance.pk and instance.industry_chain and not instance.chain_id:
        chain.help_text = f"原填写：“{instance.industry_chain}”，请选择对应的产业链"
