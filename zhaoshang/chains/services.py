"""Writes to the chains: a chain, its links and its yearly targets. Only a bureau admin managing the chain's owner
(org.ownership) writes them; every function validates first, writes in one transaction and audits the change.

A chain is not a monthly figure: nothing here asks the closed-month guard (a chain's targets are per year and
its figures are computed from the ledger's own dated rows, which keep their own guard)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.chains.models import Chain, ChainLink, ChainTarget
from zhaoshang.core.field_messages import full_clean
from zhaoshang.org.models import Membership, Unit, User, subtree_q
from zhaoshang.org.ownership import managing_unit, require_manages

CHAIN_FIELDS = ["name", "leader", "leader_title", "lead_unit", "description", "sort_order", "is_active"]
LINK_FIELDS = ["name", "position", "strength", "work", "description", "sort_order"]
TARGET_FIELDS = ["signed_count", "signed_amount_wan", "arrived_wan", "landed_count", "floor_area_m2"]


def leader_choices(owner: Unit):
    """The accounts that may be a chain's 链长: members of a unit of the owner's subtree (a 县领导 sits at the
    county; a city's chain may be led by a city leader)."""
    members = Membership.objects.filter(subtree_q([owner], "unit")).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "username")


def lead_unit_choices(owner: Unit):
    """The units that may lead a chain: the owner and the units below it."""
    return Unit.objects.filter(subtree_q([owner]), is_active=True).order_by("path")


def _snapshot(obj, fields) -> dict:
    values = {}
    for field in fields:
        value = getattr(obj, field)
        values[field] = str(value) if hasattr(value, "pk") else value
    return values


def _chain_snapshot(chain: Chain) -> dict:
    values = _snapshot(chain, [f for f in CHAIN_FIELDS if f != "leader"])
    # Its own key: "leader" is a trip's 带队领导 in the audit log's labels.
    values["chain_leader"] = chain.leader.display_name if chain.leader_id else None
    return values


def _validate_chain(chain: Chain) -> None:
    errors: dict[str, list[str]] = {}
    chain.name = (chain.name or "").strip()
    if "/" in chain.name or "／" in chain.name:
        errors["name"] = ["产业链名称不能含“/”（表格中用“产业链/环节”表示环节）"]
    try:
        full_clean(chain, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if chain.leader_id and not leader_choices(chain.owner).filter(pk=chain.leader_id).exists():
        errors.setdefault("leader", []).append("链长须是本单位或下属单位的账号")
    if chain.lead_unit_id and not chain.lead_unit.path.startswith(chain.owner.path):
        errors.setdefault("lead_unit", []).append("牵头单位须是本单位或下属单位")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def chain_create(*, actor, values: dict, owner: Unit | None = None, source: str = Source.PAGE) -> Chain:
    """A chain of `owner` (the actor's own bureau unit when not given)."""
    owner = owner or managing_unit(actor)
    require_manages(actor, owner, "建立产业链")
    chain = Chain(owner=owner, **{k: v for k, v in values.items() if k in CHAIN_FIELDS})
    _validate_chain(chain)
    chain.save()
    record(
        actor,
        action="chain.created",
        target=chain,
        source=source,
        data={k: [None, v] for k, v in _chain_snapshot(chain).items() if v not in (None, "")},
    )
    return chain


@transaction.atomic
def chain_update(*, actor, chain: Chain, values: dict, source: str = Source.PAGE) -> dict:
    chain = Chain.objects.select_for_update(of=("self",)).select_related("owner", "leader").get(pk=chain.pk)
    require_manages(actor, chain.owner, "修改产业链")
    before = _chain_snapshot(chain)
    for field, value in values.items():
        if field in CHAIN_FIELDS:
            setattr(chain, field, value)
    _validate_chain(chain)
    changes = diff(before, _chain_snapshot(chain))
    if not changes:
        return {}
    chain.save()
    record(actor, action="chain.updated", target=chain, source=source, data=changes)
    return changes


@transaction.atomic
def chain_delete(*, actor, chain: Chain, source: str = Source.PAGE) -> None:
    """Refused while a project, lead or target enterprise points at the chain or one of its links (PROTECT):
    the bureau maps them elsewhere first, or sets the chain 停用."""
    chain = Chain.objects.select_for_update().select_related("owner").get(pk=chain.pk)
    require_manages(actor, chain.owner, "删除产业链")
    snapshot = _chain_snapshot(chain)
    links = list(chain.links.values_list("name", flat=True))
    try:
        with transaction.atomic():
            chain.delete()
    except ProtectedError as exc:
        raise ValidationError(
            f"产业链“{chain.name}”仍有 {len(exc.protected_objects)} 个项目或目标企业关联，不能删除；"
            "请先将它们改到其他产业链，或将本产业链设为停用"
        ) from exc
    record(
        actor,
        action="chain.deleted",
        source=source,
        unit=chain.owner,
        data={**{k: [v, None] for k, v in snapshot.items() if v not in (None, "")}, "links": links},
    )


# --- links ---------------------------------------------------------------------------------------------------------


def _validate_link(link: ChainLink) -> None:
    link.name = (link.name or "").strip()
    errors = {}
    if "/" in link.name or "／" in link.name:
        errors["name"] = ["环节名称不能含“/”"]
    try:
        full_clean(link, validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def link_save(*, actor, chain: Chain, values: dict, link: ChainLink | None = None, source: str = Source.PAGE):
    """Add a link to `chain` (link None: placed last unless an order is given) or change one of its links."""
    chain = Chain.objects.select_for_update().select_related("owner").get(pk=chain.pk)
    require_manages(actor, chain.owner, "修改产业链环节")
    if link is None:
        link = ChainLink(chain=chain)
        before = {}
        if values.get("sort_order") in (None, ""):
            last = chain.links.order_by("-sort_order").values_list("sort_order", flat=True).first()
            values = {**values, "sort_order": (last or 0) + 10}
    else:
        link = ChainLink.objects.select_for_update().get(pk=link.pk)
        if link.chain_id != chain.pk:
            raise ValidationError("该环节不属于此产业链")
        before = _snapshot(link, LINK_FIELDS)
    for field, value in values.items():
        if field in LINK_FIELDS and value is not None:
            setattr(link, field, value)
    _validate_link(link)
    changes = diff(before, _snapshot(link, LINK_FIELDS))
    if not changes:
        return link, {}
    created = link.pk is None
    link.save()
    record(
        actor,
        action="chain.link_created" if created else "chain.link_updated",
        target=link,
        source=source,
        data={k: v for k, v in changes.items() if not created or v[1] not in (None, "")},
    )
    return link, changes


@transaction.atomic
def link_delete(*, actor, link: ChainLink, source: str = Source.PAGE) -> None:
    link = ChainLink.objects.select_related("chain__owner").get(pk=link.pk)
    require_manages(actor, link.chain.owner, "删除产业链环节")
    name = str(link)
    try:
        with transaction.atomic():
            link.delete()
    except ProtectedError as exc:
        raise ValidationError(
            f"环节“{name}”仍有 {len(exc.protected_objects)} 个项目或目标企业关联，不能删除；请先将它们改到其他环节"
        ) from exc
    record(actor, action="chain.link_deleted", source=source, unit=link.chain.owner, data={"link": [name, None]})


@transaction.atomic
def link_move(*, actor, link: ChainLink, step: int, source: str = Source.PAGE) -> None:
    """Move a link one place up (step -1) or down (+1) in its chain: the chain's order is renumbered 10, 20, …
    so that two links never share a place."""
    link = ChainLink.objects.select_related("chain__owner").get(pk=link.pk)
    require_manages(actor, link.chain.owner, "调整环节顺序")
    links = list(ChainLink.objects.select_for_update().filter(chain_id=link.chain_id).order_by("sort_order", "id"))
    at = next(i for i, item in enumerate(links) if item.pk == link.pk)
    other = at + step
    if not 0 <= other < len(links):
        return
    links[at], links[other] = links[other], links[at]
    for index, item in enumerate(links, start=1):
        if item.sort_order != index * 10:
            item.sort_order = index * 10
            item.save(update_fields=["sort_order"])
    record(
        actor,
        action="chain.links_reordered",
        target=link.chain,
        source=source,
        data={"order": [None, [item.name for item in links]]},
    )


# --- targets -------------------------------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, actor, chain: Chain, year: int, values: dict, source: str = Source.PAGE) -> dict:
    """Set a chain's targets for a year (a blank target is not assessed); all blank removes the year's row."""
    chain = Chain.objects.select_for_update().select_related("owner").get(pk=chain.pk)
    require_manages(actor, chain.owner, "设置产业链目标")
    target = ChainTarget.objects.filter(chain=chain, year=year).first()
    before = _snapshot(target, TARGET_FIELDS) if target else {}
    if target is None:
        target = ChainTarget(chain=chain, year=year)
    for field in TARGET_FIELDS:
        setattr(target, field, values.get(field))
    full_clean(target, validate_unique=False, validate_constraints=False)
    after = _snapshot(target, TARGET_FIELDS)
    if all(v is None for v in after.values()):
        after = {}
    changes = diff(before, after) if after else {k: [v, None] for k, v in before.items() if v is not None}
    if not changes:
        return {}
    if after:
        target.save()
    else:
        target.delete()
    record(actor, action="chain.target_set", target=chain, source=source, data={"year": year, **changes})
    return changes
