"""Idle sign-out (ZHAOSHANG_SESSION_IDLE_MINUTES, 30) without a database write on every page.

The session's expiry is pushed back by saving it. Saving on every request (SESSION_SAVE_EVERY_REQUEST) wrote the
session row in its own transaction for each page: three of a cached dashboard's ten queries, and a commit. Now a
signed-in session is saved when its last renewal is a minute old or more, so the 30 minutes still count from the
last request, to within that minute."""

import time

from django.conf import settings

RENEWED = "_zs_renewed"  # when the session's expiry was last pushed back (seconds since the epoch)


class IdleSessionRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # After the view: signing in or out has replaced or flushed the session by now, and a signed-in one is
        # marked modified here, which SessionMiddleware (outside this one) then saves with a new expiry.
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(RENEWED, 0)) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED] = now
        return response
