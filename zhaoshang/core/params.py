"""Reading common query parameters, the same way on every page."""

from datetime import date

from django.http import Http404

from zhaoshang.core.periods import parse_past_month


def month_param(request, default: date) -> date:
    """?month=YYYY-MM (or the posted month), else `default`; a malformed or future month answers 404."""
    text = request.GET.get("month") or request.POST.get("month")
    if not text:
        return default
    try:
        return parse_past_month(text)
    except ValueError as exc:
        raise Http404(str(exc)) from None
