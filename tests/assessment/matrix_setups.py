"""The permissions matrix's rows for the result page and publishing (tests/org/test_permissions.py): a scheme of
测试县 over 甲镇 and 乙镇, as a draft and as published."""

from tests.assessment.helpers import make_scheme
from zhaoshang.assessment.models import Publication, Scheme
from zhaoshang.assessment.services import publish

ITEMS = [("签约个数", "10", "count_points", {"counts": [{"of": "indicator:domestic_signed_count", "each": 2}]})]


def draft_scheme(c):
    make_scheme(c.root, name="权限矩阵考核", units=[c.town, c.other_town], items=ITEMS)


def published_scheme(c):
    draft_scheme(c)
    publish(scheme_of(), actor=c.bureau, source="command")


def scheme_of() -> Scheme:
    return Scheme.objects.get(name="权限矩阵考核")


def scheme_pk(c) -> int:
    return scheme_of().pk


def published(c) -> bool:
    return Publication.objects.filter(scheme__name="权限矩阵考核").exists()
