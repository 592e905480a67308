"""Reads of the lead register for its pages: the filtered list with each lead's deadlines, stale leads, and the
首报首谈 cases a bureau decides. Every read starts from the user's scope (LeadProfile.objects.readable_by)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q

from zhaoshang.frontline.deadlines import OPEN_STAGES, CountyCalendars, LeadState, lead_states
from zhaoshang.frontline.forms import LeadFilterForm
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.org.departments import home_county
from zhaoshang.org.models import TEAM_KINDS, Unit, UnitKind, subtree_q
from zhaoshang.org.ownership import bureau_units
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin
from zhaoshang.projects.models import Project, Stage

ORDER = ("-registered_on", "-pk")


def filtered_leads(user, params):
    """(form, queryset of LeadProfile) for the list's filters, in the list's order, before the deadlines'."""
    form = LeadFilterForm(params or None, user=user)
    return form, form.apply(LeadProfile.objects.readable_by(user)).order_by(*ORDER)


def stale_ids(leads, on: date) -> set[int]:
    """The leads among `leads` still in hand with no follow-up for their county's reassign_days: two queries
    for the leads and their last follow-ups, two for the counties' rules."""
    rows = list(
        leads.filter(project__stage__in=OPEN_STAGES)
        .annotate(last_followup_on=Max("project__followups__on_date"))
        .values_list("pk", "registered_on", "last_followup_on", "project__responsible_unit__path")
    )
    calendars = CountyCalendars(path for *_, path in rows)
    found = set()
    for pk, registered_on, last, path in rows:
        since = max(d for d in (last, registered_on) if d)
        if (on - since).days >= calendars.rules_for(path)["reassign_days"]:
            found.add(pk)
    return found


def narrowed(form, leads, on: date):
    """The filters computed from the deadlines (逾期, 长期未跟进), as a queryset of the leads that pass."""
    if form.wants("overdue"):
        overdue = [s.profile.pk for s in lead_states(leads.filter(project__stage__in=OPEN_STAGES), on) if s.overdue]
        leads = leads.filter(pk__in=overdue)
    if form.wants("stale"):
        leads = leads.filter(pk__in=stale_ids(leads, on))
    return leads


def states_of(page_ids: list[int], on: date) -> list[LeadState]:
    """The deadlines of one page of leads, in the page's order (a fixed number of queries)."""
    profiles = LeadProfile.objects.filter(pk__in=page_ids).select_related(
        "project__team", "first_responsible", "claim_conflict"
    )
    by_pk = {s.profile.pk: s for s in lead_states(profiles, on)}
    return [by_pk[pk] for pk in page_ids if pk in by_pk]


def county_q(unit, field: str = ""):
    """Rows (units through `field`) of the county that `unit` belongs to."""
    return subtree_q([home_county(unit)], field)


def transfer_targets(profile):
    """The units of the lead's county a bureau may give it to (not teams, not the unit that holds it)."""
    from_unit = profile.project.responsible_unit
    return (
        Unit.objects.filter(is_active=True)
        .filter(county_q(from_unit))
        .exclude(kind__in=TEAM_KINDS)
        .exclude(pk=from_unit.pk)
        .order_by("path")
    )


def pending_claims(user):
    """首报首谈 awaiting the bureau's decision, for a bureau that writes both units (its county, or its city)."""
    if not is_bureau_admin(user):
        return LeadProfile.objects.none()
    ids = editable_unit_ids(user)
    return (
        LeadProfile.objects.filter(
            claim_conflict__isnull=False,
            claim_settled_on__isnull=True,
            project__responsible_unit_id__in=ids,
            claim_conflict__responsible_unit_id__in=ids,
        )
        .select_related(
            "project__responsible_unit", "claim_conflict__responsible_unit", "claim_conflict__lead", "project__team"
        )
        .order_by("registered_on", "pk")
    )


@dataclass(frozen=True)
class CrossCountyMatch:
    lead: LeadProfile
    other: Project


def cross_county_matches(user, limit: int = 200) -> list[CrossCountyMatch]:
    """For a city's bureau only: leads in hand whose investor (信用代码, or 投资方 and 名称) a project of another
    county also holds. 首报首谈 is a county's rule, so these are shown, read-only, and never flagged on the lead."""
    if not any(u.kind != UnitKind.COUNTY and home_county(u).pk == u.pk for u in bureau_units(user)):
        return []
    leads = list(
        LeadProfile.objects.readable_by(user)
        .filter(project__stage__in=OPEN_STAGES)
        .select_related("project__responsible_unit")
        .order_by("registered_on", "pk")[:limit]
    )
    if not leads:
        return []
    codes = {p.project.credit_code for p in leads if p.project.credit_code}
    pairs = Q(credit_code__in=codes)
    for p in leads:
        if p.project.investor.strip():
            pairs |= Q(investor=p.project.investor.strip(), name=p.project.name.strip())
    others = list(
        Project.objects.readable_by(user)
        .filter(pairs)
        .exclude(stage=Stage.DROPPED)
        .select_related("responsible_unit")
        .order_by("created_at", "pk")
    )
    counties = _counties_of({p.responsible_unit for p in others} | {p.project.responsible_unit for p in leads})
    found = []
    for lead in leads:
        project = lead.project
        for other in others:
            same = (project.credit_code and other.credit_code == project.credit_code) or (
                project.investor.strip() and (other.investor, other.name) == (project.investor.strip(), project.name)
            )
            if (
                same
                and other.pk != project.pk
                and counties[other.responsible_unit_id] != counties[project.responsible_unit_id]
            ):
                found.append(CrossCountyMatch(lead, other))
                break
    return found


def _counties_of(units) -> dict[int, int]:
    calendars = CountyCalendars(u.path for u in units)
    return {u.pk: calendars.county_id(u.path) for u in units}
