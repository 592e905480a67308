"""产业链图谱: the overview of every chain a user reads with its coverage, and one chain's map.

Counts are the chain's own, across every unit pointing at it; the lists below the map hold only the records the
reader may read (progress/chain_map.py says why), each its first N rows with a link to the whole list."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import render

from zhaoshang.chains.models import Chain, Strength
from zhaoshang.core.params import whole_number
from zhaoshang.org.access import business_reader_required
from zhaoshang.progress.chain_map import coverage, list_limit, records

STRENGTH_COLOURS = {Strength.ADVANTAGE: "#2f855a", Strength.WEAK: "#b7791f", Strength.MISSING: "#c8322b"}


@business_reader_required
def chain_overview(request):
    chains = list(
        Chain.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("owner", "leader")
        .order_by("owner__path", "sort_order", "id")
    )
    found = coverage(chains)
    # a city's bureau reads every county's chains: one group per owner (a county, or the city for its own)
    groups = [(owner, list(items)) for owner, items in groupby(found, key=lambda c: c.chain.owner)]
    return render(request, "progress/chain_overview.html", {"groups": groups, "grouped": len(groups) > 1})


def _chart_data(found) -> dict:
    """What static/js/chainmap.js draws: the links by position, each with its colour and counts."""
    return {
        "chain": found.chain.name,
        "positions": [
            {
                "name": position,
                "links": [
                    {
                        "id": f.link.pk,
                        "name": f.link.name,
                        "strength": f.link.strength,
                        "colour": STRENGTH_COLOURS.get(f.link.strength, "#9aa5b1"),
                        "work": f.link.work,
                        "landed": f.landed_total,
                        "targets": f.target_total,
                        "projects": f.working_total,
                        "gap": f.is_gap,
                    }
                    for f in figures
                ],
            }
            for position, figures in found.by_position()
        ],
    }


@business_reader_required
def chain_map(request, pk):
    chain = Chain.objects.visible_to(request.user).select_related("owner", "leader", "lead_unit").filter(pk=pk).first()
    if chain is None:
        raise Http404("产业链不存在或不在您的查看范围内")
    (found,) = coverage([chain])
    # each list bounded to the bureau's N (清单列示条数), the rest counted and linked to the ledger / the library
    places = {r.figures.link.pk: r for r in records(request.user, found, limit=list_limit(chain))}
    groups = [(position, [places[f.link.pk] for f in figures]) for position, figures in found.by_position()]
    if found.unplaced:
        groups.append(("未定环节", [places[None]]))
    opened = whole_number(request.GET.get("link", ""))  # ?link=ID opens that link's lists (no script needed)
    return render(
        request,
        "progress/chain_map.html",
        {
            "chain": chain,
            "found": found,
            "groups": groups,
            "opened": opened,
            "chart": _chart_data(found),
            "strengths": [(s.label, STRENGTH_COLOURS[s]) for s in Strength],
        },
    )
