"""Setups and checks for the honours rows of the permission matrix (tests/org/test_permissions.py): 测试县's round of
honours from a published result, proposed, with a 先进个人 nominated by 甲镇's reporter."""

from tests.honours.helpers import published
from zhaoshang.honours import services
from zhaoshang.honours.models import HonoursRound, Nomination, RoundStatus

NEW_TITLE = "权限矩阵表彰"
NEW_PERSON = "权限矩阵个人"
PERSON = "权限矩阵张三"


def unproposed(c):
    services.round_create(actor=c.bureau, publication=published(c), values={"top_n": 1})


def records(c):
    unproposed(c)
    services.round_propose(actor=c.bureau, honours=the_round())
    values = {"unit": c.town, "name": PERSON, "position": "镇长", "deeds": "引进项目"}
    services.nomination_add(actor=c.reporter, honours=the_round(), values=values)


def decided(c):
    records(c)
    services.nomination_decide(actor=c.bureau, nomination=nomination(), status="approved")


def the_round() -> HonoursRound:
    return HonoursRound.objects.get()


def round_pk(c) -> int:
    return the_round().pk


def publication_pk(c) -> int:
    return the_round().publication_id


def town_unit_pk(c) -> int:
    return the_round().units.get(unit_name="甲镇").pk


def nomination() -> Nomination:
    return Nomination.objects.get(name=PERSON)


def nomination_pk(c) -> int:
    return nomination().pk


def round_data(c):
    return {
        "title": NEW_TITLE,
        "rule": "top",
        "top_n": "2",
        "group_top_n": "",
        "min_score": "",
        "honour": "招商引资先进单位",
        "group_honours": "",
        "reason": "表彰理由",
        "closing": "",
    }


def created(c) -> bool:
    return HonoursRound.objects.filter(title=NEW_TITLE).exists()


def new_publication(c):
    published(c)


def new_publication_pk(c) -> int:
    from zhaoshang.assessment.models import Publication

    return Publication.objects.get().pk


def proposed(c) -> bool:
    return the_round().proposed_at is not None


def add_data(c):
    return {"unit_name": "丁镇", "reason": "权限矩阵增列"}


def added(c) -> bool:
    return the_round().units.filter(unit_name="丁镇", removed=False).exists()


def remove_data(c):
    return {"reason": "权限矩阵移除"}


def removed(c) -> bool:
    return the_round().units.get(unit_name="甲镇").removed


def nominate_data(c):
    return {"unit": c.town.pk, "name": NEW_PERSON, "position": "副镇长", "deeds": "事迹", "project_codes": ""}


def nominated(c) -> bool:
    return Nomination.objects.filter(name=NEW_PERSON).exists()


def decide_data(c):
    return {"status": "approved", "note": ""}


def approved(c) -> bool:
    return nomination().status == "approved"


def final(c) -> bool:
    return the_round().status == RoundStatus.FINAL
