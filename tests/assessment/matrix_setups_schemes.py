"""Setups and checks for the scheme pages' rows of the permission matrix (tests/org/test_permissions.py): 测试县's
scheme (its bureau's, assessing 乡镇组: 甲镇 and 乙镇) with its items; the writes' form data and their effects."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.assessment.scheme_files import scheme_file
from zhaoshang.assessment import schema
from zhaoshang.assessment.models import InputValue, Scheme, SchemeItem
from zhaoshang.audit.models import Source

NEW_NAME = "权限矩阵考核方案"


def scheme(c):
    schema.load(scheme_file(), actor=None, source=Source.COMMAND, owner=c.root)


def scheme_pk(c):
    return Scheme.objects.get(owner=c.root, name="测试考核").pk


def item_pk(c):
    return SchemeItem.objects.get(scheme_id=scheme_pk(c), name="到位资金").pk


def heading_data(c):
    group = Scheme.objects.get(pk=scheme_pk(c)).group_id
    return {"name": NEW_NAME, "year": "2026", "period": "2026-06", "group": group}


def new_data(c):
    return {"name": NEW_NAME, "year": "2026", "period": "2026-06", "group": "", "units": [c.town.pk]}


def upload_data(c):
    body = json.dumps(scheme_file(name=NEW_NAME), ensure_ascii=False).encode()
    return {"file": SimpleUploadedFile("s.json", body, content_type="application/json")}


def named_new(c):
    return Scheme.objects.filter(owner=c.root, name=NEW_NAME).exists()


def gone(c):
    return not Scheme.objects.filter(owner=c.root, name="测试考核").exists()


def item_data(c):
    return {
        "name": "到位资金",
        "points": "45",
        "rule": "ratio",
        "actual_kind": "indicator",
        "actual_name": "domestic_arrived_wan",
        "target_kind": "target",
        "target_name": "domestic_arrived_wan",
        "rows": "2",
    }


def new_item_data(c):
    return {**item_data(c), "name": "权限矩阵项目"}


def item_points_45(c):
    return SchemeItem.objects.filter(scheme__owner=c.root, name="到位资金", points=45).exists()


def item_added(c):
    return SchemeItem.objects.filter(scheme__owner=c.root, name="权限矩阵项目").exists()


def item_gone(c):
    return not SchemeItem.objects.filter(scheme__owner=c.root, name="到位资金").exists()


def item_moved(c):
    return SchemeItem.objects.filter(scheme__owner=c.root, name="到位资金", position=2).exists()


def input_data(c):
    return {f"v-{c.town.pk}-0": "123"}


def input_set(c):
    return InputValue.objects.filter(scheme__owner=c.root, unit=c.town, name="省外新增实际投资").exists()
