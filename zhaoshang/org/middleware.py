"""A user signed in with a password someone else gave it (an initial password, or one the system admin reset) is
sent to the password change page from every page, until it has chosen its own."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password and not _exempt(request.path):
            target = reverse("password_change")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


def _exempt(path: str) -> bool:
    """The change page itself, signing out, the static files its page needs and the health check."""
    if path in (reverse("password_change"), reverse("logout"), reverse("healthz")):
        return True
    return path.startswith(settings.STATIC_URL)
