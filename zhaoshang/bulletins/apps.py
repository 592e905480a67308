from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "zhaoshang.bulletins"
    verbose_name = "通报"

    def ready(self):
        from zhaoshang.bulletins import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The cached draft's version (org/versions.py): the issued bulletin it compares with, and the issuing
        # office's settings (the list's length, the letterhead; a unit without its own reads its parent's).
        versions.watch(models.Bulletin, versions.via("unit"))
        versions.watch(models.IssuingOffice, versions.via("unit"))
