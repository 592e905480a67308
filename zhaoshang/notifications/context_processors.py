from zhaoshang.notifications.models import Notification
from zhaoshang.org import scoping


def unread(request):
    """The nav badge: how many of the signed-in user's notifications are unread. One indexed COUNT per page
    (the user's memberships are already cached by org's `roles` processor, listed before this one); nothing for
    the anonymous, the system admin and the auditor, whose nav has no link to notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not scoping.reads_business_data(user):
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
