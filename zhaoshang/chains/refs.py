"""How a sheet's 产业链 cell names a chain: the chain's name, or `链/环节` (the full-width ／ too, as WPS and
Chinese input methods type it); and how a reference is written back (the same `链/环节`, so an export
re-imports unchanged)."""

import re

from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.org.tree import ancestor_ids

SEPARATOR = re.compile(r"\s*[/／]\s*")


def split_ref(text: str) -> tuple[str, str | None]:
    """'新能源汽车/电池' → ('新能源汽车', '电池'); '新能源汽车' → ('新能源汽车', None)."""
    parts = SEPARATOR.split((text or "").strip(), maxsplit=1)
    chain = parts[0].strip()
    link = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    return chain, link


def ref_label(chain_name: str | None, link_name: str | None, old_text: str = "") -> str:
    """What the 产业链 column shows: `链/环节`, the chain alone, or the old text of a project not yet mapped."""
    if chain_name:
        return f"{chain_name}/{link_name}" if link_name else chain_name
    return old_text or ""


class ChainDirectory:
    """The chains usable by units (those owned by the unit or a unit above it, active), read once for a whole
    sheet: {owner id: {name: chain}} and every usable chain's links by name."""

    def __init__(self):
        chains = Chain.objects.filter(is_active=True).order_by("owner__path", "sort_order", "id")
        self._by_owner: dict[int, dict[str, Chain]] = {}
        for chain in chains:
            self._by_owner.setdefault(chain.owner_id, {})[chain.name] = chain
        self._links: dict[int, dict[str, ChainLink]] = {}
        for link in ChainLink.objects.filter(chain__in=[c for d in self._by_owner.values() for c in d.values()]):
            self._links.setdefault(link.chain_id, {})[link.name] = link

    def usable(self, unit) -> dict[str, Chain]:
        """{name: chain} usable by `unit`; the nearest owner wins a name two levels share."""
        found: dict[str, Chain] = {}
        for owner_id in ancestor_ids(unit.path):  # the root first: a nearer owner's chain replaces it
            found.update(self._by_owner.get(owner_id, {}))
        return found

    def resolve(self, text: str, unit) -> tuple[Chain | None, ChainLink | None, str | None]:
        """(chain, link, error). With no chain usable by the unit, (None, None, None): the caller keeps the text."""
        usable = self.usable(unit)
        if not usable:
            return None, None, None
        chain_name, link_name = split_ref(text)
        chain = usable.get(chain_name)
        if chain is None:
            names = "、".join(usable)
            return None, None, f"没有名为“{chain_name}”的产业链（本县产业链：{names}）"
        if link_name is None:
            return chain, None, None
        link = self._links.get(chain.pk, {}).get(link_name)
        if link is None:
            links = "、".join(self._links.get(chain.pk, {})) or "尚无环节"
            return None, None, f"产业链“{chain.name}”没有名为“{link_name}”的环节（该链环节：{links}）"
        return chain, link, None
