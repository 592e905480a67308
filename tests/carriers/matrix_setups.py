"""Setups and checks for the carriers rows of the permission matrix (tests/org/test_permissions.py). `records` leaves
a carrier of 甲镇 (made by its reporter) with 甲镇's project in it and a photo, an empty one to delete, and a carrier
of 乙镇 with 乙镇's project in it, so every row asks about 甲镇's and 乙镇's users are refused."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhaoshang.carriers import services
from zhaoshang.carriers.models import Carrier, CarrierPhoto, Occupancy
from zhaoshang.core.periods import today

NAME = "权限矩阵厂房"
EMPTY = "权限矩阵空载体"
NEW_NAME = "权限矩阵新载体"
NOTE = "权限矩阵改写"


def _day():
    return today() - timedelta(days=1) if today().day > 1 else today()


def png(name="p.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _carrier(actor, unit, name):
    values = {
        "unit": unit,
        "name": name,
        "kind": "标准化厂房",
        "land_mu": Decimal("100"),
        "building_m2": Decimal("9000"),
    }
    return services.carrier_save(actor=actor, values=values)


def records(c):
    for unit, actor, project in ((c.town, c.reporter, c.project), (c.other_town, c.outsider, c.other_project)):
        carrier = _carrier(actor, unit, NAME)
        values = {"project": project, "land_mu": Decimal("5"), "moved_in_on": _day()}
        services.occupancy_save(actor=actor, carrier=carrier, values=values)
    services.photo_add(actor=c.reporter, carrier=town_carrier(c), upload=png())
    _carrier(c.reporter, c.town, EMPTY)


def town_carrier(c):
    return Carrier.objects.get(unit=c.town, name=NAME)


def town_carrier_pk(c) -> int:
    return town_carrier(c).pk


def empty_carrier_pk(c) -> int:
    return Carrier.objects.get(unit=c.town, name=EMPTY).pk


def town_occupancy_pk(c) -> int:
    return Occupancy.objects.get(carrier__unit=c.town).pk


def town_photo_pk(c) -> int:
    return CarrierPhoto.objects.get(carrier__unit=c.town).pk


def create_data(c):
    return {"unit": c.town.pk, "name": NEW_NAME, "kind": "孵化器", "building_m2": "500"}


def created(c) -> bool:
    return Carrier.objects.filter(name=NEW_NAME).exists()


def edit_data(c):
    return {
        "unit": c.town.pk,
        "name": NAME,
        "kind": "标准化厂房",
        "land_mu": "100",
        "building_m2": "9000",
        "rent_yuan_m2_month": "7",
    }


def edited(c) -> bool:
    return Carrier.objects.filter(unit=c.town, name=NAME, rent_yuan_m2_month=7).exists()


def empty_gone(c) -> bool:
    return not Carrier.objects.filter(name=EMPTY).exists()


def occupancy_data(c):
    return {"project_code": c.park_project.code, "floor_m2": "10", "moved_in_on": _day().isoformat()}


def occupancy_added(c) -> bool:
    return Occupancy.objects.filter(carrier__unit=c.town, project=c.park_project).exists()


def occupancy_edit_data(c):
    return {"project_code": c.project.code, "land_mu": "5", "moved_in_on": _day().isoformat(), "note": NOTE}


def occupancy_edited(c) -> bool:
    return Occupancy.objects.filter(carrier__unit=c.town, note=NOTE).exists()


def end_data(c):
    return {"moved_out_on": today().isoformat()}


def ended(c) -> bool:
    return Occupancy.objects.filter(carrier__unit=c.town, moved_out_on__isnull=False).exists()


def occupancy_gone(c) -> bool:
    return not Occupancy.objects.filter(carrier__unit=c.town).exists()


def photo_data(c):
    return {"image": png("new.png"), "caption": "新照片"}


def photo_added(c) -> bool:
    return CarrierPhoto.objects.filter(caption="新照片").exists()


def photo_gone(c) -> bool:
    return not CarrierPhoto.objects.filter(carrier__unit=c.town).exists()
