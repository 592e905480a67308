"""The signed-in user's own notifications (通知) and marking them read. Every query starts from request.user:
there is no way to name another user's notification, so there is nothing to scope beyond that."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import refusal_text
from zhaoshang.core.periods import format_month, parse_month
from zhaoshang.notifications import services
from zhaoshang.notifications.models import Notification, RobotDelivery
from zhaoshang.notifications.robots import configured_channels
from zhaoshang.notifications.urge import report_urge
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.models import Unit
from zhaoshang.org.ownership import is_root_bureau, managed_unit_named, managing_unit


@business_reader_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page}
    if is_root_bureau(request.user):
        # The bureau sees whether the group robots are reaching their groups (a failure is otherwise silent).
        # The robots are the install's, and their messages name every county: the root's bureau only.
        context["robot_channels"] = [channel.label for channel, _ in configured_channels()]
        context["deliveries"] = RobotDelivery.objects.all()[:10]
    return render(request, "notifications/notification_list.html", context)


@require_POST
@business_reader_required
def notification_read(request):
    """Mark read: one notification (`id`), else all the user's unread ones. With `open`, go on to what the
    notification is about (its stored link, a path inside the product)."""
    raw = request.POST.get("id", "").strip()
    ids = None if raw == "" else ([int(raw)] if raw.isascii() and raw.isdigit() else [])  # not "²"
    count = services.notifications_mark_read(user=request.user, ids=ids)
    if ids and "open" in request.POST:
        notification = Notification.objects.filter(user=request.user, pk=ids[0]).first()
        if notification is not None and notification.link:
            return redirect(notification.link)
    if ids is None:
        messages.success(request, f"已将 {count} 条通知标为已读" if count else "没有未读通知")
    return redirect("notification_list")


@require_POST
@bureau_required
def month_urge(request, month_text):
    """催报 from the 上报情况 page: remind the scope's units that have not reported the month, then back to it."""
    try:
        month = parse_month(month_text)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    scope = _urge_scope(request)
    back = reverse("month_status", args=[format_month(month)])
    if scope != managing_unit(request.user):
        back += f"?unit={scope.pk}"
    try:
        urged = report_urge(actor=request.user, scope=scope, month=month)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            f"已向{len(urged.units)}个未上报单位催报（{urged.notified}人收到通知；今天已催过的不重复通知）",
        )
    return redirect(back)


def _urge_scope(request) -> Unit:
    """The scope the 上报情况 page showed (its `unit`), among the units this bureau manages; 404 for any other, so
    a county's bureau cannot even learn whether a neighbour's unit exists."""
    return managed_unit_named(request.user, request.POST.get("unit"))
