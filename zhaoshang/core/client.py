"""The address a request came from, read one way everywhere: the login throttle, the sign-in audit and every
audited write.

Behind a reverse proxy (ZHAOSHANG_BEHIND_PROXY=1) REMOTE_ADDR is the proxy's own address, and the client's is
the last entry the proxy appended to X-Forwarded-For. Only that right-most entry is trusted: everything to its
left was sent by the client and can say anything (a stranger could otherwise pick the address it is throttled
or audited under). Without a proxy the header is ignored altogether.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

# The address of the request being answered, for audit.record() (set by ClientAddressMiddleware; None in
# commands, imports run from the command line and anything else without a request).
_current_address: ContextVar[str | None] = ContextVar("current_address", default=None)


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or ""
        appended = forwarded.rsplit(",", 1)[-1] if forwarded else ""
        return _valid(appended) or remote
    return remote


def current_address() -> str | None:
    return _current_address.get()


class ClientAddressMiddleware:
    """Makes the request's address known to audit.record() for as long as the request is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _current_address.reset(token)
