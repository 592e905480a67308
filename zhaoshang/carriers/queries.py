"""Reads of the carriers pages: the list's rows with their space (carriers/space.py, in the rows' own query), its
totals line in one more, and the projects in each row of a page in one more, so a page costs the same number of
queries whatever its length. The lists start from the user's scope (`readable_by`).

A carrier's reader sees the names of the projects in it that it reads itself; a project of a unit it does not read
(placed there by the bureau) is counted, never named."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from zhaoshang.carriers import space
from zhaoshang.carriers.models import Carrier, Occupancy
from zhaoshang.projects.models import Project

NAMES_SHOWN = 3


def readable(user, on: date):
    """The carriers the user reads, with their space on `on` (the list's filters apply to these)."""
    return space.with_space(Carrier.objects.readable_by(user).select_related("unit"), on)


def ordered(carriers, sort: str = ""):
    """The most available first: the chosen kind of space (亩, or by default ㎡) first, then the other."""
    first, second = ("available_mu", "available_m2") if sort == "mu" else ("available_m2", "available_mu")
    return carriers.order_by(F(first).desc(nulls_last=True), F(second).desc(nulls_last=True), "name", "pk")


@dataclass(frozen=True)
class Totals:
    carriers: int
    land_mu: Decimal
    available_mu: Decimal
    building_m2: Decimal
    available_m2: Decimal


def totals(annotated) -> Totals:
    """The totals line of the chosen carriers (annotated by `readable`), in one query."""
    # Aliases of their own: an aggregate named like the annotation it sums (available_mu) shadows it, and SQLite
    # then sums the quoted name as a string, 0.
    figures = annotated.order_by().aggregate(
        n=Count("pk"),
        sum_land=Sum("land_mu"),
        sum_free_land=Sum("available_mu"),
        sum_building=Sum("building_m2"),
        sum_free_building=Sum("available_m2"),
    )
    zero = Decimal(0)
    return Totals(
        carriers=figures["n"],
        land_mu=figures["sum_land"] or zero,
        available_mu=figures["sum_free_land"] or zero,
        building_m2=figures["sum_building"] or zero,
        available_m2=figures["sum_free_building"] or zero,
    )


@dataclass
class Occupants:
    names: list[str]  # the projects the reader reads, first NAMES_SHOWN
    count: int  # every project in force, those it does not read included

    @property
    def more(self) -> int:
        return self.count - len(self.names)


def occupants(carrier_ids: list[int], user, on: date) -> dict[int, Occupants]:
    """{carrier id: the projects in it on `on`} for a page of carriers, in one query."""
    readable = set()
    rows = list(
        Occupancy.objects.filter(space.in_force_q(on), carrier_id__in=carrier_ids)
        .order_by("carrier_id", "-moved_in_on", "pk")
        .values_list("carrier_id", "project_id", "project__name")
    )
    if rows:
        ids = {project_id for _, project_id, _ in rows}
        readable = set(Project.objects.readable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    found: dict[int, Occupants] = {}
    for carrier_id, project_id, name in rows:
        entry = found.setdefault(carrier_id, Occupants([], 0))
        entry.count += 1
        if project_id in readable and len(entry.names) < NAMES_SHOWN:
            entry.names.append(name)
    return found


def text_q(text: str) -> Q:
    return Q(name__icontains=text) | Q(address__icontains=text) | Q(industries__icontains=text)


def one_for(user, pk, on: date) -> Carrier | None:
    """A carrier the user reads, with its space on `on`; None outside its scope."""
    return space.with_space(Carrier.objects.readable_by(user).select_related("unit"), on).filter(pk=pk).first()


def occupancies_of(carrier: Carrier, user):
    """The carrier's occupancies, in force first, newest first; each with `readable` (the reader may see the
    project's name and link)."""
    rows = list(
        carrier.occupancies.select_related("project").order_by(
            F("moved_out_on").desc(nulls_first=True), "-moved_in_on", "-pk"
        )
    )
    ids = {row.project_id for row in rows}
    readable = set(Project.objects.readable_by(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for row in rows:
        row.readable = row.project_id in readable
        row.in_force = row.moved_out_on is None or row.moved_out_on > date.today()
        _figures(row, carrier)
    return rows


def _figures(row: Occupancy, carrier: Carrier) -> None:
    """亩均投资强度 and 亩均税收 (万元/亩), and the tax per ㎡ (元/㎡) for an occupancy of floor area, each with
    whether it reaches the carrier's requirement (None: unknown)."""
    row.investment_per_mu = space.per_mu(row.project.planned_total, row.land_mu)
    row.investment_ok = space.meets(row.investment_per_mu, carrier.min_investment_wan_mu)
    row.tax_per_mu = space.per_mu(row.annual_tax_wan, row.land_mu)
    row.tax_ok = space.meets(row.tax_per_mu, carrier.min_tax_wan_mu)
    per_m2 = space.per_mu(row.annual_tax_wan, row.floor_m2)
    row.tax_per_m2 = None if per_m2 is None else per_m2 * 10000
    row.tax_m2_ok = space.meets(row.tax_per_m2, carrier.min_tax_yuan_m2)


def landed(project, user):
    """Where a project landed (the project page's 入驻载体): its occupancies, each with `carrier_readable`."""
    rows = list(Occupancy.objects.filter(project=project).select_related("carrier").order_by("-moved_in_on", "-pk"))
    ids = {row.carrier_id for row in rows}
    readable = set(Carrier.objects.readable_by(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for row in rows:
        row.carrier_readable = row.carrier_id in readable
    return rows
