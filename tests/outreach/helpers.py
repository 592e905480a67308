"""Typical cases and training sessions made through the product's own services, for the outreach tests."""

from datetime import date
from decimal import Decimal

from zhaoshang.outreach import services


def make_case(actor, unit, published_on: date, level="县级", title=None, projects=()):
    values = {
        "unit": unit,
        "title": title or f"{unit.name}典型案例{published_on:%m%d}{level}",
        "media": "县融媒体中心",
        "level": level,
        "published_on": published_on,
        "link": "",
        "text": "",
    }
    return services.case_save(actor=actor, values=values, projects=projects)


def make_session(actor, owner, held_on: date, hours: str, attendees=(), topic=None):
    values = {
        "held_on": held_on,
        "topic": topic or f"招商业务培训{held_on:%m%d}",
        "organiser": "县投资促进中心",
        "hours": Decimal(hours),
        "place": "县行政中心",
        "note": "",
    }
    return services.session_save(actor=actor, owner=owner, values=values, attendees=attendees)
