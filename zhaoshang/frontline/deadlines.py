"""The deadlines of leads as of a day, read from the database: each county's rules and calendar corrections are
loaded once, the last follow-up of every lead comes with the leads in one query.

Which county's rules apply to a lead: those of the county (县区) its responsible unit belongs to, else the root's
(org.departments.home_county); a county with no LeadRules row uses the defaults (rules.DEFAULT_RULES)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from zhaoshang.frontline import rules
from zhaoshang.frontline.models import CalendarDay, Judgement, LeadProfile, LeadRules
from zhaoshang.org.models import Unit, UnitKind, subtree_q
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.projects.models import Stage

OPEN_STAGES = (Stage.LEAD, Stage.NEGOTIATING)
RULE_FIELDS = list(rules.DEFAULT_RULES)


@dataclass(frozen=True)
class LeadState:
    profile: LeadProfile
    deadlines: list[rules.Deadline]

    @property
    def overdue(self) -> list[rules.Deadline]:
        return [d for d in self.deadlines if d.overdue and d.open]

    @property
    def late_ever(self) -> list[rules.Deadline]:
        """Every deadline missed, kept late or still open (for the record of how a lead was handled)."""
        return [d for d in self.deadlines if d.overdue]


class CountyCalendars:
    """The rules and calendar corrections of the counties of some units, loaded once."""

    def __init__(self, unit_paths: Iterable[str]):
        paths = set(unit_paths)
        above = {i for p in paths for i in ancestor_ids(p)}
        units = {u.pk: u for u in Unit.objects.filter(pk__in=above).only("pk", "path", "kind", "parent_id")}
        self._county_of_path = {}
        for path in paths:
            chain = [units[i] for i in ancestor_ids(path) if i in units]
            counties = [u for u in chain if u.kind == UnitKind.COUNTY]
            self._county_of_path[path] = (counties[-1] if counties else chain[0]).pk if chain else None
        roots = set(self._county_of_path.values()) - {None}
        self._rules = {
            r.root_id: {f: getattr(r, f) for f in RULE_FIELDS} for r in LeadRules.objects.filter(root_id__in=roots)
        }
        self._corrections: dict[int, dict[date, bool]] = {pk: {} for pk in roots}
        for root_id, day, is_workday in CalendarDay.objects.filter(root_id__in=roots).values_list(
            "root_id", "day", "is_workday"
        ):
            self._corrections[root_id][day] = is_workday

    def county_id(self, path: str) -> int | None:
        return self._county_of_path.get(path)

    def rules_for(self, path: str) -> dict:
        return {**rules.DEFAULT_RULES, **self._rules.get(self.county_id(path), {})}

    def corrections_for(self, path: str) -> dict[date, bool]:
        return self._corrections.get(self.county_id(path), {})


def lead_states(profiles, today: date) -> list[LeadState]:
    """The deadlines of each lead in `profiles` (a queryset of LeadProfile), in its order. Two queries for the
    leads and their last follow-ups, two for the counties' rules and corrections, whatever the number."""
    rows = list(
        profiles.select_related("project", "project__responsible_unit").annotate(
            last_followup_on=Max("project__followups__on_date")
        )
    )
    calendars = CountyCalendars(r.project.responsible_unit.path for r in rows)
    found = []
    for profile in rows:
        path = profile.project.responsible_unit.path
        following = profile.judgement == Judgement.VALID and profile.project.stage in OPEN_STAGES
        deadlines = rules.lead_deadlines(
            registered_on=profile.registered_on,
            first_responsible_on=profile.first_responsible_on,
            judgement=profile.judgement,
            judged_on=profile.judged_on,
            has_referrer=bool(profile.referrer.strip()),
            referrer_told_on=profile.referrer_told_on,
            last_followup_on=profile.last_followup_on,
            is_following=following,
            today=today,
            rules=calendars.rules_for(path),
            corrections=calendars.corrections_for(path),
        )
        found.append(LeadState(profile, deadlines))
    return found


def open_leads_under(units) -> "LeadProfile.objects":
    """The leads still in hand (线索/在谈) of these units' subtrees: those whose deadlines can still be missed."""
    return LeadProfile.objects.filter(subtree_q(units, "project__responsible_unit"), project__stage__in=OPEN_STAGES)


def overdue_leads(units, today: date) -> list[LeadState]:
    """The leads in hand under `units` with at least one open deadline passed, the longest overdue first (for the
    点评 material, the reminders and the lead list's filter)."""
    states = [s for s in lead_states(open_leads_under(units).order_by("registered_on", "pk"), today) if s.overdue]
    states.sort(key=lambda s: (-max(d.days_late for d in s.overdue), s.profile.registered_on, s.profile.pk))
    return states
