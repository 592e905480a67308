"""What the bulletins' pages for a month and a unit share (the draft bulletin, the meeting materials): reading the
month and the unit from the query, the month chooser, the query that keeps both, and the bureau's writes on such a
page."""

from datetime import date

from django.core.exceptions import PermissionDenied

from zhaoshang.core.periods import format_month
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import is_bureau_admin
from zhaoshang.progress.views.common import period_from, recent_months


def page_period(request) -> tuple[date, Unit]:
    """The month (?month=, by default last month) and the unit (?unit=, 404 outside the user's scope) a page is for."""
    return period_from(request), unit_from_request(request)


def period_query(month: date, root: Unit) -> str:
    """The query that keeps a page's month and unit: its links and the redirect back to it."""
    return f"month={format_month(month)}&unit={root.pk}"


def period_context(month: date, root: Unit) -> dict:
    """The part of a page's context that says which month and unit it is for."""
    return {"month": month, "months": recent_months(), "report": {"root": root}, "query": period_query(month, root)}


def bureau_period(request, refusal: str) -> tuple[date, Unit]:
    """A write only the bureau may make on a page's month and unit: 403 (`refusal`) for anyone else, then the month
    and the unit (404 outside the user's scope)."""
    if not is_bureau_admin(request.user):
        raise PermissionDenied(refusal)
    return page_period(request)
