"""Fixtures of the evidence tests: trips of 甲镇 and 邻镇, a file to upload, the files the storage holds."""

from datetime import timedelta

import pytest

from tests.evidence import helpers as h
from zhaoshang.core.periods import add_months, current_month
from zhaoshang.evidence import services
from zhaoshang.evidence.models import evidence_storage
from zhaoshang.frontline import services as frontline

LAST = add_months(current_month(), -1)  # a finished month the bureau may close
PAST = add_months(current_month(), -2)


def make_trip(actor, unit, departs=None, destination="深圳"):
    departs = departs or current_month()
    return frontline.trip_save(
        actor=actor,
        values={
            "unit": unit,
            "departs_on": departs,
            "returns_on": departs + timedelta(days=1),
            "destination": destination,
            "leader": "张三",
            "leader_category": "工作人员",
            "people": 2,
            "visited_count": 1,
        },
    )


def attach_pdf(actor, name="合同.pdf", kind="contract", **target):
    return services.attach(actor=actor, kind=kind, upload=h.upload(name, h.PDF), **target)


def stored_files(storage=None) -> set[str]:
    """Every file the evidence storage holds (walking its folders)."""
    storage = storage or evidence_storage()
    found, folders = set(), [""]
    while folders:
        folder = folders.pop()
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        found |= {f"{folder}/{name}".lstrip("/") for name in files}
        folders += [f"{folder}/{name}".lstrip("/") for name in dirs]
    return found


@pytest.fixture
def town_trip(county):
    return make_trip(county.reporter, county.town)
