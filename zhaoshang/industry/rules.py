"""The library's two rules, read by the services, the pages and the sheet alike.

Duplicates (one target per enterprise in a county). Names are compared as written once spaces are dropped and
half-width brackets read as full-width (企业名称 are registered with （）). In the same county, a target is a
duplicate of another when
- both have a 统一社会信用代码 and it is the same; or
- the names are the same and at least one of the two has no code (a name is the only identity a target without a
  code has). Two targets of the same name with two different codes are two enterprises, and both are kept.
Another county's library is its own: the same enterprise may be a target of two counties.

Contact status (未接触 < 已接触 < 有意向 < 已签约). The work linked to a target sets a floor: a trip or reception
→ 已接触; a lead (a project at 线索 or 在谈) → 有意向; a project at 签约 or beyond → 已签约; a dropped (终止) project
counts as contact only. Linking work raises the status to the floor and never lowers it; by hand the status may be
set anywhere at or above the floor (never below what the linked work shows)."""

import re

from django.db.models import Exists, OuterRef, Q

from zhaoshang.industry.models import CONTACT_ORDER, ContactStatus, TargetEnterprise
from zhaoshang.projects.models import Stage

LEAD_STAGES = (Stage.LEAD, Stage.NEGOTIATING)
SIGNED_STAGES = (Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING)
_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def canonical_name(name: str) -> str:
    return _SPACES.sub("", (name or "").translate(_BRACKETS))


def duplicate_q(name: str, credit_code: str) -> Q:
    """The targets (of one county) that a target of this name and code would duplicate."""
    match = Q(name=name, credit_code="")
    if credit_code:
        match |= Q(credit_code=credit_code)
    else:
        match |= Q(name=name)
    return match


def find_duplicate(county_id: int, name: str, credit_code: str, exclude_pk=None) -> TargetEnterprise | None:
    rows = TargetEnterprise.objects.filter(duplicate_q(name, credit_code), county_id=county_id)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.select_related("unit").order_by("pk").first()


def rank(status: str) -> int:
    return CONTACT_ORDER.index(status)


def higher(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


def status_for_stage(stage: str) -> str:
    if stage in SIGNED_STAGES:
        return ContactStatus.SIGNED
    if stage in LEAD_STAGES:
        return ContactStatus.INTERESTED
    return ContactStatus.CONTACTED  # 终止: the investor was met, nothing more


def floor_of(target: TargetEnterprise) -> str:
    """What the work linked to the target shows, in three small queries."""
    stages = set(target.projects.values_list("stage", flat=True)) if target.pk else set()
    floor = ContactStatus.NONE
    for stage in stages:
        floor = higher(floor, status_for_stage(stage))
    if floor == ContactStatus.NONE and target.pk and (target.trips.exists() or target.receptions.exists()):
        floor = ContactStatus.CONTACTED
    return floor


def unworked_q() -> Q:
    """无人对接: 未接触, and no trip, reception, lead or project linked."""
    through = TargetEnterprise
    linked = [
        Exists(through.trips.through.objects.filter(targetenterprise_id=OuterRef("pk"))),
        Exists(through.receptions.through.objects.filter(targetenterprise_id=OuterRef("pk"))),
        Exists(through.projects.through.objects.filter(targetenterprise_id=OuterRef("pk"))),
    ]
    return Q(status=ContactStatus.NONE) & ~linked[0] & ~linked[1] & ~linked[2]
