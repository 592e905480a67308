from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhaoshang.notifications"
    verbose_name = "通知与提醒"

    def ready(self):
        # Signals of the apps below this one, which cannot import it (docs/architecture.md).
        from zhaoshang.frontline.signals import lead_transferred  # noqa: PLC0415  an app's ready()
        from zhaoshang.notifications.lead_events import tell_old_unit  # noqa: PLC0415  an app's ready()

        lead_transferred.connect(tell_old_unit, dispatch_uid="notifications.lead_transferred")
