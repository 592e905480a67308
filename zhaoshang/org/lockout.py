"""Login throttling with two limits: an account from one address, and one address whatever the account.

Five wrong passwords for `bureau` typed from one address stop `bureau` signing in from that address for the
cool-off (30 minutes), and only there: a stranger cannot lock the bureau out of its own office by guessing its
password from elsewhere. An address that fails many times (30 by default) over any accounts is stopped for
every account, so one machine cannot try five passwords on each of many accounts.

django-axes counts the failures (one row per account, address and browser) and answers with the lockout page, but
it compares one count with one limit. Its lockout parameter is the account-and-address pair, and the handler
below adds the address's own count: once the address is over its limit, the pair's count is reported as at least
the account limit, so axes refuses, records the attempt and sends its lockout signal the same way for both.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def address_failures(request) -> int:
    """Failed sign-ins from the request's address within the cool-off, over every account."""
    rows = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return rows.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)  # this account from this address
        address_locked = address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        request.zs_address_locked = address_locked
        if address_locked:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(request, original_response=None, credentials=None):
    """The page a refused sign-in gets (429), saying which limit was reached."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    context = {
        "address_locked": getattr(request, "zs_address_locked", False),
        "minutes": minutes,
        "account_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)
