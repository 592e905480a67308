"""Sign-in events go to the audit log. These are Django's and django-axes's own signals: the only way to
hear about a login attempt without rewriting the authentication stack."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.core.client import client_address


def _ip(request):
    return client_address(request) if request is not None else None


def _user_named(username):
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(user, action="auth.login", target=user, source=Source.PAGE, ip=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user, action="auth.logout", target=user, source=Source.PAGE, ip=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    target = _user_named(username)
    record(
        None,
        action="auth.login_failed",
        target=target,
        data={"username": username[:150]},
        source=Source.PAGE,
        ip=_ip(request),
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    target = _user_named(username)
    # Which limit was reached (org/lockout.py): this account from this address, or the address for every account.
    scope = "此地址（所有账号）" if getattr(request, "zs_address_locked", False) else "此账号在此地址"
    record(
        None,
        action="auth.locked_out",
        target=target,
        data={"username": (username or "")[:150], "scope": scope},
        source=Source.PAGE,
        ip=ip_address,
    )
