"""Setups and checks for the target-enterprise library's rows of the permission matrix
(tests/org/test_permissions.py). Each leaves one target and one trip of 甲镇 (made by its reporter) and the same of
乙镇, so that every row asks about 甲镇's and can be refused for 乙镇's users."""

from tests.frontline import matrix_setups_trips as trips
from zhaoshang.frontline.models import Trip
from zhaoshang.industry import services
from zhaoshang.industry.models import TargetEnterprise

NAME = "权限矩阵目标企业"
NEW_NAME = "权限矩阵目标企业改名"


def records(c):
    trips.records(c)
    for unit, actor in ((c.town, c.reporter), (c.other_town, c.outsider)):
        services.target_save(actor=actor, values={"unit": unit, "name": f"{NAME}{unit.name}"})


def linked(c):
    records(c)
    services.target_link(actor=c.reporter, target=_town_target(c), kind="trip", pk=town_trip_pk(c))


def _town_target(c) -> TargetEnterprise:
    return TargetEnterprise.objects.get(unit=c.town)


def town_target_pk(c) -> int:
    return _town_target(c).pk


def town_trip_pk(c) -> int:
    return Trip.objects.get(unit=c.town).pk


def target_data(c):
    return {"unit": c.town.pk, "name": NEW_NAME, "status": "未接触", "credit_code": ""}


def link_data(c):
    return {"kind": "trip", "pk": town_trip_pk(c)}


def written(c) -> bool:
    return TargetEnterprise.objects.filter(name=NEW_NAME).exists()


def gone(c) -> bool:
    return not TargetEnterprise.objects.filter(unit=c.town).exists()


def trip_linked(c) -> bool:
    return _town_target(c).trips.exists()


def trip_unlinked(c) -> bool:
    return not _town_target(c).trips.exists()
