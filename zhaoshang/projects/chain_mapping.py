"""Mapping the ledger's old 产业链 text to chains (/chains/unmapped/): the distinct texts of a bureau's projects that
point at no chain yet, with their counts, and the write that points every project of one text at a chain (and,
where the bureau knows it, a link).

The 产业链 is not a monthly figure: mapping asks no closed-month guard (a closed month freezes the figures that
were reported, and a project's chain is none of them; the chain pages compute a chain's figures from the ledger
whenever they are read). Each project mapped is audited as `project.chain_mapped`, and its old text is kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.chains.refs import split_ref
from zhaoshang.org.models import subtree_q
from zhaoshang.org.ownership import bureau_units, require_manages
from zhaoshang.projects.models import Project


def _managed_projects(actor):
    projects = Project.objects.all()
    if actor is not None:
        projects = projects.filter(subtree_q(bureau_units(actor), "responsible_unit"))
    return projects


def unmapped_texts(actor) -> list[dict]:
    """[{text, count}] of the projects the bureau manages that have an old text and no chain, most used first."""
    rows = (
        _managed_projects(actor)
        .filter(chain=None)
        .exclude(industry_chain="")
        .values("industry_chain")
        .annotate(count=Count("id"))
        .order_by("-count", "industry_chain")
    )
    return [{"text": row["industry_chain"], "count": row["count"]} for row in rows]


def managed_chains(actor) -> list[Chain]:
    """The active chains the bureau manages, their links prefetched (`链/环节` choices)."""
    chains = Chain.objects.filter(is_active=True)
    if actor is not None:
        chains = chains.filter(subtree_q(bureau_units(actor), "owner"))
    return list(chains.select_related("owner").prefetch_related("links").order_by("owner__path", "sort_order", "id"))


def suggestion(text: str, chains: list[Chain]) -> str:
    """The choice offered first for a text: the chain of that name (and its link for `链/环节`), as "c<id>" or
    "l<id>"; "" when no chain is named so."""
    chain_name, link_name = split_ref(text)
    for chain in chains:
        if chain.name == chain_name:
            link = next((item for item in chain.links.all() if item.name == link_name), None)
            return f"l{link.pk}" if link else f"c{chain.pk}"
    return ""


def parse_choice(value: str, actor) -> tuple[Chain, ChainLink | None] | None:
    """ "c<id>" → (chain, None); "l<id>" → (its chain, link); anything else None, and so is a chain the bureau
    does not manage: another county's chain answers as one that does not exist, so its ids cannot be probed."""
    kind, number = (value or " ")[:1], (value or "")[1:]
    if not number.isascii() or not number.isdigit():
        return None
    chains = Chain.objects.all()
    if actor is not None:
        chains = chains.filter(subtree_q(bureau_units(actor), "owner"))
    if kind == "c":
        chain = chains.select_related("owner").filter(pk=int(number)).first()
        return (chain, None) if chain else None
    if kind == "l":
        link = ChainLink.objects.select_related("chain__owner").filter(pk=int(number), chain__in=chains).first()
        return (link.chain, link) if link else None
    return None


@transaction.atomic
def project_chain_map(*, actor, text: str, chain: Chain, link: ChainLink | None = None, source=Source.PAGE) -> int:
    """Point every project of the bureau's with this old text and no chain, among those whose unit may use the
    chain (the chain owner's subtree), at the chain and link. Returns how many were mapped."""
    require_manages(actor, chain.owner, "关联产业链")
    if not chain.is_active:
        raise ValidationError(f"产业链“{chain.name}”已停用，不能再关联项目")
    if link is not None and link.chain_id != chain.pk:
        raise ValidationError(f"环节“{link.name}”不属于产业链“{chain.name}”")
    projects = (
        _managed_projects(actor)
        .filter(subtree_q([chain.owner], "responsible_unit"), chain=None, industry_chain=text)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    mapped = 0
    for project in projects:
        project.chain, project.chain_link = chain, link
        project.save(update_fields=["chain", "chain_link"])
        record(
            actor,
            action="project.chain_mapped",
            target=project,
            source=source,
            data={
                "chain": [None, chain.name],
                "chain_link": [None, link.name if link else None],
                "industry_chain": [text, text],
            },
        )
        mapped += 1
    return mapped
