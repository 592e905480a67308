"""Setups and checks for the trips, receptions and follow-ups rows of the permission matrix
(tests/org/test_permissions.py). Each leaves one trip, one reception and one follow-up of 甲镇 (made by its
reporter) and the same of 乙镇, so that every row asks about 甲镇's and can be refused for 乙镇's users."""

from datetime import timedelta

from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import FollowUp, Reception, Trip

DESTINATION = "权限矩阵目的地"
COMPANY = "权限矩阵来访企业"
CONTENT = "权限矩阵跟进内容"
NEW_TEXT = "权限矩阵改写"


def _day():
    return today() - timedelta(days=1) if today().day > 1 else today()


def _trip_values(unit, destination=DESTINATION):
    day = _day()
    return {
        "unit": unit,
        "departs_on": day,
        "returns_on": day,
        "destination": destination,
        "leader": "张三",
        "leader_category": "工作人员",
        "people": 2,
    }


def records(c):
    for unit, actor in ((c.town, c.reporter), (c.other_town, c.outsider)):
        services.trip_save(actor=actor, values=_trip_values(unit))
        services.reception_save(actor=actor, values={"unit": unit, "on_date": _day(), "company": COMPANY})
    for project, actor in ((c.project, c.reporter), (c.other_project, c.outsider)):
        services.followup_add(actor=actor, project=project, values={"on_date": _day(), "content": CONTENT})


def town_trip_pk(c) -> int:
    return Trip.objects.get(unit=c.town).pk


def other_trip_pk(c) -> int:
    return Trip.objects.get(unit=c.other_town).pk


def town_reception_pk(c) -> int:
    return Reception.objects.get(unit=c.town).pk


def town_followup_pk(c) -> int:
    return FollowUp.objects.get(project=c.project).pk


def trip_data(c):
    values = _trip_values(c.town, NEW_TEXT)
    return {
        **{
            k: (v.pk if hasattr(v, "pk") else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in values.items()
        },
        "visited": "",
        "visited_count": "",
        "outcome": "",
        "lead_codes": "",
    }


def reception_data(c):
    return {
        "unit": c.town.pk,
        "on_date": _day().isoformat(),
        "company": NEW_TEXT,
        "visitors": "",
        "purpose": "",
        "result": "",
        "lead_codes": "",
    }


def followup_data(c):
    return {
        "on_date": _day().isoformat(),
        "way": "电话",
        "participants": "",
        "content": NEW_TEXT,
        "next_step": "",
        "next_step_on": "",
    }


def trip_written(c) -> bool:
    return Trip.objects.filter(destination=NEW_TEXT).exists()


def reception_written(c) -> bool:
    return Reception.objects.filter(company=NEW_TEXT).exists()


def followup_written(c) -> bool:
    return FollowUp.objects.filter(content=NEW_TEXT).exists()


def town_trip_gone(c) -> bool:
    return not Trip.objects.filter(unit=c.town).exists()


def town_reception_gone(c) -> bool:
    return not Reception.objects.filter(unit=c.town).exists()


def town_followup_gone(c) -> bool:
    return not FollowUp.objects.filter(project=c.project).exists()
