"""The result page: the table with each score's formula, flags, the files, the versions, publishing and who reads."""

import json

from django.urls import reverse

from tests.assessment.helpers import published_form
from tests.factories import make_project
from tests.xlsx_cells import content, read_cells
from zhaoshang.assessment.models import Publication


def test_bureau_sees_the_live_table_with_formulas_and_flags(county, client_for):
    scheme, _bing, _ding = published_form(county)
    url = reverse("assessment_result", args=[scheme.pk])
    page = client_for(county.bureau).get(url).content.decode()
    assert "草稿" in page
    assert "<details" in page and "96%×10=9.60" in page  # the formula, readable without script
    assert "(200%（上限120%）×50%+120%×50%)×20=24.00" in page
    assert "目标缺失" in page
    assert "34.00" in page and "33.60" in page
    assert 'data-confirm="' in page and "发布考核结果" in page
    # a leader reads but is offered no publishing
    leader_page = client_for(county.leader).get(url).content.decode()
    assert "96%×10=9.60" in leader_page and "发布考核结果" not in leader_page


def test_files_from_the_page(county, client_for):
    scheme, _bing, _ding = published_form(county)
    client = client_for(county.bureau)
    url = reverse("assessment_result", args=[scheme.pk])
    data = json.loads(client.get(url + "?format=json").content)
    assert [(u["unit"], u["rank"]) for u in data["units"]][:2] == [("丙镇", 1), ("甲镇", 2)]
    book = read_cells(content(client.get(url + "?format=xlsx")))
    assert set(book) == {"考核结果", "计分明细"}
    docx = client.get(url + "?format=docx")
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in docx["Content-Disposition"]


def test_publish_then_correct_from_the_page(county, client_for):
    scheme, _bing, _ding = published_form(county)
    client = client_for(county.bureau)
    url = reverse("assessment_result", args=[scheme.pk])
    publish_url = reverse("assessment_publish", args=[scheme.pk])
    assert client.post(publish_url).status_code == 302
    assert Publication.objects.get(scheme=scheme).version == 1
    make_project(county.bureau, county.other_town)
    page = client.get(url).content.decode()
    assert "已发布第1版" in page and "发布记录" in page and "更正说明（必填）" in page
    assert "15.00" in page  # 乙镇 as published
    live = client.get(url + "?live=1").content.decode()
    assert "22.00" in live  # 乙镇 with its new project, not published
    # a correction without a reason is refused with a message, nothing published
    refused = client.post(publish_url, follow=True).content.decode()
    assert "须填写更正说明" in refused
    assert Publication.objects.filter(scheme=scheme).count() == 1
    client.post(publish_url, {"reason": "乙镇补录项目"})
    assert Publication.objects.filter(scheme=scheme).count() == 2
    first = client.get(url + "?version=1").content.decode()
    assert "已发布第1版" in first
    latest = json.loads(client.get(url + "?format=json").content)
    assert {u["unit"]: u["total"] for u in latest["units"]}["乙镇"] == "22.00"
    assert client.get(url + "?version=9").status_code == 404


def test_published_result_is_read_by_the_assessed_units_only(city, client_for):
    county = city.county
    scheme, _bing, _ding = published_form(county)
    url = reverse("assessment_result", args=[scheme.pk])
    assert client_for(county.reporter).get(url).status_code == 404  # a draft: the bureau's and leaders'
    client_for(county.bureau).post(reverse("assessment_publish", args=[scheme.pk]))
    assert client_for(county.reporter).get(url).status_code == 200  # 甲镇 is assessed: 公示
    assert client_for(county.reporter).get(url + "?live=1").content.decode().count("已发布第1版") == 1
    assert client_for(city.city_leader).get(url).status_code == 200
    for user in (city.n_bureau, city.n_leader, city.n_reporter):
        assert client_for(user).get(url).status_code == 404
    assert (
        client_for(city.n_bureau).post(reverse("assessment_publish", args=[scheme.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert Publication.objects.count() == 1
