from django.apps import AppConfig
from django.db.models.signals import post_save


def _project_saved(sender, instance, created, **kwargs):
    """A linked lead that is signed raises its targets to 已签约 (industry/rules.py): the ledger knows nothing of
    targets, so the library listens to its saves. A project just created has no target linked yet."""
    if not created and not kwargs.get("raw"):
        from zhaoshang.industry.services import raise_for_project  # noqa: PLC0415  (apps load before services)

        raise_for_project(instance)


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    verbose_name = "目标企业库"

    def ready(self):
        from zhaoshang.industry import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        post_save.connect(_project_saved, sender="projects.Project", dispatch_uid="industry_project_saved")
        # The dashboard's chain coverage (progress/chain_card.py) and the 季度小结's weakest links count target
        # enterprises per link: a save or delete moves the version of the owner unit's branch (its county's is the
        # same branch).
        versions.watch(models.TargetEnterprise, versions.via("unit", "county"))
