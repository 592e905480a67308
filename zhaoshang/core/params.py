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


def whole_number(text) -> int | None:
    """`text` as a whole number if it is ASCII digits (surrounding spaces allowed), else None. str.isdigit() is not
    the test: '²' and other Unicode digits pass it and then make int() fail (a 500 on `?unit=²`)."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None
