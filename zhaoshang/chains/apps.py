from django.apps import AppConfig


def _link_units(instance):
    """A link belongs to its chain's owner (one query when the chain is not loaded: links are saved one at a time)."""
    return instance.chain.owner_id


class ChainsConfig(AppConfig):
    name = "zhaoshang.chains"
    verbose_name = "产业链"

    def ready(self):
        from zhaoshang.chains import models  # noqa: PLC0415  (models are loaded only now)
        from zhaoshang.org import versions  # noqa: PLC0415

        # The dashboard's chain coverage (progress/chain_card.py, cached by org/versions.py) reads the chains and
        # their links: a save or delete moves the version of the owner's branch.
        versions.watch(models.Chain, versions.via("owner"))
        versions.watch(models.ChainLink, _link_units)
        # The draft bulletin's chain table and the 季度小结 read the chains' yearly targets too.
        versions.watch(models.ChainTarget, lambda target: target.chain.owner_id)
