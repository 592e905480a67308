"""Publishing freezes the result; a correction is the next version with its reason, audited; the score command
prints the latest published version; the files read back."""

import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from tests.assessment.helpers import YEAR, make_scheme, published_form
from tests.factories import make_project
from tests.xlsx_cells import read_cells, rows
from zhaoshang.assessment import outputs
from zhaoshang.assessment.models import InputValue, Scheme
from zhaoshang.assessment.scoring import score
from zhaoshang.assessment.services import publish
from zhaoshang.audit.models import AuditEntry


def _totals(result):
    return {u["unit"]: u["total"] for u in result["units"]}


def test_publish_freezes_and_a_correction_is_version_two(county):
    scheme, bing, _ding = published_form(county)
    first = publish(scheme, actor=county.bureau, source="page")
    assert first.version == 1
    assert _totals(first.result)["丙镇"] == "34.00"
    assert first.scheme_file["group"] == "乡镇组"
    assert [i["rule"] for i in first.scheme_file["items"]] == ["ratio_mix", "deduct", "ratio"]
    # a later ledger change and a changed input: the published JSON does not move
    make_project(county.bureau, county.other_town, contract_amount=D("5000"))
    InputValue.objects.filter(scheme=scheme, unit=bing, name="通报问题").update(value=D(0))
    first.refresh_from_db()
    assert _totals(first.result)["丙镇"] == "34.00"
    assert _totals(first.result)["乙镇"] == "15.00"
    # the live score moved: 乙镇 2 of 2 signed, 10000 of 5000 → 20 (capped 1.2 → (0.5+0.6)×20 = 22)
    assert _totals(score(scheme).as_json())["乙镇"] == "22.00"
    with pytest.raises(ValidationError) as refused:
        publish(scheme, actor=county.bureau, source="page")
    assert "更正说明" in refused.value.messages[0]
    second = publish(scheme, actor=county.bureau, reason="乙镇补录签约项目", source="page")
    assert second.version == 2 and second.reason == "乙镇补录签约项目"
    assert _totals(second.result)["乙镇"] == "22.00"
    actions = list(
        AuditEntry.objects.filter(action__startswith="assessment.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["assessment.published", "assessment.corrected"]
    corrected = AuditEntry.objects.get(action="assessment.corrected")
    assert corrected.data["reason"] == "乙镇补录签约项目" and corrected.unit_id == county.root.pk


def test_only_a_bureau_admin_of_the_owner_publishes(city):
    county = city.county
    scheme = make_scheme(county.root, units=[county.town], items=[("x", "10", "ratio", {"actual": 1, "target": 1})])
    for actor in (county.leader, county.reporter, city.n_bureau):
        with pytest.raises(PermissionDenied):
            publish(scheme, actor=actor, source="page")
    assert publish(scheme, actor=city.city_bureau, source="page").version == 1  # the city's bureau is above


def test_score_command_prints_json_and_the_published_version(county):
    scheme, _bing, _ding = published_form(county)
    out = io.StringIO()
    call_command("assessment", "score", "招商引资考核", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == score(scheme).as_json()
    assert set(printed) == {"scheme", "year", "units"}
    assert set(printed["units"][0]) == {"unit", "group", "total", "rank", "items"}
    call_command("assessment", "publish", "招商引资考核", "--year", str(YEAR), stdout=io.StringIO())
    assert AuditEntry.objects.get(action="assessment.published").source == "command"
    make_project(county.bureau, county.other_town)
    out = io.StringIO()
    call_command("assessment", "score", "招商引资考核", stdout=out)
    assert _totals(json.loads(out.getvalue()))["乙镇"] == "15.00"  # the published one, not the live one
    with pytest.raises(CommandError, match="更正说明"):
        call_command("assessment", "publish", "招商引资考核", stdout=io.StringIO())


def test_score_command_refuses_unknown_and_ambiguous(city):
    county = city.county
    with pytest.raises(CommandError, match="考核方案“无此方案”不存在"):
        call_command("assessment", "score", "无此方案", stdout=io.StringIO())
    make_scheme(county.root, name="同名", units=[county.town], items=[])

    Scheme.objects.create(owner=city.neighbour, name="同名", year=YEAR - 1, period=date(YEAR - 1, 12, 1))
    with pytest.raises(CommandError, match="请用 --year 指定年度"):
        call_command("assessment", "score", "同名", stdout=io.StringIO())
    out = io.StringIO()
    call_command("assessment", "score", "同名", "--year", str(YEAR), stdout=out)
    assert json.loads(out.getvalue())["units"][0]["unit"] == "甲镇"


def test_xlsx_and_docx_read_back(county, tmp_path):
    scheme, _bing, _ding = published_form(county)
    xlsx = tmp_path / "r.xlsx"
    call_command("assessment", "score", "招商引资考核", "--format", "xlsx", "--output", str(xlsx), stderr=io.StringIO())
    book = read_cells(xlsx.read_bytes())
    table = [[c.value if c else None for c in row] for row in rows(book["考核结果"])]
    assert table[0] == ["单位", "考核组", "签约", "问题扣分", "省外投资", "总分", "名次"]
    assert table[1] == ["丙镇", "乡镇组", 24, 0, 10, 34, 1]
    assert table[4][:2] == ["丁镇", "乡镇组"]
    details = [[c.value if c else None for c in row] for row in rows(book["计分明细"])]
    assert details[6][:5] == ["甲镇", "乡镇组", "省外投资", 9.6, "96%×10=9.60"]
    docx = tmp_path / "r.docx"
    call_command("assessment", "score", "招商引资考核", "--format", "docx", "--output", str(docx), stderr=io.StringIO())
    document = Document(docx)
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{YEAR}年招商引资考核结果公示" in text
    assert "公示期为5个工作日" in text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["名次", "单位", "签约", "问题扣分", "省外投资", "总分"]
    assert [c.text for c in table.rows[1].cells] == ["1", "丙镇", "24.00", "0.00", "10.00", "34.00"]
    assert [c.text for c in table.rows[4].cells][:2] == ["3", "丁镇"]
    assert outputs.title_of(score(scheme).as_json()) == f"{YEAR}年招商引资考核结果"
