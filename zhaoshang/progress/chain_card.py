"""The dashboard's 产业链覆盖 card: for the chains of the viewed unit's county (and, on a city's page, every
county's), how many links are worked on and how many are 短板.

Cached apart from the rest of the dashboard, and under another unit: a chain's coverage moves with the writes of
every unit that may point at it — its owner's whole subtree — while a town's dashboard is versioned by its own
branch only (org/versions.py). So the card is cached under the highest owner of the chains it shows (or the
viewed unit, when that is higher), whose version covers every such write: a 乙镇 target on the county's chain
shows at once on 甲镇's dashboard. The chains themselves are read fresh (one small query): a new chain shows at
once too."""

from dataclasses import dataclass

from django.db.models import Q

from zhaoshang.chains.models import Chain
from zhaoshang.org import versions
from zhaoshang.org.models import Unit, subtree_q
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.progress.chain_map import coverage


@dataclass
class CardRow:
    chain_id: int
    name: str
    owner: str
    total: int
    covered: int
    gaps: list[str]


def chains_for(root: Unit):
    """The active chains a page of `root` shows: those laid out at or above it (its county's, the city's own)
    and those of the units below it (on a city's page, every county's)."""
    return (
        Chain.objects.filter(Q(owner_id__in=ancestor_ids(root.path)) | subtree_q([root], "owner"), is_active=True)
        .select_related("owner")
        .order_by("owner__path", "sort_order", "id")
    )


def _rows(chains) -> list[CardRow]:
    return [
        CardRow(
            chain_id=c.chain.pk,
            name=c.chain.name,
            owner=c.chain.owner.name,
            total=c.total,
            covered=c.covered,
            gaps=[f.link.name for f in c.gaps],
        )
        for c in coverage(chains)
    ]


def chain_card(root: Unit) -> list[CardRow]:
    chains = list(chains_for(root))
    if not chains:
        return []
    keeper = min(
        [root, *(c.owner for c in chains if c.owner.path and root.path.startswith(c.owner.path))],
        key=lambda u: len(u.path),
    )
    return versions.cached("chain_card", keeper, {"chains": tuple(c.pk for c in chains)}, lambda: _rows(chains))
