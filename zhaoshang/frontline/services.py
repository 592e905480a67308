"""Writes of the front line. Each one checks who may, validates, writes, and records an audit entry, in one
transaction; dated rows refuse closed months through their models' ClosedMonthGuard.

Leads are ledger projects: `lead_register` creates the project through the ledger's own `project_create` (its
checks, stage history, totals and audit) and adds the register's fields beside it."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.closing.guard import ensure_months_open
from zhaoshang.core.creditcode import normalize_credit_code
from zhaoshang.core.field_messages import full_clean
from zhaoshang.core.periods import today
from zhaoshang.frontline.deadlines import CountyCalendars
from zhaoshang.frontline.models import CalendarDay, FollowUp, Judgement, LeadProfile, LeadRules, Reception, Trip
from zhaoshang.frontline.rules import DEFAULT_RULES
from zhaoshang.frontline.signals import lead_transferred
from zhaoshang.org.departments import home_county
from zhaoshang.org.models import TEAM_KINDS, Role, Unit, UnitKind, User, subtree_q
from zhaoshang.org.ownership import require_manages
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin, require_bureau_admin
from zhaoshang.projects.codes import propose_code
from zhaoshang.projects.models import Project, Stage
from zhaoshang.projects.services import project_change_stage, project_create, project_update

LEAD_STAGES = (Stage.LEAD, Stage.NEGOTIATING)
LEAD_FIELDS = [
    "registered_on",
    "source",
    "referrer",
    "referrer_contact",
    "investor_contact",
    "investor_phone",
    "land_need",
    "energy_need",
    "environment_need",
    "summary",
    "first_responsible",
]
TRIP_FIELDS = [
    "unit",
    "departs_on",
    "returns_on",
    "destination",
    "leader",
    "leader_category",
    "people",
    "visited_count",
    "visited",
    "outcome",
]
RECEPTION_FIELDS = ["unit", "on_date", "company", "visitors", "purpose", "result"]
FOLLOWUP_FIELDS = ["on_date", "way", "participants", "content", "next_step", "next_step_on"]

# What the entering unit is told when another unit already holds the same investor: never which unit, nor the
# project (the user may not read it); the bureau sees both and decides.
CLAIM_MESSAGE = "其他单位已登记同一投资方的线索或项目（首报首谈），本线索已登记并提交主管部门认定归属，请联系主管部门"
# The reasons the bureau's decision writes in the dropped project's stage history, which its own unit reads: they
# name no unit either way (the decision's audit entry, read by the county's auditors, names both projects).
CLAIM_FIRST_KEEPS = "首报首谈认定：由首报单位跟进"
CLAIM_LATER_KEEPS = "首报首谈认定：由后报单位跟进"


def _require_unit(actor, unit: Unit, doing: str) -> None:
    if actor is not None and unit.pk not in editable_unit_ids(actor):
        raise PermissionDenied(f"只能为本单位{doing}")


def _snapshot(obj, fields) -> dict:
    values = {}
    for field in fields:
        value = getattr(obj, f"{field}_id" if field in ("unit", "first_responsible") else field)
        values[field] = value
    return values


def claim_conflict_for(project: Project) -> Project | None:
    """首报首谈: a project of another unit with the same investor — the same 信用代码, or, without one, the same
    投资方 and 项目名称 — that is still alive (not 终止). The oldest one is the first report.

    Only within the project's own county (县区): 首报首谈 is a county's rule between its own units, and a
    neighbouring county's project must not even be hinted at (a city's bureau sees such cases, read-only, on
    the 首报首谈 page: frontline.queries.cross_county_matches)."""
    match = Q()
    if project.credit_code:
        match |= Q(credit_code=project.credit_code)
    if project.investor.strip() and project.name.strip():
        match |= Q(investor=project.investor.strip(), name=project.name.strip())
    if not match:
        return None
    return (
        Project.objects.filter(match)
        .filter(subtree_q([home_county(project.responsible_unit)], "responsible_unit"))
        .exclude(responsible_unit_id=project.responsible_unit_id)
        .exclude(pk=project.pk)
        .exclude(stage=Stage.DROPPED)
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def lead_register(
    *, actor, project_values: dict, lead_values: dict, source: str = Source.PAGE
) -> tuple[LeadProfile, str]:
    """Register a lead: a ledger project at 线索 (or 在谈) and its register fields. Returns the profile and a
    warning for the user ("" when none): the 首报首谈 message when another unit holds the same investor."""
    values = dict(project_values)
    values.setdefault("stage", Stage.LEAD)
    if values["stage"] not in LEAD_STAGES:
        raise ValidationError({"stage": "线索登记时项目阶段只能是“线索”或“在谈”"})
    unit = values.get("responsible_unit")
    if unit is None:
        raise ValidationError({"responsible_unit": "请选择责任单位"})
    _require_unit(actor, unit, "登记线索")
    _check_first_responsible(lead_values.get("first_responsible"), unit)
    if not values.get("code"):
        values["code"] = propose_code()
    if values.get("credit_code"):
        values["credit_code"] = normalize_credit_code(values["credit_code"])
    profile = LeadProfile(**{k: v for k, v in lead_values.items() if k in LEAD_FIELDS})
    if profile.registered_on is None:
        profile.registered_on = today()
    if profile.registered_on > today():
        raise ValidationError({"registered_on": "登记日期不能晚于今天"})
    ensure_months_open([profile.registered_on], unit)  # a lead counts (新增线索, 转化率) in its month of registration
    if profile.first_responsible_id and profile.first_responsible_on is None:
        profile.first_responsible_on = profile.registered_on
    project = project_create(actor=actor, values=values, source=source)
    profile.project = project
    conflict = claim_conflict_for(project)
    profile.claim_conflict = conflict
    full_clean(profile, exclude=["project"])
    profile.save()
    record(
        actor,
        action="lead.registered",
        target=profile,
        source=source,
        data={k: [None, v] for k, v in _snapshot(profile, LEAD_FIELDS).items() if v not in (None, "")}
        | ({"claim_conflict": [None, conflict.code]} if conflict else {}),
    )
    return profile, (CLAIM_MESSAGE if conflict else "")


@transaction.atomic
def lead_update(*, actor, profile: LeadProfile, values: dict, source: str = Source.PAGE) -> dict:
    """Change the register's fields of a lead; returns {field: [old, new]}."""
    profile = LeadProfile.objects.select_for_update().select_related("project__responsible_unit").get(pk=profile.pk)
    _require_unit(actor, profile.project.responsible_unit, "修改线索")
    before = _snapshot(profile, LEAD_FIELDS)
    for field, value in values.items():
        if field in LEAD_FIELDS:
            setattr(profile, field, value)
    if profile.first_responsible_id and profile.first_responsible_on is None:
        profile.first_responsible_on = today()
    if not profile.first_responsible_id:
        profile.first_responsible_on = None
    changes = diff(before, _snapshot(profile, LEAD_FIELDS))
    if not changes:
        return {}
    if profile.registered_on > today():
        raise ValidationError({"registered_on": "登记日期不能晚于今天"})
    if "registered_on" in changes:  # moving a lead's registration moves it between months: both must be open
        ensure_months_open([before["registered_on"], profile.registered_on], profile.project.responsible_unit)
    full_clean(profile, exclude=["project"])
    profile.save()
    record(actor, action="lead.updated", target=profile, source=source, data=changes)
    return changes


def _require_project_writer(actor, project: Project, doing: str) -> None:
    if actor is not None and project.responsible_unit_id not in editable_unit_ids(actor):
        raise PermissionDenied(f"只有项目责任单位可以{doing}")


@transaction.atomic
def followup_add(*, actor, project: Project, values: dict, source: str = Source.PAGE) -> FollowUp:
    _require_project_writer(actor, project, "填写跟进记录")
    followup = FollowUp(project=project, author=actor if getattr(actor, "pk", None) else None)
    for field in FOLLOWUP_FIELDS:
        if field in values:
            setattr(followup, field, values[field])
    _check_followup(followup)
    full_clean(followup, exclude=["project", "author"])
    followup.save()
    record(
        actor,
        action="followup.created",
        target=followup,
        source=source,
        data={k: [None, v] for k, v in _snapshot(followup, FOLLOWUP_FIELDS).items() if v not in (None, "")},
    )
    return followup


def _check_followup(followup: FollowUp) -> None:
    errors = {}
    if followup.on_date and followup.on_date > today():
        errors["on_date"] = "日期不能晚于今天"
    if followup.next_step_on and followup.on_date and followup.next_step_on < followup.on_date:
        errors["next_step_on"] = "下一步日期不能早于跟进日期"
    if not (followup.content or "").strip():
        errors["content"] = "请填写跟进内容"
    if errors:
        raise ValidationError(errors)


def _check_trip(trip: Trip) -> None:
    errors = {}
    if trip.departs_on and trip.departs_on > today():
        errors["departs_on"] = "出发日期不能晚于今天（外出结束后登记）"
    if trip.departs_on and trip.returns_on and trip.returns_on < trip.departs_on:
        errors["returns_on"] = "返回日期不能早于出发日期"
    if trip.departs_on and trip.returns_on and (trip.returns_on - trip.departs_on).days > 90:
        errors["returns_on"] = "一次外出招商不超过90天，请核对日期"
    named = [line for line in (trip.visited or "").splitlines() if line.strip()]
    if trip.visited_count is not None and trip.visited_count < len(named):
        errors["visited_count"] = f"拜访企业数不能少于列出的企业（{len(named)}家）"
    if errors:
        raise ValidationError(errors)


def _lead_codes(obj) -> list[str]:
    return sorted(obj.leads.values_list("code", flat=True)) if obj.pk else []


def _readable_leads(actor, leads, obj) -> list[Project]:
    """The leads a trip or reception names, each one a lead (a project with a register entry) the actor reads, or
    one the row already names (a lead moved to another unit since stays linked when the row is corrected): a
    project of another unit cannot be linked, nor learned about by trying its id."""
    leads = list(leads)
    if actor is None or not leads:
        return leads
    readable = set(
        LeadProfile.objects.readable_by(actor).filter(pk__in=[p.pk for p in leads]).values_list("pk", flat=True)
    )
    if obj.pk:
        readable |= set(obj.leads.values_list("pk", flat=True))
    if any(p.pk not in readable for p in leads):
        raise ValidationError({"leads": "只能关联本单位可查看的招商线索"})
    return leads


def _save_unit_row(actor, obj, fields, values: dict, action: str, doing: str, check, source: str):
    """Create or change a trip or a reception of a unit: the actor must write for its unit (the old one too, when
    moving it), the model's own checks and the closed-month guard apply, and the audit records the change (the
    leads it produced among them, by project number)."""
    creating = obj.pk is None
    before = {} if creating else _snapshot(obj, fields)
    leads = None
    if "leads" in values:
        leads = _readable_leads(actor, values["leads"], obj)
        if not creating:
            before["leads"] = _lead_codes(obj)
    if not creating:
        _require_unit(actor, obj.unit, doing)
    for field in fields:
        if field in values:
            setattr(obj, field, values[field])
    if obj.unit_id is None:
        raise ValidationError({"unit": "请选择单位"})
    _require_unit(actor, obj.unit, doing)
    if creating and getattr(actor, "pk", None):
        obj.author = actor
    check(obj)
    full_clean(obj, exclude=["author"])
    after = _snapshot(obj, fields)
    if leads is not None:
        after["leads"] = sorted(p.code for p in leads)
        before.setdefault("leads", [])
    changes = diff(before, after)
    if not creating and not changes:
        return obj, {}
    obj.save()
    if leads is not None:
        obj.leads.set(leads)
    record(actor, action=f"{action}.{'created' if creating else 'updated'}", target=obj, source=source, data=changes)
    return obj, changes


@transaction.atomic
def trip_save(*, actor, trip: Trip | None = None, values: dict, source: str = Source.PAGE) -> Trip:
    trip = trip if trip is not None else Trip()
    if trip.pk:
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
    named = [line for line in (values.get("visited", trip.visited) or "").splitlines() if line.strip()]
    # No count given: the enterprises named are the count (a sheet brings only the number, a phone often only names)
    if values.get("visited_count") in (None, "") and (named or "visited_count" in values):
        values = {**values, "visited_count": len(named)}
    trip, _ = _save_unit_row(actor, trip, TRIP_FIELDS, values, "trip", "登记外出招商", _check_trip, source)
    return trip


def _check_reception(reception: Reception) -> None:
    if reception.on_date and reception.on_date > today():
        raise ValidationError({"on_date": "日期不能晚于今天"})


@transaction.atomic
def reception_save(*, actor, reception: Reception | None = None, values: dict, source: str = Source.PAGE) -> Reception:
    reception = reception if reception is not None else Reception()
    if reception.pk:
        reception = Reception.objects.select_for_update().get(pk=reception.pk)
    reception, _ = _save_unit_row(
        actor, reception, RECEPTION_FIELDS, values, "reception", "登记接待客商", _check_reception, source
    )
    return reception


def _delete_unit_row(actor, obj, action: str, doing: str, source: str) -> None:
    _require_unit(actor, obj.unit, doing)
    data = {"deleted": str(obj)}
    record(actor, action=f"{action}.deleted", target=obj, source=source, data=data)
    obj.delete()


@transaction.atomic
def trip_delete(*, actor, trip: Trip, source: str = Source.PAGE) -> None:
    _delete_unit_row(actor, trip, "trip", "删除外出招商记录", source)


@transaction.atomic
def reception_delete(*, actor, reception: Reception, source: str = Source.PAGE) -> None:
    _delete_unit_row(actor, reception, "reception", "删除接待记录", source)


# ----- The working-day calendar and the deadline rules (a county's own; its bureau sets them) -----------------


def _require_manages(actor, root: Unit, doing: str) -> None:
    """Only a bureau admin of this county (or of the city above it) changes its calendar and rules; the system
    (actor None, a command) may."""
    if root.kind != UnitKind.COUNTY and root.parent_id is not None:
        # The deadlines of a unit's leads follow its county's calendar (deadlines.CountyCalendars): a row kept on
        # a town would be read by no one.
        raise ValidationError("工作日与办理时限按县区（或最上级单位）设置")
    if actor is None:
        return
    require_bureau_admin(actor, doing)
    require_manages(actor, root, doing)


@transaction.atomic
def calendar_day_set(
    *, actor, root: Unit, day: date, is_workday: bool, note: str = "", source: str = Source.PAGE
) -> tuple[CalendarDay, dict]:
    """Add or correct one day of a county's calendar (上班 or 休息, against the national arrangement). Returns the
    row and {field: [old, new]} (empty when nothing changed). A day equal to what the national calendar already
    says is still kept: the bureau may want it written down (a year the package does not know yet)."""
    _require_manages(actor, root, "调整工作日")
    row = CalendarDay.objects.select_for_update().filter(root=root, day=day).first()
    creating = row is None
    if creating:
        row = CalendarDay(root=root, day=day)
    before = {} if creating else {"is_workday": row.is_workday, "note": row.note}
    row.is_workday = bool(is_workday)
    row.note = (note or "").strip()
    full_clean(row, exclude=["root"])
    changes = diff(before, {"is_workday": row.is_workday, "note": row.note})
    if not creating and not changes:
        return row, {}
    row.save()
    record(
        actor,
        action="calendar_day.created" if creating else "calendar_day.updated",
        target=row,
        source=source,
        data={"day": [None, day.isoformat()], **changes} if creating else changes,
    )
    return row, changes


@transaction.atomic
def calendar_day_remove(*, actor, root: Unit, day: date, source: str = Source.PAGE) -> bool:
    """Remove a county's correction of a day: the national calendar speaks for it again. False if there was none."""
    _require_manages(actor, root, "调整工作日")
    row = CalendarDay.objects.select_for_update().filter(root=root, day=day).first()
    if row is None:
        return False
    record(
        actor,
        action="calendar_day.deleted",
        target=row,
        source=source,
        data={"day": day.isoformat(), "is_workday": [row.is_workday, None], "note": [row.note, None]},
    )
    row.delete()
    return True


@transaction.atomic
def lead_rules_set(*, actor, root: Unit, values: dict, source: str = Source.PAGE) -> dict:
    """Set a county's lead deadlines (the five numbers of LeadRules; those not given keep their value). Returns
    {field: [old, new]}; nothing is written when nothing changed."""
    _require_manages(actor, root, "设置线索办理时限")
    row = LeadRules.objects.select_for_update().filter(root=root).first()
    creating = row is None
    if creating:
        row = LeadRules(root=root, **DEFAULT_RULES)
    before = {f: getattr(row, f) for f in DEFAULT_RULES}
    for field in DEFAULT_RULES:
        if values.get(field) is not None:
            setattr(row, field, values[field])
    full_clean(row, exclude=["root"])
    changes = diff(before, {f: getattr(row, f) for f in DEFAULT_RULES})
    if not changes:
        return {}
    row.save()
    record(actor, action="lead_rules.set", target=row, source=source, data=changes)
    return changes


def may_change_followup(actor, followup: FollowUp) -> bool:
    """Who may correct or remove a follow-up: its author, or the bureau, and either only while writing for the
    project's unit (an author moved to another unit no longer may)."""
    if actor is None:
        return True
    if followup.project.responsible_unit_id not in editable_unit_ids(actor):
        return False
    return followup.author_id == actor.pk or is_bureau_admin(actor)


def _require_followup_changer(actor, followup: FollowUp, doing: str) -> None:
    if not may_change_followup(actor, followup):
        raise PermissionDenied(f"只有记录人或主管部门可以{doing}")


@transaction.atomic
def followup_update(*, actor, followup: FollowUp, values: dict, source: str = Source.PAGE) -> dict:
    """Correct a follow-up; returns {field: [old, new]}. Its month, old and new, must be open (the model's guard)."""
    followup = FollowUp.objects.select_for_update().select_related("project").get(pk=followup.pk)
    _require_followup_changer(actor, followup, "修改跟进记录")
    before = _snapshot(followup, FOLLOWUP_FIELDS)
    for field in FOLLOWUP_FIELDS:
        if field in values:
            setattr(followup, field, values[field])
    changes = diff(before, _snapshot(followup, FOLLOWUP_FIELDS))
    if not changes:
        return {}
    _check_followup(followup)
    full_clean(followup, exclude=["project", "author"])
    followup.save()
    record(actor, action="followup.updated", target=followup, source=source, data=changes)
    return changes


@transaction.atomic
def followup_delete(*, actor, followup: FollowUp, source: str = Source.PAGE) -> None:
    followup = FollowUp.objects.select_for_update().select_related("project").get(pk=followup.pk)
    _require_followup_changer(actor, followup, "删除跟进记录")
    record(actor, action="followup.deleted", target=followup, source=source, data={"deleted": str(followup)})
    followup.delete()


# --- The lead register's pages (i16-leads): 首问负责人, 研判, 告知引荐方, 首报首谈, reassigning a stale lead ----------


def _locked_profile(profile: LeadProfile) -> LeadProfile:
    return (
        LeadProfile.objects.select_for_update(of=("self",))
        .select_related("project__responsible_unit", "claim_conflict__responsible_unit")
        .get(pk=profile.pk)
    )


def _check_day(day: date, profile: LeadProfile, field: str, what: str, before: date | None = None) -> None:
    """A lead's action dated `day` (replacing one dated `before`): not in the future, not before the registration,
    and neither month closed for the lead's unit — the 研判 counts (研判有效, 转化率) in its month, and whether a
    deadline was kept is a fact of the month it fell in."""
    if day is None:
        raise ValidationError({field: f"请填写{what}"})
    if day > today():
        raise ValidationError({field: f"{what}不能晚于今天"})
    if day < profile.registered_on:
        raise ValidationError({field: f"{what}不能早于登记日期（{profile.registered_on:%Y-%m-%d}）"})
    if day != before:
        ensure_months_open([day, before], profile.project.responsible_unit)


def first_responsible_choices(*units: Unit):
    """The accounts that may be a lead's 首问负责人: active users who fill in or head its responsible unit."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__unit__in=units,
            memberships__role__in=(Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU_ADMIN),
        )
        .distinct()
        .order_by("username")
    )


def _check_first_responsible(user, unit: Unit) -> None:
    if user is not None and not first_responsible_choices(unit).filter(pk=user.pk).exists():
        raise ValidationError({"first_responsible": "首问负责人须是责任单位的账号"})


@transaction.atomic
def lead_assign_first(*, actor, profile: LeadProfile, user, on_date: date | None = None, source=Source.PAGE):
    """Name the lead's 首问负责人 (an account of its responsible unit); the day counts for the deadline."""
    profile = _locked_profile(profile)
    _require_project_writer(actor, profile.project, "指定首问负责人")
    if user is None or not first_responsible_choices(profile.project.responsible_unit).filter(pk=user.pk).exists():
        raise ValidationError({"user": "首问负责人须是责任单位的账号"})
    on_date = on_date or today()
    _check_day(on_date, profile, "on_date", "确定日期", profile.first_responsible_on)
    before = {"first_responsible": profile.first_responsible_id, "first_responsible_on": profile.first_responsible_on}
    profile.first_responsible, profile.first_responsible_on = user, on_date
    changes = diff(before, {"first_responsible": user.pk, "first_responsible_on": on_date})
    if not changes:
        return {}
    profile.save(update_fields=["first_responsible", "first_responsible_on", "updated_at"])
    record(actor, action="lead.first_assigned", target=profile, source=source, data=changes)
    return changes


@transaction.atomic
def lead_judge(*, actor, profile: LeadProfile, judgement: str, on_date: date, reason: str = "", source=Source.PAGE):
    """研判: 有效 (the lead is followed) or 不予跟进 with a reason, which ends the project as 终止 through the
    ledger's own stage change (its history, totals and audit). A lead judged 不予跟进 is not judged again."""
    profile = _locked_profile(profile)
    project = profile.project
    _require_project_writer(actor, project, "研判线索")
    reason = (reason or "").strip()
    if judgement not in (Judgement.VALID, Judgement.REJECTED):
        raise ValidationError({"judgement": "请选择研判结果：有效或不予跟进"})
    if profile.judgement == Judgement.REJECTED:
        raise ValidationError({"judgement": "该线索已研判为不予跟进"})
    if judgement == Judgement.REJECTED and not reason:
        raise ValidationError({"reason": "不予跟进须填写理由"})
    if judgement == Judgement.REJECTED and project.stage not in LEAD_STAGES:
        raise ValidationError({"judgement": f"项目已到“{project.stage}”阶段，不能研判为不予跟进"})
    _check_day(on_date, profile, "on_date", "研判日期", profile.judged_on)
    before = _snapshot(profile, ["judgement", "judged_on", "judgement_reason"])
    profile.judgement, profile.judged_on, profile.judgement_reason = judgement, on_date, reason
    changes = diff(before, _snapshot(profile, ["judgement", "judged_on", "judgement_reason"]))
    if not changes:
        return {}
    profile.save(update_fields=["judgement", "judged_on", "judgement_reason", "updated_at"])
    record(actor, action="lead.judged", target=profile, source=source, data=changes)
    if judgement == Judgement.REJECTED:
        project_change_stage(
            actor=actor,
            project=project,
            to_stage=Stage.DROPPED,
            on_date=on_date,
            reason=f"研判不予跟进：{reason}",
            source=source,
        )
    return changes


@transaction.atomic
def lead_tell_referrer(*, actor, profile: LeadProfile, on_date: date, source=Source.PAGE):
    """The day the 引荐方 was told the outcome of the 研判."""
    profile = _locked_profile(profile)
    _require_project_writer(actor, profile.project, "登记告知引荐方")
    if not profile.referrer.strip():
        raise ValidationError({"on_date": "该线索没有引荐人，无需告知"})
    if not profile.judged_on:
        raise ValidationError({"on_date": "请先完成研判，再告知引荐方研判结果"})
    _check_day(on_date, profile, "on_date", "告知日期", profile.referrer_told_on)
    if on_date < profile.judged_on:
        raise ValidationError({"on_date": f"告知日期不能早于研判日期（{profile.judged_on:%Y-%m-%d}）"})
    changes = diff({"referrer_told_on": profile.referrer_told_on}, {"referrer_told_on": on_date})
    if not changes:
        return {}
    profile.referrer_told_on = on_date
    profile.save(update_fields=["referrer_told_on", "updated_at"])
    record(actor, action="lead.referrer_told", target=profile, source=source, data=changes)
    return changes


@transaction.atomic
def lead_attach(*, actor, project: Project, lead_values: dict, source=Source.PAGE) -> tuple[LeadProfile, str]:
    """登记为线索: an existing ledger project at 线索/在谈 gets the register's fields (首报首谈 flagged)."""
    project = Project.objects.select_for_update(of=("self",)).select_related("responsible_unit").get(pk=project.pk)
    _require_project_writer(actor, project, "登记线索")
    if project.stage not in LEAD_STAGES:
        raise ValidationError({"stage": "只有“线索”或“在谈”阶段的项目可以登记为线索"})
    if LeadProfile.objects.filter(pk=project.pk).exists():
        raise ValidationError({"project": "该项目已登记为线索"})
    _check_first_responsible(lead_values.get("first_responsible"), project.responsible_unit)
    profile = LeadProfile(project=project, **{k: v for k, v in lead_values.items() if k in LEAD_FIELDS})
    profile.registered_on = profile.registered_on or today()
    if profile.registered_on > today():
        raise ValidationError({"registered_on": "登记日期不能晚于今天"})
    ensure_months_open([profile.registered_on], project.responsible_unit)
    if profile.first_responsible_id and profile.first_responsible_on is None:
        profile.first_responsible_on = profile.registered_on
    profile.claim_conflict = claim_conflict_for(project)
    full_clean(profile, exclude=["project"])
    profile.save()
    record(
        actor,
        action="lead.registered",
        target=profile,
        source=source,
        data={k: [None, v] for k, v in _snapshot(profile, LEAD_FIELDS).items() if v not in (None, "")}
        | ({"claim_conflict": [None, profile.claim_conflict.code]} if profile.claim_conflict else {}),
    )
    return profile, (CLAIM_MESSAGE if profile.claim_conflict else "")


def _require_bureau_over(actor, *units: Unit, doing: str) -> None:
    """The bureau of the county (or of a unit above it) that holds these units: the only one who decides 首报首谈
    and moves a lead between units."""
    if actor is None:
        return
    if not is_bureau_admin(actor) or any(u.pk not in editable_unit_ids(actor) for u in units):
        raise PermissionDenied(f"只有主管部门管理员可以{doing}")


def _move(actor, profile: LeadProfile, to_unit: Unit, reason: str, source: str, claim: bool = False) -> dict:
    """Give the lead's project to another unit through the ledger's own update (its checks, totals, audit), and
    record the move on the lead. The 首问负责人 stays as history; the new unit names its own. `claim`: a 首报首谈
    decision, whose notification must not name the first unit to the unit that entered the lead."""
    project = profile.project
    old_unit = project.responsible_unit
    if to_unit.pk == old_unit.pk:
        raise ValidationError({"to_unit": "新的责任单位与原单位相同"})
    if to_unit.kind in TEAM_KINDS:
        raise ValidationError({"to_unit": "招商小分队和驻外联络处不能作为责任单位"})
    if home_county(to_unit).pk != home_county(old_unit).pk:
        raise ValidationError({"to_unit": "线索只能在本县区的单位之间调整"})
    project_update(actor=actor, project=project, values={"responsible_unit": to_unit}, source=source)
    data = {"responsible_unit": [old_unit.name, to_unit.name], "reason": reason}
    record(actor, action="lead.transferred", target=profile, source=source, data=data)
    lead_transferred.send(
        sender=LeadProfile, profile=profile, old_unit=old_unit, new_unit=to_unit, reason=reason, claim=claim
    )
    return data


def last_contact_on(profile: LeadProfile) -> date:
    """The last follow-up of the lead, or its registration when it has none."""
    last = profile.project.followups.order_by("-on_date").values_list("on_date", flat=True).first()
    return max(d for d in (last, profile.registered_on) if d)


def is_stale(profile: LeadProfile, on: date | None = None) -> bool:
    """Still in hand (线索/在谈) with no follow-up for the county's `reassign_days`: the bureau may reassign it."""
    if profile.project.stage not in LEAD_STAGES:
        return False
    rules = CountyCalendars([profile.project.responsible_unit.path]).rules_for(profile.project.responsible_unit.path)
    return ((on or today()) - last_contact_on(profile)).days >= rules["reassign_days"]


@transaction.atomic
def lead_transfer(*, actor, profile: LeadProfile, to_unit: Unit, reason: str, source=Source.PAGE) -> dict:
    """The bureau reassigns a stale lead (no follow-up for the county's reassign_days) to another unit."""
    profile = _locked_profile(profile)
    _require_bureau_over(actor, profile.project.responsible_unit, to_unit, doing="调整线索的责任单位")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整理由"})
    if not is_stale(profile):
        raise ValidationError({"to_unit": "该线索近期有跟进，未到可调整责任单位的期限"})
    return _move(actor, profile, to_unit, reason, source)


class ClaimDecision(models.TextChoices):
    FIRST = "first", "由首报单位跟进（本线索终止）"
    MOVE = "move", "本线索移交首报单位"
    LATER = "later", "由后报单位跟进（首报项目终止）"
    SEPARATE = "separate", "不属于同一项目（各自跟进）"


@transaction.atomic
def lead_settle_claim(*, actor, profile: LeadProfile, decision: str, source=Source.PAGE) -> str:
    """首报首谈认定 by the bureau, for a lead flagged at entry: who keeps it. Returns the decision's words."""
    profile = _locked_profile(profile)
    first = profile.claim_conflict
    if first is None or profile.claim_settled_on:
        raise ValidationError({"decision": "该线索没有待认定的首报首谈"})
    later = profile.project
    _require_bureau_over(actor, later.responsible_unit, first.responsible_unit, doing="认定首报首谈")
    if decision not in ClaimDecision.values:
        raise ValidationError({"decision": "请选择认定结果"})
    on = today()
    if decision == ClaimDecision.FIRST:
        if later.stage in LEAD_STAGES:
            project_change_stage(
                actor=actor,
                project=later,
                to_stage=Stage.DROPPED,
                on_date=on,
                reason=CLAIM_FIRST_KEEPS,
                source=source,
            )
    elif decision == ClaimDecision.MOVE:
        _move(actor, profile, first.responsible_unit, "首报首谈认定：移交首报单位", source, claim=True)
    elif decision == ClaimDecision.LATER:
        if first.stage not in LEAD_STAGES:
            raise ValidationError({"decision": f"首报项目已到“{first.stage}”阶段，不能终止"})
        project_change_stage(
            actor=actor,
            project=first,
            to_stage=Stage.DROPPED,
            on_date=on,
            reason=CLAIM_LATER_KEEPS,
            source=source,
        )
    profile.claim_settled_on = on
    profile.save(update_fields=["claim_settled_on", "updated_at"])
    words = ClaimDecision(decision).label
    data = {"decision": words, "first": first.code, "later": later.code}
    record(actor, action="lead.claim_settled", target=profile, source=source, data=data)
    return words
