"""Writes of the honours (表彰). Each checks who may, validates, writes and records an audit entry in one
transaction; the pages and any command come here. A round 已定稿 refuses every write (ValidationError)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.assessment.models import Publication
from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.honours import proposal
from zhaoshang.honours.access import may_manage, nominating_units
from zhaoshang.honours.models import (
    HonouredUnit,
    HonoursRound,
    Nomination,
    NominationStatus,
    Origin,
    RoundStatus,
    UnitRule,
    default_title,
)
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin

SETTINGS = ("title", "rule", "top_n", "group_top_n", "min_score", "honour", "group_honours", "reason", "closing")


def latest_publication(publication: Publication) -> Publication:
    return Publication.objects.filter(scheme_id=publication.scheme_id).order_by("-version").first() or publication


def default_reason(year: int) -> str:
    return (
        f"{year}年，各地各部门认真贯彻落实县委、县政府决策部署，坚持把招商引资和项目建设作为经济工作的生命线，"
        "涌现出一批成绩突出的先进单位和先进个人。为表彰先进、树立典型，经考核评定，决定对以下单位和个人予以表彰。"
    )


DEFAULT_CLOSING = (
    "希望受表彰的单位和个人珍惜荣誉、再接再厉，再创佳绩。各地各部门要以先进为榜样，"
    "进一步坚定信心、真抓实干，奋力开创招商引资和项目建设新局面。"
)


def _require_manager(actor, honours: HonoursRound, doing: str):
    if actor is not None and not may_manage(actor, honours):
        raise PermissionDenied(f"只有表彰单位的主管部门管理员可以{doing}")


def _require_draft(honours: HonoursRound):
    if honours.is_final:
        raise ValidationError("该表彰已定稿，不能再修改")


def _locked_draft(honours: HonoursRound) -> HonoursRound:
    """The round's row locked until the transaction ends, still a draft: a write and 定稿 at the same moment take
    turns, so nothing is added to a round once it is 已定稿."""
    locked = HonoursRound.objects.select_for_update().get(pk=honours.pk)
    _require_draft(locked)
    return locked


def _check_settings(values: dict):
    if values["rule"] == UnitRule.SCORE and values.get("min_score") is None:
        raise ValidationError({"min_score": "按分数线评选时请填写分数线"})
    for group, n in (values.get("group_top_n") or {}).items():
        if not isinstance(n, int) or n < 1:
            raise ValidationError({"group_top_n": f"{group}的名额应为正整数"})


def round_create(*, actor, publication: Publication, values: dict | None = None, source=Source.PAGE) -> HonoursRound:
    scheme = publication.scheme
    if actor is not None and not (is_bureau_admin(actor) and scheme.owner_id in editable_unit_ids(actor)):
        raise PermissionDenied("只有考核方案所属单位的主管部门管理员可以发起表彰")
    values = dict(values or {})
    values.setdefault("title", default_title(scheme.year))
    values.setdefault("rule", UnitRule.TOP)
    values.setdefault("reason", default_reason(scheme.year))
    values.setdefault("closing", DEFAULT_CLOSING)
    _check_settings(values)
    with transaction.atomic():
        honours = HonoursRound(
            owner=scheme.owner,
            publication=latest_publication(publication),
            year=scheme.year,
            created_by=actor if getattr(actor, "pk", None) else None,
            **{k: v for k, v in values.items() if k in SETTINGS},
        )
        honours.full_clean()
        honours.save()
        record(
            actor,
            action="honours.created",
            target=honours,
            source=source,
            data={"publication": honours.publication_id, "version": honours.publication.version, **values},
        )
    return honours


def round_update(*, actor, honours: HonoursRound, values: dict, source=Source.PAGE) -> HonoursRound:
    _require_manager(actor, honours, "修改表彰")
    _require_draft(honours)
    _check_settings(values)
    with transaction.atomic():
        _locked_draft(honours)
        before = {k: getattr(honours, k) for k in SETTINGS}
        for key in SETTINGS:
            if key in values:
                setattr(honours, key, values[key])
        honours.full_clean()
        honours.save()
        changed = {k: [before[k], getattr(honours, k)] for k in SETTINGS if before[k] != getattr(honours, k)}
        record(actor, action="honours.updated", target=honours, source=source, data=changed)
    return honours


def _unit_by_name(honours: HonoursRound, name: str) -> Unit | None:
    return Unit.objects.filter(name=name, path__startswith=honours.owner.path).first()


def round_propose(*, actor, honours: HonoursRound, source=Source.PAGE) -> list[HonouredUnit]:
    """提议: the units by the rule from the latest version of the result, replacing every earlier proposal (and the
    bureau's additions and removals, which were made against the earlier list)."""
    _require_manager(actor, honours, "提议先进单位")
    _require_draft(honours)
    with transaction.atomic():
        honours = _locked_draft(honours)
        latest = latest_publication(honours.publication)
        old_version = honours.publication.version
        honours.publication = latest
        result = latest.result
        if honours.rule == UnitRule.SCORE:
            chosen, notes = proposal.propose_score(result, Decimal(honours.min_score)), []
        else:
            chosen, notes = proposal.propose_top(result, honours.n_for)
        before = list(honours.units.values_list("unit_name", flat=True))
        honours.units.all().delete()
        rows = HonouredUnit.objects.bulk_create(
            HonouredUnit(
                round=honours,
                unit=_unit_by_name(honours, p.unit),
                unit_name=p.unit,
                group=p.group,
                total=p.total,
                rank=p.rank,
                honour=honours.honour_for(p.group),
                tied=p.tied,
            )
            for p in chosen
        )
        honours.proposed_at = timezone.now()
        honours.tie_notes = [n.words for n in notes]
        honours.save(update_fields=["publication", "proposed_at", "tie_notes"])
        record(
            actor,
            action="honours.proposed",
            target=honours,
            source=source,
            data={
                "version": [old_version, latest.version],
                "before": before,
                "units": [p.unit for p in chosen],
                "ties": [n.words for n in notes],
            },
        )
    return rows


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写理由"})
    return reason


def unit_remove(*, actor, honoured: HonouredUnit, reason: str, source=Source.PAGE) -> HonouredUnit:
    honours = honoured.round
    _require_manager(actor, honours, "调整先进单位")
    _require_draft(honours)
    reason = _reason(reason)
    if honoured.removed:
        raise ValidationError(f"{honoured.unit_name}已移除")
    with transaction.atomic():
        _locked_draft(honours)
        honoured.removed, honoured.reason = True, reason
        honoured.save(update_fields=["removed", "reason"])
        record(
            actor,
            action="honours.unit_removed",
            target=honours,
            source=source,
            data={"unit": honoured.unit_name, "reason": reason},
        )
    return honoured


def unit_add(*, actor, honours: HonoursRound, unit_name: str, reason: str, source=Source.PAGE) -> HonouredUnit:
    """Add a unit of the result (or put back one removed), with the reason."""
    _require_manager(actor, honours, "调整先进单位")
    _require_draft(honours)
    reason = _reason(reason)
    found = proposal.result_row(honours.publication.result, unit_name)
    if found is None:
        raise ValidationError({"unit_name": f"“{unit_name}”不在本次考核结果中"})
    row, total, rank = found
    with transaction.atomic():
        _locked_draft(honours)
        honoured = honours.units.filter(unit_name=unit_name).first()
        if honoured is not None and not honoured.removed:
            raise ValidationError({"unit_name": f"{unit_name}已在先进单位名单中"})
        if honoured is None:
            group = row.get("group") or ""
            honoured = HonouredUnit(
                round=honours,
                unit=_unit_by_name(honours, unit_name),
                unit_name=unit_name,
                group=group,
                total=total,
                rank=rank,
                honour=honours.honour_for(group),
                origin=Origin.ADDED,
            )
        honoured.removed, honoured.reason = False, reason
        honoured.save()
        data = {"unit": unit_name, "reason": reason}
        record(actor, action="honours.unit_added", target=honours, source=source, data=data)
    return honoured


NOMINATION_FIELDS = ("unit", "name", "position", "deeds")


def nomination_add(*, actor, honours: HonoursRound, values: dict, projects=(), source=Source.PAGE) -> Nomination:
    """A unit's 先进个人: its reporter or head for its own unit, the bureau for any unit of its subtree."""
    _require_draft(honours)
    unit = values["unit"]
    if actor is not None and not nominating_units(actor, honours).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"您不能为{unit.name}推荐先进个人")
    if not unit.path.startswith(honours.owner.path):
        raise ValidationError({"unit": f"{unit.name}不在本次表彰范围内"})
    for project in projects:
        if not project.responsible_unit.path.startswith(unit.path):
            raise ValidationError({"projects": f"项目{project.code}不是{unit.name}的项目"})
    with transaction.atomic():
        _locked_draft(honours)
        nomination = Nomination(
            round=honours,
            nominated_by=actor if getattr(actor, "pk", None) else None,
            **{k: values[k] for k in NOMINATION_FIELDS},
        )
        nomination.full_clean()
        nomination.save()
        nomination.projects.set(projects)
        record(
            actor,
            action="honours.nominated",
            target=nomination,
            source=source,
            data={
                "round": honours.pk,
                "unit": unit.name,
                "name": nomination.name,
                "position": nomination.position,
                "projects": [p.code for p in projects],
            },
        )
    return nomination


def nomination_decide(*, actor, nomination: Nomination, status: str, note: str = "", source=Source.PAGE):
    honours = nomination.round
    _require_manager(actor, honours, "审核先进个人")
    _require_draft(honours)
    if status not in (NominationStatus.APPROVED, NominationStatus.REJECTED, NominationStatus.NOMINATED):
        raise ValidationError({"status": "请选择通过或未通过"})
    note = (note or "").strip()
    if status == NominationStatus.REJECTED and not note:
        raise ValidationError({"note": "未通过时请填写审核意见"})
    with transaction.atomic():
        _locked_draft(honours)
        old = nomination.status
        nomination.status, nomination.note = status, note
        nomination.decided_at = timezone.now()
        nomination.save(update_fields=["status", "note", "decided_at"])
        record(
            actor,
            action="honours.nomination_decided",
            target=nomination,
            source=source,
            data={"status": [old, status], "note": note, "round": honours.pk},
        )
    return nomination


def round_finalize(*, actor, honours: HonoursRound, source=Source.PAGE) -> HonoursRound:
    _require_manager(actor, honours, "定稿表彰")
    _require_draft(honours)
    with transaction.atomic():
        honours = _locked_draft(honours)
        if honours.proposed_at is None:
            raise ValidationError("请先提议先进单位，再定稿")
        pending = honours.nominations.filter(status=NominationStatus.NOMINATED).count()
        if pending:
            raise ValidationError(f"还有{pending}名先进个人推荐未审核，请审核后再定稿")
        honours.status, honours.finalized_at = RoundStatus.FINAL, timezone.now()
        honours.save(update_fields=["status", "finalized_at"])
        record(
            actor,
            action="honours.finalized",
            target=honours,
            source=source,
            data={
                "units": list(honours.units.filter(removed=False).values_list("unit_name", flat=True)),
                "persons": list(
                    honours.nominations.filter(status=NominationStatus.APPROVED).values_list("name", flat=True)
                ),
            },
        )
    return honours
