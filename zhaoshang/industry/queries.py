"""Reads of the library: a page of targets with the number of each kind of linked work the reader reads, and a
target's linked work for its page. Counts are subqueries, so a page takes the same queries for 1 row or 50."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhaoshang.frontline.models import Reception, Trip
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.industry.rules import LEAD_STAGES
from zhaoshang.org.scoping import readable_unit_ids, reads_whole_tree
from zhaoshang.projects.models import Project


def _count_of(relation: str, readable):
    through = getattr(TargetEnterprise, relation).through
    other = f"{readable.model._meta.model_name}_id"
    rows = through.objects.filter(targetenterprise_id=OuterRef("pk"))
    if readable is not None:
        rows = rows.filter(**{f"{other}__in": readable.values("pk")})
    counted = rows.order_by().values("targetenterprise_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_work_counts(targets, user):
    """Each target with trip_count, reception_count, project_count: the linked work `user` reads."""
    whole = reads_whole_tree(user)
    trips = Trip.objects.all() if whole else Trip.objects.readable_by(user)
    receptions = Reception.objects.all() if whole else Reception.objects.readable_by(user)
    projects = Project.objects.all() if whole else Project.objects.readable_by(user)
    return targets.annotate(
        trip_count=_count_of("trips", trips),
        reception_count=_count_of("receptions", receptions),
        project_count=_count_of("projects", projects),
    )


def linked_work(target: TargetEnterprise, user) -> dict:
    """The target's linked work that `user` reads, for its page: trips, receptions, leads and projects."""
    projects = list(
        target.projects.filter(pk__in=Project.objects.readable_by(user).values("pk"))
        .select_related("responsible_unit")
        .order_by("-id")
    )
    return {
        "trips": list(
            target.trips.filter(pk__in=Trip.objects.readable_by(user).values("pk"))
            .select_related("unit")
            .order_by("-departs_on", "-id")
        ),
        "receptions": list(
            target.receptions.filter(unit_id__in=readable_unit_ids(user)).select_related("unit").order_by("-on_date")
        ),
        "leads": [p for p in projects if p.stage in LEAD_STAGES],
        "projects": [p for p in projects if p.stage not in LEAD_STAGES],
    }
