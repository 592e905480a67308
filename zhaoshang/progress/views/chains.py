"""产业链招商进度: each chain's five figures against its targets, a table per owner (a city's bureau reads the
city's own chains and each county's), and its export."""

from django.http import Http404
from django.shortcuts import render

from zhaoshang.chains.models import Chain
from zhaoshang.core.files import export_response, wants_xlsx
from zhaoshang.core.periods import add_months, current_month, format_month, parse_past_month
from zhaoshang.org.access import business_reader_required
from zhaoshang.progress import exports
from zhaoshang.progress.chains import FIGURES, chain_report
from zhaoshang.progress.views.common import recent_months
from zhaoshang.projects.models import Project


def _period(request):
    """?period=YYYY-MM (?month= too, as the other progress pages take it), by default last month."""
    text = request.GET.get("period") or request.GET.get("month")
    if not text:
        return add_months(current_month(), -1)
    try:
        return parse_past_month(text)
    except ValueError as exc:
        raise Http404(str(exc)) from None


@business_reader_required
def chain_progress(request):
    month = _period(request)
    # The chains the reader reads (its county's and the city's, or below it every county's), each counted over the
    # projects the reader reads: a county's bureau sees its own county's part of a city's chain, never another's.
    chains = Chain.objects.visible_to(request.user).filter(is_active=True).order_by("owner__path", "sort_order", "id")
    report = chain_report(chains, month, Project.objects.readable_by(request.user))
    if wants_xlsx(request):
        headers, rows = exports.chain_table(report)
        return export_response(headers, rows, title=f"产业链招商进度-{format_month(month)}")
    return render(
        request,
        "progress/chain_progress.html",
        {
            "report": report,
            "owners": report.by_owner(),
            "figures": FIGURES,
            "month": month,
            "months": recent_months(),
        },
    )
