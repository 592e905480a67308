"""The signed-in user's own notifications (通知) and marking them read. Every query starts from request.user:
there is no way to name another user's notification, so there is nothing to scope beyond that."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.notifications import services
from zhaoshang.notifications.models import Notification, RobotDelivery
from zhaoshang.notifications.robots import configured_channels
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.ownership import is_root_bureau


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
