"""Chains, links, target enterprises and projects on them for the chain map's tests (the chains' and the target
library's own services are other parts of issue 17; these rows are written through the ORM, whose saves move the
cached pages' version by the apps' signals like the services' will)."""

from datetime import timedelta

from tests.factories import default_signing_day, make_project
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.org.departments import home_county


def make_chain(owner, name, links):
    """links: [(name, position, strength)], in their order."""
    chain = Chain.objects.create(owner=owner, name=name)
    made = [
        ChainLink.objects.create(chain=chain, name=n, position=p, strength=s, sort_order=i)
        for i, (n, p, s) in enumerate(links)
    ]
    return chain, made


def stage_values(stage):
    """The dates and amounts a project needs to be at `stage` (projects/rules.py)."""
    day = default_signing_day()
    if stage in ("线索", "在谈"):
        return {"stage": stage, "signed_on": None, "contract_amount": None}
    values = {"stage": stage, "signed_on": day}
    if stage in ("开工", "投产"):
        values["started_on"] = day
    if stage == "投产":
        values["production_on"] = day + timedelta(days=0)
    if stage == "终止":
        values["dropped_reason"] = "投资方撤回"
    return values


def project_on(actor, unit, link, stage, *, chain=None, **overrides):
    """A ledger project of `unit` at `stage`, pointing at `link` (or only at `chain` when link is None)."""
    project = make_project(actor, unit, **{**stage_values(stage), **overrides})
    project.chain = chain or link.chain
    project.chain_link = link
    project.save(update_fields=["chain", "chain_link"])
    return project


def target_on(unit, link, status, name, *, chain=None):
    return TargetEnterprise.objects.create(
        unit=unit, county=home_county(unit), name=name, chain=chain or link.chain, link=link, status=status
    )
