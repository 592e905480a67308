"""The scheme pages: who reads and writes them (a county's bureau, its leader; not a town's users, not the
neighbouring county), the item editor writing what the file holds, the upload, and the refusals once published."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.assessment.scheme_files import example, example_group, load, scheme_file
from zhaoshang.assessment import schema
from zhaoshang.assessment.models import Publication, Scheme, SchemeItem
from zhaoshang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_list_shows_the_schemes_of_the_readers_county_only(city):
    county = city.county
    scheme = load(county)
    theirs = schema.load(scheme_file(name="邻县方案"), actor=city.n_bureau, source="page", owner=city.neighbour)
    assert theirs.owner == city.neighbour
    page = client(county.bureau).get(reverse("assessment_list")).content.decode()
    assert "测试考核" in page and "邻县方案" not in page and "草稿" in page
    assert f"/assessment/{scheme.pk}/result/" in page
    page = client(county.leader).get(reverse("assessment_list")).content.decode()
    assert "测试考核" in page and reverse("assessment_edit", args=[scheme.pk]) not in page
    page = client(city.city_bureau).get(reverse("assessment_list")).content.decode()
    assert "测试考核" in page and "邻县方案" in page
    for user in (county.reporter, county.unit_head):
        assert client(user).get(reverse("assessment_list")).status_code == 403


def test_another_countys_bureau_gets_404_and_a_leader_403_on_writes(city):
    county = city.county
    scheme = load(county)
    item = scheme.items.first()
    urls = [
        reverse("assessment_edit", args=[scheme.pk]),
        reverse("assessment_json", args=[scheme.pk]),
        reverse("assessment_inputs", args=[scheme.pk]),
        reverse("assessment_item_edit", args=[scheme.pk, item.pk]),
    ]
    for url in urls:
        assert client(city.n_bureau).get(url).status_code == 404, url
        assert client(city.n_leader).get(url).status_code == 404, url
    assert client(county.leader).get(urls[0]).status_code == 403
    assert client(county.leader).get(urls[1]).status_code == 200
    assert client(county.leader).get(urls[2]).status_code == 200
    assert client(county.reporter).get(urls[2]).status_code == 403
    assert client(city.n_bureau).post(reverse("assessment_delete", args=[scheme.pk])).status_code == 404
    assert client(county.leader).post(reverse("assessment_delete", args=[scheme.pk])).status_code == 403
    assert Scheme.objects.filter(pk=scheme.pk).exists()


def test_posts_need_the_csrf_token(county):
    scheme = load(county)
    c = Client(enforce_csrf_checks=True)
    c.force_login(county.bureau)
    assert c.post(reverse("assessment_delete", args=[scheme.pk])).status_code == 403
    assert c.post(reverse("assessment_inputs", args=[scheme.pk]), {}).status_code == 403
    assert Scheme.objects.filter(pk=scheme.pk).exists()


def test_a_scheme_is_created_and_its_heading_changed_on_the_page(county):
    c = client(county.bureau)
    data = {"name": "页面方案", "year": "2026", "period": "2026-12", "group": "", "units": [county.town.pk]}
    response = c.post(reverse("assessment_create"), data)
    scheme = Scheme.objects.get(name="页面方案")
    assert response.status_code == 302 and scheme.owner == county.root
    assert [u.name for u in scheme.units.all()] == ["甲镇"]
    response = c.post(reverse("assessment_edit", args=[scheme.pk]), {**data, "period": "2025-12"})
    assert "考核期不在考核年度2026年内" in response.content.decode()
    response = c.post(reverse("assessment_edit", args=[scheme.pk]), {**data, "units": [], "group": ""})
    assert "请选择考核组，或逐个选择考核单位" in response.content.decode()
    group = county.town.group
    c.post(reverse("assessment_edit", args=[scheme.pk]), {**data, "units": [], "group": group.pk})
    scheme.refresh_from_db()
    assert scheme.group == group and not scheme.units.exists()
    entry = AuditEntry.objects.get(action="assessment.scheme_updated")
    assert entry.data["group"] == [None, group.name]


def _item_post(form_initial: dict, **changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in form_initial.items()}
    data.update(changes)
    return data


def test_the_item_editor_adds_edits_moves_and_deletes_items(county):
    scheme = load(county)
    c = client(county.bureau)
    url = reverse("assessment_item_create", args=[scheme.pk])
    assert c.get(url).status_code == 200
    data = {
        "name": "签约",
        "points": "20",
        "rule": "ratio_mix",
        "rows": "3",
        "parts-0-actual_kind": "indicator",
        "parts-0-actual_name": "domestic_signed_count",
        "parts-0-target_kind": "target",
        "parts-0-target_name": "domestic_signed_count",
        "parts-0-share": "0.5",
        "parts-0-cap": "1.2",
        "parts-1-actual_kind": "indicator",
        "parts-1-actual_name": "domestic_contract_wan",
        "parts-1-target_kind": "target",
        "parts-1-target_name": "domestic_contract_wan",
        "parts-1-share": "0.4",
        "cap": "9",  # not a key of ratio_mix: left out
    }
    response = c.post(url, data)
    assert "第4项“签约”：parts 的 share 合计应为1，现为0.9" in response.content.decode()
    assert not SchemeItem.objects.filter(name="签约").exists()
    c.post(url, {**data, "parts-1-share": "0.5"})
    item = SchemeItem.objects.get(name="签约")
    assert item.position == 4
    assert item.params == {
        "parts": [
            {
                "actual": "indicator:domestic_signed_count",
                "target": "target:domestic_signed_count",
                "share": 0.5,
                "cap": 1.2,
            },
            {"actual": "indicator:domestic_contract_wan", "target": "target:domestic_contract_wan", "share": 0.5},
        ]
    }
    # move it up twice, then delete the first item
    move = reverse("assessment_item_move", args=[scheme.pk, item.pk])
    c.post(move, {"dir": "up"})
    c.post(move, {"dir": "up"})
    assert [i.name for i in scheme.items.order_by("position")] == [
        "到位资金",
        "签约",
        "省外新增实际投资",
        "引进重点企业",
    ]
    first = scheme.items.get(name="到位资金")
    c.post(reverse("assessment_item_delete", args=[scheme.pk, first.pk]))
    assert [(i.position, i.name) for i in scheme.items.order_by("position")] == [
        (1, "签约"),
        (2, "省外新增实际投资"),
        (3, "引进重点企业"),
    ]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"assessment.item_added", "assessment.item_moved", "assessment.item_deleted"} <= actions
    # 增加一行 gives a blank row more and saves nothing
    response = c.post(reverse("assessment_item_edit", args=[scheme.pk, item.pk]), {**data, "more": "1"})
    assert 'name="parts-3-share"' in response.content.decode()


def test_a_scheme_edited_on_the_page_exports_what_load_reads(county):
    example_group(county)
    scheme = load(county, example())
    c = client(county.bureau)
    # edit an item through its page: the form shown, changed in one field, posted back
    item = scheme.items.get(name="到位资金")
    from zhaoshang.assessment.forms import ItemForm

    form = ItemForm(params=item.params, initial=ItemForm.initial_of(item))
    initial = {name: form[name].value() for name in form.fields}
    posted = _item_post(initial, points="25", rows=str(form.row_counts["parts"]))
    response = c.post(reverse("assessment_item_edit", args=[scheme.pk, item.pk]), posted)
    assert response.status_code == 302, response.content.decode()
    # and every other item saved unchanged through its page
    for other in scheme.items.exclude(pk=item.pk):
        form = ItemForm(params=other.params, initial=ItemForm.initial_of(other))
        initial = {name: form[name].value() for name in form.fields}
        posted = _item_post(initial, rows=str(form.row_counts["parts"]))
        assert c.post(reverse("assessment_item_edit", args=[scheme.pk, other.pk]), posted).status_code == 302
    exported = json.loads(c.get(reverse("assessment_json", args=[scheme.pk])).content)
    expected = example()
    expected["items"][1]["points"] = 25
    assert exported == expected
    copy = load(county, {**exported, "name": "复制的方案"})
    assert copy.pk != scheme.pk and schema.dump(copy) == {**expected, "name": "复制的方案"}


def test_the_upload_page_loads_a_file_and_lists_every_problem(county):
    c = client(county.bureau)
    url = reverse("assessment_upload")
    body = json.dumps(scheme_file(), ensure_ascii=False).encode()
    response = c.post(url, {"file": SimpleUploadedFile("s.json", body)})
    assert response.status_code == 302 and Scheme.objects.get().name == "测试考核"
    bad = scheme_file(name="坏方案", group="无此组")
    bad["items"][0]["rule"] = "magic"
    response = c.post(url, {"file": SimpleUploadedFile("s.json", json.dumps(bad).encode())}).content.decode()
    assert "考核组“无此组”不存在" in response and "第1项“到位资金”：计分规则“magic”不存在" in response
    response = c.post(url, {"file": SimpleUploadedFile("s.json", b"\xff\xfe")}).content.decode()
    assert "方案文件应为 UTF-8 编码的 JSON" in response
    response = c.post(url, {"file": SimpleUploadedFile("s.json", b" " * 1_000_001)}).content.decode()
    assert "方案文件过大（最大1MB）" in response
    assert Scheme.objects.count() == 1
    assert client(county.leader).get(url).status_code == 403


def test_a_published_scheme_refuses_every_change(county):
    scheme = load(county)
    Publication.objects.create(scheme=scheme, version=1, result={}, scheme_file=schema.dump(scheme))
    item = scheme.items.first()
    c = client(county.bureau)
    before = AuditEntry.objects.count()
    page = c.get(reverse("assessment_list")).content.decode()
    assert "已发布第1版" in page
    c.post(reverse("assessment_delete", args=[scheme.pk]))
    c.post(reverse("assessment_item_delete", args=[scheme.pk, item.pk]))
    c.post(reverse("assessment_item_move", args=[scheme.pk, item.pk]), {"dir": "down"})
    response = c.post(
        reverse("assessment_edit", args=[scheme.pk]),
        {"name": "改名", "year": "2026", "period": "2026-06", "group": scheme.group_id},
    )
    assert "考核结果已发布，方案不能再修改；如需更正请发布新版本" in response.content.decode()
    assert Scheme.objects.get(pk=scheme.pk).name == "测试考核" and scheme.items.count() == 3
    assert AuditEntry.objects.count() == before
