"""The 招商线索 section of a project's page: the register's fields, the deadlines lit, and the actions (首问负责人,
研判, 告知引荐方, editing; the bureau's reassigning of a stale lead). The ledger's page loads this tag rather than
importing frontline: the ledger sits below it (docs/architecture.md)."""

from django import template

from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.deadlines import lead_states
from zhaoshang.frontline.forms import AssignFirstForm, JudgeForm, TellReferrerForm, TransferForm
from zhaoshang.frontline.models import Judgement, LeadProfile
from zhaoshang.frontline.queries import transfer_targets
from zhaoshang.org.scoping import is_bureau_admin, readable_unit_ids

register = template.Library()


@register.inclusion_tag("frontline/_project_lead.html", takes_context=True)
def project_lead(context, project, can_edit):
    user = context["request"].user
    on = today()
    states = lead_states(
        LeadProfile.objects.filter(pk=project.pk).select_related("first_responsible", "claim_conflict"), on
    )
    found = {"project": project, "can_edit": can_edit, "profile": None}
    if not states:
        found["can_attach"] = can_edit and project.stage in services.LEAD_STAGES
        return found
    state = states[0]
    profile = state.profile
    bureau = is_bureau_admin(user) and can_edit
    conflict = profile.claim_conflict
    found |= {
        "profile": profile,
        "deadlines": state.deadlines,
        "today": on,
        # 首报首谈: the other project's details only for a bureau that reads it; everyone else the message alone.
        "claim_pending": conflict is not None and profile.claim_settled_on is None,
        "claim_message": services.CLAIM_MESSAGE,
        "claim_visible": bureau and conflict is not None and conflict.responsible_unit_id in readable_unit_ids(user),
    }
    if can_edit:
        found["assign_form"] = AssignFirstForm(
            unit=project.responsible_unit, initial={"user": profile.first_responsible_id}
        )
        if profile.judgement != Judgement.REJECTED:
            found["judge_form"] = JudgeForm()
        if profile.referrer.strip() and profile.judged_on:
            found["tell_form"] = TellReferrerForm()
    if bureau and services.is_stale(profile, on):
        found["transfer_form"] = TransferForm(units=transfer_targets(profile))
    return found


@register.filter
def deadline_light(deadline) -> str:
    """red: open and past due; amber: open and due today or tomorrow; done; late (done after it was due); open."""
    if deadline.open:
        if deadline.overdue:
            return "red"
        return "amber" if (deadline.due - deadline.today).days <= 1 else "open"
    return "late" if deadline.overdue else "done"
