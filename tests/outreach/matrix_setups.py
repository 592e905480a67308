"""Setups and checks for the 宣传与培训 rows of the permission matrix (tests/org/test_permissions.py). `records` leaves
a case of 甲镇 (by its reporter) with a photo, an empty case of 甲镇 to delete, a case of 乙镇, and two sessions of
the county's bureau (one to delete) attended by 甲镇's and 乙镇's reporters."""

from datetime import timedelta

from tests.carriers.matrix_setups import png
from tests.outreach.helpers import make_case, make_session
from zhaoshang.core.periods import today
from zhaoshang.outreach import services
from zhaoshang.outreach.models import CasePhoto, TrainingSession, TypicalCase

TITLE = "权限矩阵案例"
EMPTY = "权限矩阵空案例"
NEW_TITLE = "权限矩阵新案例"
TOPIC = "权限矩阵培训"
SPARE = "权限矩阵待删培训"
NEW_TOPIC = "权限矩阵新培训"


def _day():
    return today() - timedelta(days=1) if today().day > 1 else today()


def records(c):
    case = make_case(c.reporter, c.town, _day(), title=TITLE)
    make_case(c.outsider, c.other_town, _day(), title=TITLE)
    make_case(c.reporter, c.town, _day(), title=EMPTY)
    services.photo_add(actor=c.reporter, case=case, upload=png())
    make_session(c.bureau, c.root, _day(), "3.5", [c.reporter, c.outsider], topic=TOPIC)
    make_session(c.bureau, c.root, _day(), "1.0", [c.reporter], topic=SPARE)


def town_case_pk(c) -> int:
    return TypicalCase.objects.get(unit=c.town, title=TITLE).pk


def empty_case_pk(c) -> int:
    return TypicalCase.objects.get(unit=c.town, title=EMPTY).pk


def photo_pk(c) -> int:
    return CasePhoto.objects.get(case__unit=c.town).pk


def session_pk(c) -> int:
    return TrainingSession.objects.get(owner=c.root, topic=TOPIC).pk


def spare_pk(c) -> int:
    return TrainingSession.objects.get(owner=c.root, topic=SPARE).pk


def case_data(c, title=NEW_TITLE):
    return {
        "unit": c.town.pk,
        "title": title,
        "media": "县融媒体中心",
        "level": "县级",
        "published_on": _day().isoformat(),
        "project_codes": "",  # a refused form shows back what was posted: no project number of 测试县 in it
        "link": "",
        "text": "",
    }


def created(c) -> bool:
    return TypicalCase.objects.filter(unit=c.town, title=NEW_TITLE).exists()


def edit_data(c):
    return {**case_data(c, TITLE), "level": "省级", "project_codes": c.project.code}


def edited(c) -> bool:
    return TypicalCase.objects.filter(unit=c.town, title=TITLE, level="省级").exists()


def empty_gone(c) -> bool:
    return not TypicalCase.objects.filter(unit=c.town, title=EMPTY).exists()


def photo_data(c):
    return {"image": png("new.png"), "caption": "新照片"}


def photo_added(c) -> bool:
    return CasePhoto.objects.filter(case__unit=c.town, caption="新照片").exists()


def photo_gone(c) -> bool:
    return not CasePhoto.objects.filter(case__unit=c.town).exists()


def session_data(c, topic=NEW_TOPIC):
    return {
        "held_on": _day().isoformat(),
        "topic": topic,
        "organiser": "县投资促进中心",
        "hours": "2.5",
        "place": "",
        "note": "",
        "attendees": [c.reporter.pk],
    }


def session_created(c) -> bool:
    return TrainingSession.objects.filter(owner=c.root, topic=NEW_TOPIC).exists()


def session_edit_data(c):
    return {**session_data(c, TOPIC), "hours": "4.0"}


def session_edited(c) -> bool:
    return TrainingSession.objects.filter(owner=c.root, topic=TOPIC, hours=4).exists()


def spare_gone(c) -> bool:
    return not TrainingSession.objects.filter(owner=c.root, topic=SPARE).exists()
