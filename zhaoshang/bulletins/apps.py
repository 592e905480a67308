from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "zhaoshang.bulletins"
    verbose_name = "通报"

    def ready(self):
        # A dispatch meeting (coordination, below this app) takes up the worst N of each list of projects, N the
        # unit's 发文设置 as for the 调度 material: handed down here, as coordination may not import bulletins.
        from zhaoshang.bulletins.office import list_limit_for  # noqa: PLC0415  (the app registry is ready)
        from zhaoshang.coordination.agenda import use_limit_of  # noqa: PLC0415

        use_limit_of(list_limit_for)
        # The chain map's lists (progress, below this app) show the same N, the chain owner's.
        from zhaoshang.progress.chain_map import use_limit_of as chain_map_limit_of  # noqa: PLC0415

        chain_map_limit_of(list_limit_for)

        from zhaoshang.bulletins import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The cached draft's version (org/versions.py): the issued bulletin it compares with, and the issuing
        # office's settings (the list's length, the letterhead; a unit without its own reads its parent's).
        versions.watch(models.Bulletin, versions.via("unit"))
        versions.watch(models.IssuingOffice, versions.via("unit"))
        # The cached 观摩 material: a pick is offered first, and a project picked for an earlier month not again.
        versions.watch(models.ObservationPick, versions.via_project())
