"""The signed-in user's own account: changing its password (forced at first sign-in with an initial password)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from zhaoshang.org import accounts
from zhaoshang.org.forms import AccountPasswordChangeForm


def _next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@login_required
def password_change(request):
    form = AccountPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.account_password_change(
            user=request.user, password=form.cleaned_data["new_password1"], ip=request.META.get("REMOTE_ADDR")
        )
        update_session_auth_hash(request, request.user)  # stay signed in here; other sessions end
        messages.success(request, "密码已修改")
        return redirect(_next(request) or "home")
    context = {"form": form, "forced": request.user.must_change_password, "next": _next(request) or ""}
    return render(request, "org/password_change.html", context, status=400 if form.errors else 200)
