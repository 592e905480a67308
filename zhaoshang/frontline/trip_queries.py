"""Reads of the trips, receptions and follow-ups lists: their totals in one query, the leads each row produced,
and a project's follow-up timeline. The lists start from the user's scope (`readable_by`) in the views."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, ExpressionWrapper, F, FloatField, Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from zhaoshang.frontline.models import FollowUp, LeaderCategory, LeadProfile


@dataclass(frozen=True)
class TripTotals:
    trips: int  # 批次
    main_leader: int  # of which led by 党政主要负责同志
    person_days: int  # 人天: 参加人数 × days away, both dates included
    visits: int  # 拜访企业 家次


def _days_away():
    """returns_on − departs_on + 1 in whole days, computed by the database so the totals need no row in Python.
    PostgreSQL's date − date is a number of days; SQLite has no date type and counts through julianday()."""
    if connection.vendor == "postgresql":
        # as a plain "a - b": Django's own date subtraction would make it an interval
        span = Func(
            F("returns_on"),
            F("departs_on"),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        )
    else:
        julian = {"function": "julianday", "output_field": FloatField()}  # a number, or Django reads two dates
        span = Func(F("returns_on"), **julian) - Func(F("departs_on"), **julian)
    return ExpressionWrapper(span + 1, output_field=IntegerField())


def trip_totals(trips) -> TripTotals:
    """The totals line of the chosen trips, in one query."""
    figures = trips.order_by().aggregate(
        trips=Count("pk"),
        main_leader=Count("pk", filter=Q(leader_category=LeaderCategory.MAIN)),
        person_days=Coalesce(Sum(ExpressionWrapper(F("people") * _days_away(), output_field=IntegerField())), 0),
        visits=Coalesce(Sum("visited_count"), 0),
    )
    return TripTotals(**{k: int(v) for k, v in figures.items()})


def lead_codes_by_row(model, ids: list[int], user) -> dict[int, list[str]]:
    """{trip or reception id: the project numbers of the leads it produced that `user` reads}: one query for a page
    or a chunk. A lead the user does not read is left out: it was linked by the bureau, or moved to another unit
    since (a transfer, 首报首谈), and the row's unit may not learn of it."""
    through = model.leads.through
    owner = f"{model._meta.model_name}_id"
    found: dict[int, list[str]] = {}
    readable = LeadProfile.objects.readable_by(user).values("pk")
    rows = through.objects.filter(**{f"{owner}__in": ids}, project_id__in=readable).order_by("project__code")
    for owner_id, code in rows.values_list(owner, "project__code"):
        found.setdefault(owner_id, []).append(code)
    return found


def project_timeline(project, today: date) -> list[FollowUp]:
    """A project's follow-ups, newest first. The newest is marked `late` when its next step's date has passed:
    no later follow-up was made, so the next step was not taken, or not written down."""
    rows = list(FollowUp.objects.filter(project=project).select_related("author").order_by("-on_date", "-id"))
    newest = rows[0].on_date if rows else None
    for row in rows:
        row.project = project  # the rights asked of each row read its project: no query per row
        row.late = bool(row.next_step_on and row.next_step_on < today and row.on_date == newest)
    return rows


def with_project_last(followups):
    """Each follow-up with `project_last`, the date of its project's newest follow-up (one subquery), so a list
    lights a next step whose date passed without a later follow-up without a query per row."""
    newest = FollowUp.objects.filter(project=OuterRef("project")).order_by("-on_date").values("on_date")[:1]
    return followups.annotate(project_last=Subquery(newest))


def is_late(followup, today: date) -> bool:
    return bool(followup.next_step_on and followup.next_step_on < today and followup.project_last == followup.on_date)
