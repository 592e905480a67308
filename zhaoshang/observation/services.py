"""Writes to the 观摩 events. The bureau managing the event's owner (org.ownership) lays the event out (criteria,
judges, the route, weights, status) and reopens sheets; a judge writes only its own sheet's scores, while the
event is 评分中 and the sheet not submitted; the bureau types the scores of a judge entered by name. Every
function validates first, writes in one transaction and audits the change. Once 已结束 nothing changes."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.bulletins.models import ObservationPick
from zhaoshang.core.field_messages import full_clean
from zhaoshang.core.periods import month_start
from zhaoshang.observation.models import Criterion, Event, Judge, Score, Status, Visit
from zhaoshang.org.models import Membership, Unit, User, subtree_q
from zhaoshang.org.ownership import manages, managing_unit, require_manages
from zhaoshang.projects.models import Project

EVENT_FIELDS = ["name", "date", "year", "note"]
ONE_DECIMAL = Decimal("0.1")


def judge_account_choices(owner: Unit):
    """The accounts that may judge: members of a unit of the owner's subtree."""
    members = Membership.objects.filter(subtree_q([owner], "unit")).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "username")


def _locked_event(event: Event, actor, doing: str) -> Event:
    event = Event.objects.select_for_update().select_related("owner").get(pk=event.pk)
    require_manages(actor, event.owner, doing)
    if event.is_closed:
        raise ValidationError(f"观摩活动“{event.name}”已结束，结果已冻结，不能再{doing}")
    return event


def _event_snapshot(event: Event) -> dict:
    return {
        "name": event.name,
        "date": event.date.isoformat() if event.date else None,
        "year": event.year,
        "note": event.note,
        "status": event.status,
    }


def _validate_event(event: Event) -> None:
    event.name = (event.name or "").strip()
    full_clean(event, validate_unique=True, validate_constraints=True)


@transaction.atomic
def event_create(*, actor, values: dict, owner: Unit | None = None, source: str = Source.PAGE) -> Event:
    owner = owner or managing_unit(actor)
    require_manages(actor, owner, "建立观摩活动")
    event = Event(owner=owner, **{k: v for k, v in values.items() if k in EVENT_FIELDS})
    if not event.year and event.date:
        event.year = event.date.year
    _validate_event(event)
    event.save()
    record(
        actor,
        action="observation.event_created",
        target=event,
        source=source,
        data={k: [None, v] for k, v in _event_snapshot(event).items() if v not in (None, "")},
    )
    return event


@transaction.atomic
def event_update(*, actor, event: Event, values: dict, source: str = Source.PAGE) -> dict:
    event = _locked_event(event, actor, "修改观摩活动")
    before = _event_snapshot(event)
    for field in EVENT_FIELDS:
        if field in values:
            setattr(event, field, values[field])
    _validate_event(event)
    changes = diff(before, _event_snapshot(event))
    if changes:
        event.save()
        record(actor, action="observation.event_updated", target=event, source=source, data=changes)
    return changes


@transaction.atomic
def event_set_status(*, actor, event: Event, status: str, source: str = Source.PAGE) -> bool:
    """筹备 → 评分中 → 已结束 (and 评分中 back to 筹备). Scoring opens only with criteria, judges and projects;
    已结束 freezes the results: it cannot be undone."""
    event = _locked_event(event, actor, "更改观摩活动状态")
    if status not in Status.values:
        raise ValidationError("状态不正确")
    if status == event.status:
        return False
    if status == Status.SCORING:
        missing = [
            label
            for label, has in (
                ("评分项目", event.criteria.exists()),
                ("评委", event.judges.exists()),
                ("观摩项目", event.visits.exists()),
            )
            if not has
        ]
        if missing:
            raise ValidationError(f"开始评分前请先设置{'、'.join(missing)}")
    if status == Status.CLOSED and not event.judges.filter(submitted_at__isnull=False).exists():
        raise ValidationError("还没有评委提交评分，不能结束评分")
    before = event.status
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    record(actor, action="observation.status_changed", target=event, source=source, data={"status": [before, status]})
    return True


@transaction.atomic
def event_delete(*, actor, event: Event, source: str = Source.PAGE) -> None:
    event = Event.objects.select_for_update().select_related("owner").get(pk=event.pk)
    require_manages(actor, event.owner, "删除观摩活动")
    if event.status != Status.PREPARING:
        raise ValidationError("只有筹备中的观摩活动可以删除")
    snapshot = _event_snapshot(event)
    owner = event.owner
    event.delete()
    record(
        actor, action="observation.event_deleted", unit=owner, source=source, data={"name": [snapshot["name"], None]}
    )


def _refuse_if_scored(event: Event, doing: str) -> None:
    if Score.objects.filter(judge__event=event).exists():
        raise ValidationError(f"已有评委打分，不能再{doing}")


# --- criteria ------------------------------------------------------------------------------------------------------


@transaction.atomic
def criterion_add(*, actor, event: Event, name: str, full_marks, source: str = Source.PAGE) -> Criterion:
    event = _locked_event(event, actor, "设置评分项目")
    _refuse_if_scored(event, "增加评分项目")
    last = event.criteria.aggregate(m=Max("position"))["m"] or 0
    criterion = Criterion(event=event, name=(name or "").strip(), full_marks=full_marks, position=last + 1)
    full_clean(criterion, validate_unique=True, validate_constraints=True)
    criterion.save()
    record(
        actor,
        action="observation.criterion_added",
        target=event,
        source=source,
        data={"criterion": [None, f"{criterion.name} {criterion.full_marks}"]},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion, source: str = Source.PAGE) -> None:
    event = _locked_event(criterion.event, actor, "删除评分项目")
    _refuse_if_scored(event, "删除评分项目")
    label = f"{criterion.name} {criterion.full_marks}"
    criterion.delete()
    record(
        actor, action="observation.criterion_removed", target=event, source=source, data={"criterion": [label, None]}
    )


# --- judges --------------------------------------------------------------------------------------------------------


@transaction.atomic
def judge_add(*, actor, event: Event, user: User | None = None, name: str = "", source: str = Source.PAGE) -> Judge:
    """An account (its name from the account) or, without one, a name the bureau types scores for."""
    event = _locked_event(event, actor, "设置评委")
    name = (name or "").strip()
    if user is not None:
        if not judge_account_choices(event.owner).filter(pk=user.pk).exists():
            raise ValidationError({"user": ["评委账号须是本单位或下属单位的账号"]})
        name = name or user.display_name
    if not name:
        raise ValidationError({"name": ["请选择评委账号，或填写评委姓名"]})
    last = event.judges.aggregate(m=Max("position"))["m"] or 0
    judge = Judge(event=event, user=user, name=name, position=last + 1)
    full_clean(judge, validate_unique=True, validate_constraints=True)
    judge.save()
    record(
        actor,
        action="observation.judge_added",
        target=event,
        source=source,
        data={"judge": [None, name], "account": [None, user.username if user else None]},
    )
    return judge


@transaction.atomic
def judge_remove(*, actor, judge: Judge, source: str = Source.PAGE) -> None:
    event = _locked_event(judge.event, actor, "删除评委")
    if judge.scores.exists():
        raise ValidationError(f"评委“{judge.name}”已打分，不能删除")
    name = judge.name
    judge.delete()
    record(actor, action="observation.judge_removed", target=event, source=source, data={"judge": [name, None]})


# --- the route -----------------------------------------------------------------------------------------------------


def visitable_projects(event: Event):
    return Project.objects.under(event.owner)


def _add_visit(event: Event, project: Project) -> Visit | None:
    if event.visits.filter(project=project).exists():
        return None
    last = event.visits.aggregate(m=Max("position"))["m"] or 0
    return Visit.objects.create(event=event, project=project, unit_id=project.responsible_unit_id, position=last + 1)


@transaction.atomic
def visit_add(*, actor, event: Event, text: str, source: str = Source.PAGE) -> Visit:
    """Add the project whose number (exactly) or name (exactly, else the only one containing it) is `text`,
    among the owner's subtree."""
    event = _locked_event(event, actor, "设置观摩项目")
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写项目编号或项目名称")
    projects = visitable_projects(event)
    found = list(projects.filter(code=text)[:2]) or list(projects.filter(name=text)[:2])
    if not found:
        found = list(projects.filter(name__icontains=text)[:6])
    if not found:
        raise ValidationError(f"本单位范围内没有编号或名称为“{text}”的项目")
    if len(found) > 1:
        names = "、".join(f"{p.code} {p.name}" for p in found[:5])
        raise ValidationError(f"“{text}”对应多个项目（{names}），请填写项目编号")
    visit = _add_visit(event, found[0])
    if visit is None:
        raise ValidationError(f"项目“{found[0].name}”已在观摩路线中")
    record(
        actor, action="observation.visit_added", target=event, source=source, data={"project": [None, str(found[0])]}
    )
    return visit


def pick_months(event: Event) -> list[date]:
    """The months with 观摩 picks among the owner's projects, latest first."""
    months = (
        ObservationPick.objects.filter(project__in=visitable_projects(event).values("pk"))
        .values_list("month", flat=True)
        .distinct()
    )
    return sorted(set(months), reverse=True)


@transaction.atomic
def visits_import_picks(*, actor, event: Event, month: date, source: str = Source.PAGE) -> int:
    """Add the projects picked for the month's 观摩 (bulletins' 观摩推荐) among the owner's subtree, in the
    units' order; those already on the route are skipped. Returns how many were added."""
    event = _locked_event(event, actor, "导入观摩项目")
    month = month_start(month)
    picks = (
        ObservationPick.objects.filter(month=month, project__in=visitable_projects(event).values("pk"))
        .select_related("project__responsible_unit")
        .order_by("project__responsible_unit__path", "project__code")
    )
    added = [str(p.project) for p in picks if _add_visit(event, p.project) is not None]
    if not picks:
        raise ValidationError(f"{month:%Y年%-m月}没有观摩推荐项目")
    if added:
        record(
            actor,
            action="observation.picks_imported",
            target=event,
            source=source,
            data={"month": f"{month:%Y-%m}", "projects": [None, added]},
        )
    return len(added)


@transaction.atomic
def visit_update(*, actor, visit: Visit, weight, source: str = Source.PAGE) -> dict:
    event = _locked_event(visit.event, actor, "设置权重")
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    before = {"weight": str(visit.weight) if visit.weight is not None else None}
    visit.weight = weight
    full_clean(visit, validate_unique=False, validate_constraints=False)
    after = {"weight": str(visit.weight) if visit.weight is not None else None}
    changes = diff(before, after)
    if changes:
        visit.save(update_fields=["weight"])
        record(
            actor,
            action="observation.weight_set",
            target=event,
            source=source,
            data={"project": str(visit.project), **changes},
        )
    return changes


@transaction.atomic
def visit_move(*, actor, visit: Visit, step: int, source: str = Source.PAGE) -> None:
    event = _locked_event(visit.event, actor, "调整观摩路线")
    visits = list(Visit.objects.select_for_update().filter(event=event).order_by("position", "id"))
    at = next(i for i, v in enumerate(visits) if v.pk == visit.pk)
    other = at + step
    if not 0 <= other < len(visits):
        return
    visits[at], visits[other] = visits[other], visits[at]
    for index, item in enumerate(visits, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])
    record(
        actor,
        action="observation.route_reordered",
        target=event,
        source=source,
        data={"order": [None, [str(v.project) for v in visits]]},
    )


@transaction.atomic
def visit_remove(*, actor, visit: Visit, source: str = Source.PAGE) -> None:
    event = _locked_event(visit.event, actor, "删除观摩项目")
    if visit.scores.exists():
        raise ValidationError(f"项目“{visit.project.name}”已有评分，不能移出路线")
    label = str(visit.project)
    visit.delete()
    record(actor, action="observation.visit_removed", target=event, source=source, data={"project": [label, None]})


# --- scores --------------------------------------------------------------------------------------------------------


def may_score(actor, judge: Judge) -> bool:
    """The judge's own account; for a judge entered by name, the bureau managing the event."""
    if judge.user_id is not None:
        return actor is not None and actor.pk == judge.user_id
    return manages(actor, judge.event.owner)


def parse_score(raw, criterion: Criterion) -> Decimal | None:
    """A typed score → Decimal with one decimal, or None when blank; refused in Chinese when not a number,
    negative, with more than one decimal or above the full marks."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"“{criterion.name}”请填写数字") from None
    if not value.is_finite():
        raise ValidationError(f"“{criterion.name}”请填写数字")
    if value < 0:
        raise ValidationError(f"“{criterion.name}”不能小于0")
    if value > criterion.full_marks:
        raise ValidationError(f"“{criterion.name}”满分{criterion.full_marks}分，不能超过满分")
    if value != value.quantize(ONE_DECIMAL):
        raise ValidationError(f"“{criterion.name}”最多保留一位小数")
    return value.quantize(ONE_DECIMAL)


def _locked_sheet(actor, judge: Judge) -> Judge:
    judge = Judge.objects.select_for_update(of=("self",)).select_related("event__owner", "user").get(pk=judge.pk)
    if not may_score(actor, judge):
        raise PermissionDenied("只有该评委本人可以打分")
    if not judge.event.is_scoring:
        raise ValidationError("观摩活动已结束评分，不能再修改" if judge.event.is_closed else "观摩活动尚未开始评分")
    if judge.is_submitted:
        raise ValidationError("评分表已提交，不能再修改；如需更正，请联系主管部门退回")
    return judge


@transaction.atomic
def scores_save(*, actor, judge: Judge, visit: Visit, values: dict, source: str = Source.PAGE) -> dict:
    """Save (as a draft) one project's scores of a judge: `values` {criterion id: typed text}; a blank removes
    that criterion's score. All the project's scores are checked before any is written."""
    judge = _locked_sheet(actor, judge)
    if visit.event_id != judge.event_id:
        raise ValidationError("该项目不在本次观摩路线中")
    criteria = list(judge.event.criteria.all())
    errors, parsed = [], {}
    for criterion in criteria:
        try:
            parsed[criterion.pk] = parse_score(values.get(criterion.pk), criterion)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in Score.objects.filter(judge=judge, visit=visit)}
    changes = {}
    for criterion in criteria:
        value, score = parsed[criterion.pk], existing.get(criterion.pk)
        before = score.value if score else None
        if value == before:
            continue
        if value is None:
            score.delete()
        elif score is None:
            Score.objects.create(judge=judge, visit=visit, criterion=criterion, value=value)
        else:
            score.value = value
            score.save(update_fields=["value", "updated_at"])
        changes[criterion.name] = [
            str(before) if before is not None else None,
            str(value) if value is not None else None,
        ]
    if changes:
        record(
            actor,
            action="observation.scores_saved",
            target=judge.event,
            source=source,
            data={"judge": judge.name, "project": str(visit.project), **changes},
        )
    return changes


def missing_of(judge: Judge) -> list[tuple[Visit, list[Criterion]]]:
    """The projects of the route with the criteria this judge has not scored yet."""
    event = judge.event
    criteria = list(event.criteria.all())
    have = set(Score.objects.filter(judge=judge).values_list("visit_id", "criterion_id"))
    missing = []
    for visit in event.visits.select_related("project", "unit"):
        lacking = [c for c in criteria if (visit.pk, c.pk) not in have]
        if lacking:
            missing.append((visit, lacking))
    return missing


@transaction.atomic
def sheet_submit(*, actor, judge: Judge, source: str = Source.PAGE) -> None:
    """Submit the whole sheet: every project scored on every criterion, then locked."""
    judge = _locked_sheet(actor, judge)
    missing = missing_of(judge)
    if missing:
        names = "、".join(v.project.name for v, _ in missing)
        raise ValidationError(f"还有 {len(missing)} 个项目未评完：{names}")
    judge.submitted_at = timezone.now()
    judge.save(update_fields=["submitted_at"])
    record(actor, action="observation.sheet_submitted", target=judge.event, source=source, data={"judge": judge.name})


@transaction.atomic
def sheet_reopen(*, actor, judge: Judge, reason: str = "", source: str = Source.PAGE) -> None:
    """The bureau returns a submitted sheet to its judge (while 评分中)."""
    judge = Judge.objects.select_for_update(of=("self",)).select_related("event__owner").get(pk=judge.pk)
    event = _locked_event(judge.event, actor, "退回评分表")
    if not judge.is_submitted:
        raise ValidationError(f"评委“{judge.name}”的评分表尚未提交")
    if not event.is_scoring:
        raise ValidationError("只有评分中的观摩活动可以退回评分表")
    judge.submitted_at = None
    judge.save(update_fields=["submitted_at"])
    record(
        actor,
        action="observation.sheet_reopened",
        target=event,
        source=source,
        data={"judge": judge.name, "reason": (reason or "").strip()},
    )
