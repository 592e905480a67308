"""Issuing a bulletin: freeze the period's snapshot and text, with what changed since the previous one."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.bulletins.models import Bulletin, ObservationPick
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.bulletins.text import bulletin_text, period_words
from zhaoshang.core.periods import current_month, month_start
from zhaoshang.org.ownership import require_manages
from zhaoshang.org.scoping import require_bureau_admin


def latest_issued(unit, before: date | None = None) -> Bulletin | None:
    issued = Bulletin.objects.filter(unit=unit)
    if before is not None:
        issued = issued.filter(period__lt=before)
    return issued.order_by("-period", "-issued_at").first()


def bulletin_title(unit, month: date) -> str:
    return f"关于{month.year}年{period_words(month.month)}{unit.name}招商引资和项目建设情况的通报"


def draft(unit, month: date) -> tuple[dict, str, Bulletin | None]:
    """The snapshot and text as they would be issued now, and the previous issued bulletin they compare with."""
    previous = latest_issued(unit, before=month_start(month))
    snapshot = build_snapshot(unit, month_start(month))
    return snapshot, bulletin_text(snapshot, previous.snapshot if previous else None), previous


@transaction.atomic
def bulletin_issue(*, actor, unit, month: date, source: str = Source.PAGE) -> Bulletin:
    require_bureau_admin(actor, "印发通报")
    require_manages(actor, unit, "印发该单位的通报")  # a county's bureau issues for its own subtree only
    month = month_start(month)
    if month >= current_month():
        raise ValidationError("本月尚未结束，不能印发本月通报")
    snapshot, text, previous = draft(unit, month)
    snapshot["text"] = text
    bulletin = Bulletin.objects.create(
        unit=unit,
        period=month,
        title=bulletin_title(unit, month),
        text=text,
        snapshot=snapshot,
        issued_by=actor,
        previous=previous,
    )
    record(
        actor,
        action="bulletin.issued",
        target=bulletin,
        source=source,
        data={"period": snapshot["period"], "previous": previous.pk if previous else None},
    )
    return bulletin


@transaction.atomic
def observation_pick(*, actor, project, month: date, picked: bool, source: str = Source.PAGE) -> bool:
    """Pick (or unpick) a project for the month's 观摩. True when something changed."""

    month = month_start(month)
    existing = ObservationPick.objects.filter(project=project, month=month).first()
    if picked == (existing is not None):
        return False
    if picked:
        ObservationPick.objects.create(project=project, month=month, picked_by=actor)
    else:
        existing._meta.model.objects.filter(pk=existing.pk).delete()
    record(
        actor,
        action="observation.picked" if picked else "observation.unpicked",
        target=project,
        source=source,
        data={"month": f"{month:%Y-%m}"},
    )
    return True
