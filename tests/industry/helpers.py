"""Targets built through the library's own service."""

from datetime import timedelta

from zhaoshang.core.periods import today
from zhaoshang.frontline import services as frontline
from zhaoshang.industry import services


def make_target(actor, unit, name="深圳新能源科技有限公司", **values):
    return services.target_save(actor=actor, values={"unit": unit, "name": name, **values})


def make_trip(actor, unit, visited="深圳新能源科技有限公司"):
    day = today() - timedelta(days=3)
    values = {
        "unit": unit,
        "departs_on": day,
        "returns_on": day,
        "destination": "深圳",
        "leader": "王五",
        "leader_category": "工作人员",
        "people": 2,
        "visited": visited,
    }
    return frontline.trip_save(actor=actor, values=values)


def make_reception(actor, unit, company="深圳新能源科技有限公司"):
    values = {"unit": unit, "on_date": today() - timedelta(days=1), "company": company}
    return frontline.reception_save(actor=actor, values=values)
