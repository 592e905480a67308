"""表彰: proposing 先进单位 from a published result, the bureau's additions and removals, 先进个人 nominations and
their scope, 定稿, and the 表彰决定 docx read back."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from tests.honours.helpers import YEAR, published, town_rows, unit_row
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.audit.models import AuditEntry
from zhaoshang.honours import services
from zhaoshang.honours.models import HonoursRound, NominationStatus, RoundStatus

pytestmark = pytest.mark.django_db


def _round(county, **values) -> HonoursRound:
    return services.round_create(actor=county.bureau, publication=published(county), values=values)


def _listed(honours):
    return {u.unit_name for u in honours.units.filter(removed=False)}


def test_it_proposes_the_top_n_of_each_group_with_every_unit_tied_at_the_cut_off(county, client_for):
    honours = _round(county, top_n=2, group_top_n={"园区组": 1})
    services.round_propose(actor=county.bureau, honours=honours)
    # 乡镇组 N=2: 甲镇 1st, 乙镇 and 丙镇 tied 2nd → three; 丁镇 out. 园区组 N=1: 甲镇工业园 alone.
    assert _listed(honours) == {"甲镇", "乙镇", "丙镇", "甲镇工业园"}
    tied = {u.unit_name for u in honours.units.filter(tied=True)}
    assert tied == {"乙镇", "丙镇"}
    assert honours.units.get(unit_name="丙镇").unit.name == "丙镇"
    assert honours.units.get(unit_name="丙镇").total == Decimal("90.00")
    page = client_for(county.bureau).get(reverse("honours_detail", args=[honours.pk])).content.decode()
    assert "乡镇组名额2个，因第2名并列，列入3个单位" in page
    entry = AuditEntry.objects.get(action="honours.proposed")
    assert entry.data["units"] == ["甲镇", "乙镇", "丙镇", "甲镇工业园"]


def test_it_proposes_every_unit_at_or_above_the_score_line(county):
    honours = _round(county, rule="score", min_score=Decimal("90"))
    services.round_propose(actor=county.bureau, honours=honours)
    assert _listed(honours) == {"甲镇", "乙镇", "丙镇"}  # 90.00 ≥ 90; 88.50 and 85.00 are below


def test_a_score_rule_needs_its_line(county):
    with pytest.raises(ValidationError):
        _round(county, rule="score")


def test_the_bureau_removes_and_adds_units_with_a_reason_audited(county, client_for):
    honours = _round(county, top_n=1)
    services.round_propose(actor=county.bureau, honours=honours)
    assert _listed(honours) == {"甲镇", "甲镇工业园"}
    client = client_for(county.bureau)
    removed = honours.units.get(unit_name="甲镇工业园")
    response = client.post(reverse("honours_unit_remove", args=[removed.pk]), {"reason": ""})
    assert _listed(honours) == {"甲镇", "甲镇工业园"}  # no reason, nothing changed
    response = client.post(reverse("honours_unit_remove", args=[removed.pk]), {"reason": "发生安全生产事故"})
    assert response.status_code == 302
    response = client.post(
        reverse("honours_unit_add", args=[honours.pk]), {"unit_name": "丁镇", "reason": "专项工作突出"}
    )
    assert _listed(honours) == {"甲镇", "丁镇"}
    added = honours.units.get(unit_name="丁镇")
    assert (added.origin, added.total, added.rank, added.reason) == ("added", Decimal("85.00"), 4, "专项工作突出")
    gone = AuditEntry.objects.get(action="honours.unit_removed")
    assert gone.data == {"unit": "甲镇工业园", "reason": "发生安全生产事故"}
    assert AuditEntry.objects.get(action="honours.unit_added").data == {"unit": "丁镇", "reason": "专项工作突出"}
    with pytest.raises(ValidationError):
        services.unit_add(actor=county.bureau, honours=honours, unit_name="不存在镇", reason="x")
    with pytest.raises(PermissionDenied):
        services.unit_remove(actor=county.leader, honoured=added, reason="x")


def _nominate(actor, honours, unit, name="张三"):
    values = {"unit": unit, "name": name, "position": "党委副书记", "deeds": "引进项目3个，总投资5亿元。"}
    return services.nomination_add(actor=actor, honours=honours, values=values, projects=[])


def test_a_township_nominates_for_itself_only_and_the_bureau_for_any_unit(county, client_for):
    honours = _round(county)
    _nominate(county.reporter, honours, county.town)
    with pytest.raises(PermissionDenied):
        _nominate(county.reporter, honours, county.other_town)
    _nominate(county.bureau, honours, county.other_town, name="李四")
    # the page offers a township its own unit only; posting another's is refused with a message, nothing saved
    client = client_for(county.reporter)
    url = reverse("honours_nominate", args=[honours.pk])
    data = {"unit": county.other_town.pk, "name": "王五", "position": "镇长", "deeds": "事迹", "project_codes": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and "王五" not in {n.name for n in honours.nominations.all()}
    data = {**data, "unit": county.town.pk, "project_codes": f"{county.project.code}，XM-NONE"}
    assert "找不到项目编号：XM-NONE" in client.post(url, data).content.decode()
    data["project_codes"] = county.project.code
    assert client.post(url, data).status_code == 302
    wang = honours.nominations.get(name="王五")
    assert list(wang.projects.all()) == [county.project]
    assert client_for(county.leader).get(url).status_code == 403
    # before 定稿 a township sees only its own nominations and no units
    page = client.get(reverse("honours_detail", args=[honours.pk])).content.decode()
    assert "张三" in page and "李四" not in page and "先进单位</h2>" not in page
    assert AuditEntry.objects.filter(action="honours.nominated").count() == 3


def test_the_bureau_decides_and_finalising_freezes_the_round(county, client_for):
    honours = _round(county, top_n=1)
    services.round_propose(actor=county.bureau, honours=honours)
    zhang = _nominate(county.reporter, honours, county.town)
    li = _nominate(county.outsider, honours, county.other_town, name="李四")
    with pytest.raises(ValidationError):
        services.round_finalize(actor=county.bureau, honours=honours)  # two not yet decided
    client = client_for(county.bureau)
    client.post(reverse("honours_decide", args=[zhang.pk]), {"status": "approved", "note": ""})
    client.post(reverse("honours_decide", args=[li.pk]), {"status": "rejected", "note": ""})  # needs a note
    li.refresh_from_db()
    assert li.status == NominationStatus.NOMINATED
    client.post(reverse("honours_decide", args=[li.pk]), {"status": "rejected", "note": "事迹材料不全"})
    li.refresh_from_db()
    assert (li.status, li.note) == (NominationStatus.REJECTED, "事迹材料不全")
    assert client.post(reverse("honours_finalize", args=[honours.pk])).status_code == 302
    honours.refresh_from_db()
    assert honours.status == RoundStatus.FINAL
    with pytest.raises(ValidationError):
        _nominate(county.reporter, honours, county.town, name="晚到")
    with pytest.raises(ValidationError):
        services.round_propose(actor=county.bureau, honours=honours)
    with pytest.raises(ValidationError):
        services.unit_remove(actor=county.bureau, honoured=honours.units.first(), reason="x")
    assert AuditEntry.objects.filter(action="honours.finalized").exists()
    # once 已定稿 the townships see the decision: the units, the persons passed (and their own)
    page = client_for(county.reporter).get(reverse("honours_detail", args=[honours.pk])).content.decode()
    assert "甲镇工业园" in page and "张三" in page and "李四" not in page
    other = client_for(county.outsider).get(reverse("honours_detail", args=[honours.pk])).content.decode()
    assert "李四" in other  # its own, with the outcome


def test_a_correction_is_flagged_and_re_proposing_takes_it(county, client_for):
    honours = _round(county, top_n=1)
    services.round_propose(actor=county.bureau, honours=honours)
    rows = town_rows()
    rows[3] = unit_row("丁镇", "乡镇组", "99.00", 1)
    published(county, rows=rows, version=2, scheme=honours.publication.scheme)
    page = client_for(county.bureau).get(reverse("honours_detail", args=[honours.pk])).content.decode()
    assert "考核结果已有更正版本（第2版" in page
    services.round_propose(actor=county.bureau, honours=honours)
    honours.refresh_from_db()
    assert honours.publication.version == 2
    assert _listed(honours) == {"丁镇", "甲镇工业园"}


def test_another_county_gets_404(county, city, client_for):
    honours = _round(county)
    url = reverse("honours_detail", args=[honours.pk])
    for user in (city.n_bureau, city.n_leader, city.n_reporter):
        assert client_for(user).get(url).status_code == 404
        assert honours.title not in client_for(user).get(reverse("honours_list")).content.decode()
    assert (
        client_for(city.n_bureau).get(f"{reverse('honours_new')}?publication={honours.publication_id}").status_code
        == 404
    )
    assert client_for(city.city_leader).get(url).status_code == 200


def test_the_decision_docx_reads_back(county, client_for):
    honours = _round(county, top_n=2, group_honours={"园区组": "先进园区"})
    services.round_propose(actor=county.bureau, honours=honours)
    zhang = _nominate(county.reporter, honours, county.town)
    services.nomination_decide(actor=county.bureau, nomination=zhang, status="approved")
    response = client_for(county.bureau).get(reverse("honours_detail", args=[honours.pk]) + "?format=docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert f"关于表彰{YEAR}年度" in text and "先进单位和先进个人的决定" in text
    assert "一、先进单位（5个）" in text
    assert "（一）乡镇组招商引资先进单位（3个）：甲镇、乙镇、丙镇。" in text
    assert "（二）先进园区（2个）：甲镇工业园、乙园。" in text
    assert "二、先进个人（1名）" in text
    assert "张三　甲镇党委副书记" in text
    assert "测试县招商引资工作领导小组办公室" in text  # 署名 from the issuing office's defaults
    xlsx = client_for(county.bureau).get(reverse("honours_detail", args=[honours.pk]) + "?format=xlsx")
    sheets = read_cells(content(xlsx))
    units = [[c.value if c else None for c in row] for row in rows(sheets["先进单位"])]
    assert units[0][:4] == ["考核组", "单位", "总分", "组内名次"]
    assert units[1][:4] == ["乡镇组", "甲镇", 96.0, 1.0]
    persons = [[c.value if c else None for c in row] for row in rows(sheets["先进个人"])]
    assert persons[1][:3] == ["甲镇", "张三", "党委副书记"]


def test_the_list_counts_in_its_query_whatever_the_number_of_rounds(county, client_for):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    first = _round(county, top_n=2)
    services.round_propose(actor=county.bureau, honours=first)
    services.unit_remove(actor=county.bureau, honoured=first.units.get(unit_name="丙镇"), reason="核实后调整")
    client = client_for(county.bureau)
    url = reverse("honours_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    # 乡镇组's first two (甲镇; 乙镇 and 丙镇 tied) and 园区组's two (甲镇工业园, 乙园), less 丙镇 removed
    assert "先进单位 4 个" in page
    publication = first.publication
    for title in ("第二轮", "第三轮"):
        services.round_create(actor=county.bureau, publication=publication, values={"title": title})
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)
