"""Setups and checks for the 佐证材料 rows of the permission matrix (tests/org/test_permissions.py). `records`
leaves a file on 甲镇's project (by its reporter), one on 乙镇's (by its reporter), and a trip of 甲镇 with a file,
so every row asks about 甲镇's and 乙镇's users are refused."""

from datetime import timedelta

from tests.evidence import helpers as h
from zhaoshang.core.periods import today
from zhaoshang.evidence import services
from zhaoshang.evidence.models import Attachment
from zhaoshang.frontline import services as frontline
from zhaoshang.frontline.models import Trip

KEPT = "权限矩阵营业执照.pdf"
NEW = "权限矩阵合同.pdf"
PHOTO = "权限矩阵现场.png"


def _trip(actor, unit):
    day = today() - timedelta(days=1) if today().day > 1 else today()
    values = {
        "unit": unit,
        "departs_on": day,
        "returns_on": day,
        "destination": "权限矩阵目的地",
        "leader": "张三",
        "leader_category": "工作人员",
        "people": 2,
    }
    return frontline.trip_save(actor=actor, values=values)


def records(c):
    for project, actor in ((c.project, c.reporter), (c.other_project, c.outsider)):
        services.attach(actor=actor, kind="licence", upload=h.upload(KEPT, h.PDF), project=project)
    trip = _trip(c.reporter, c.town)
    services.attach(actor=c.reporter, kind="other", upload=h.upload(KEPT, h.PDF), trip=trip)


def town_file_pk(c) -> int:
    return Attachment.objects.get(project=c.project, name=KEPT).pk


def town_trip_pk(c) -> int:
    return Trip.objects.get(unit=c.town, destination="权限矩阵目的地").pk


def upload_data(c):
    return {"kind": "contract", "target": "project", "note": "", "file": h.upload(NEW, h.PDF)}


def trip_upload_data(c):
    return {"kind": "other", "note": "", "file": h.upload(NEW, h.PDF)}


def photo_data(c):
    return {"to": "project", "file": h.upload(PHOTO, h.png())}


def uploaded_to(attribute):
    return lambda c: Attachment.objects.filter(project=getattr(c, attribute), name=NEW).exists()


def trip_uploaded(c) -> bool:
    return Attachment.objects.filter(trip__unit=c.town, name=NEW).exists()


def photo_taken(c) -> bool:
    return Attachment.objects.filter(project=c.project, name=PHOTO, kind="site_photo").exists()


def town_file_gone(c) -> bool:
    return not Attachment.objects.filter(project=c.project, name=KEPT).exists()
