"""/chains/unmapped/: the bureau maps the ledger's old 产业链 texts to its chains, one text at a time."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from zhaoshang.org.access import bureau_required
from zhaoshang.projects.chain_mapping import (
    managed_chains,
    parse_choice,
    project_chain_map,
    suggestion,
    unmapped_texts,
)


@bureau_required
def chain_unmapped(request):
    if request.method == "POST":
        text = (request.POST.get("text") or "").strip()
        choice = parse_choice(request.POST.get("target"), request.user)
        if not text or choice is None:
            messages.error(request, "请选择要关联的产业链")
        else:
            chain, link = choice
            try:
                count = project_chain_map(actor=request.user, text=text, chain=chain, link=link)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                where = f"{chain.name}/{link.name}" if link else chain.name
                messages.success(request, f"已将“{text}”的 {count} 个项目关联到产业链“{where}”")
        return redirect("chain_unmapped")
    chains = managed_chains(request.user)
    for chain in chains:  # the select's values, as parse_choice reads them
        chain.choice = f"c{chain.pk}"
        for link in chain.links.all():
            link.choice = f"l{link.pk}"
    rows = unmapped_texts(request.user)
    for row in rows:
        row["suggested"] = suggestion(row["text"], chains)
    return render(
        request,
        "chains/unmapped.html",
        {"rows": rows, "chains": chains, "several_owners": len({c.owner_id for c in chains}) > 1},
    )
