"""The chains as xlsx rows in the `chains` sheet's layout (one row per link; a chain without links on one row with
the 环节 blank), so an export re-imports unchanged."""

from zhaoshang.core.files import Export

# The 产业链 sheet's headers (README, Spreadsheets); 工作方向 is the optional last column.
CHAIN_HEADERS = ["产业链", "环节", "位置", "强弱", "链长", "牵头单位"]
CHAIN_OPTIONAL_HEADERS = ["工作方向"]


def chain_rows(chains):
    """chains: a queryset already scoped to the reader; links read in one query."""
    chains = chains.select_related("leader", "lead_unit").prefetch_related("links")
    for chain in chains:
        leader = chain.leader.display_name if chain.leader_id else ""
        lead_unit = chain.lead_unit.name if chain.lead_unit_id else ""
        links = list(chain.links.all())
        if not links:
            yield [chain.name, "", "", "", leader, lead_unit, ""]
        for link in links:
            yield [chain.name, link.name, link.position, link.strength, leader, lead_unit, link.work]


def chains_export(chains) -> Export:
    return Export("产业链.xlsx", [("产业链", CHAIN_HEADERS + CHAIN_OPTIONAL_HEADERS, chain_rows(chains))], chains.count)
