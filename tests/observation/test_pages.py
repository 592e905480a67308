"""The pages: the bureau lays an event out, a judge scores on its phone pages and submits, the results read back
as a docx; a neighbouring county's bureau and a judge of another event get 404."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from tests.observation.helpers import make_event, score_all
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins.services import observation_pick
from zhaoshang.core.periods import current_month
from zhaoshang.observation.models import Event, Score, Status

pytestmark = pytest.mark.django_db


def test_the_bureau_lays_out_an_event_on_its_pages(county, client_for):
    client = client_for(county.bureau)
    response = client.post(reverse("observation_create"), {"name": "上半年观摩", "date": "2026-06-20", "year": "2026"})
    event = Event.objects.get(name="上半年观摩")
    assert response.status_code == 302 and event.owner == county.root
    change = reverse("observation_change", args=[event.pk])
    client.post(change, {"op": "criterion_add", "c-name": "项目建设进度", "c-full_marks": "40"})
    client.post(change, {"op": "criterion_add", "c-name": "现场管理", "c-full_marks": "60"})
    client.post(change, {"op": "judge_add", "j-user": county.leader.pk, "j-name": ""})
    client.post(change, {"op": "judge_add", "j-user": "", "j-name": "李评委"})
    observation_pick(actor=county.bureau, project=county.project, month=current_month(), picked=True)
    client.post(change, {"op": "picks_import", "month": current_month().isoformat()})
    client.post(change, {"op": "visit_add", "project": county.other_project.code})
    assert [v.project for v in event.visits.all()] == [county.project, county.other_project]
    client.post(change, {"op": "weights", f"weight-{event.visits.first().pk}": "2"})
    assert event.visits.first().weight == Decimal(2)
    client.post(change, {"op": "status", "status": "评分中"})
    event.refresh_from_db()
    assert event.status == Status.SCORING and event.judges.count() == 2
    page = client.get(reverse("observation_edit", args=[event.pk])).content.decode()
    assert "李评委" in page and "主管部门代录" in page
    response = client.post(change, {"op": "criterion_add", "c-name": "超额", "c-full_marks": "abc"})
    assert response.status_code == 400
    actions = set(AuditEntry.objects.filter(action__startswith="observation.").values_list("action", flat=True))
    assert {"observation.event_created", "observation.criterion_added", "observation.judge_added"} <= actions
    assert {"observation.picks_imported", "observation.visit_added", "observation.weight_set"} <= actions


def test_a_judge_scores_project_by_project_and_submits_then_the_sheet_is_read_only(county, client_for):
    event = make_event(county.bureau, [county.project, county.other_project], judges=[county.leader])
    client = client_for(county.leader)
    assert "2026年上半年项目观摩" in client.get(reverse("observation_judge")).content.decode()
    url = reverse("observation_score", args=[event.pk])
    criteria = list(event.criteria.all())
    first = client.get(url).content.decode()
    assert county.project.name in first and "甲镇" in first
    response = client.post(
        f"{url}?p=1", {f"c{c.pk}": v for c, v in zip(criteria, ["45", "10", "10", "10"], strict=True)}
    )
    assert response.status_code == 400 and "“项目建设进度”满分40.0分，不能超过满分" in response.content.decode()
    assert not Score.objects.exists()
    response = client.post(
        f"{url}?p=1", {f"c{c.pk}": v for c, v in zip(criteria, ["35", "18", "15.5", "17"], strict=True)}
    )
    assert response.status_code == 302 and response["Location"].endswith("?p=2")
    submit = reverse("observation_submit", args=[event.pk])
    assert "还有 1 个项目未评完" in client.get(submit).content.decode()
    client.post(f"{url}?p=2", {f"c{c.pk}": v for c, v in zip(criteria, ["30", "15", "15", "15"], strict=True)})
    assert client.post(submit).status_code == 302
    refused = client.post(f"{url}?p=2", {f"c{c.pk}": "1" for c in criteria})
    assert refused.status_code == 400 and "评分表已提交" in refused.content.decode()
    assert Score.objects.get(visit__project=county.other_project, criterion=criteria[0]).value == Decimal(30)
    # a user who judges nothing here, and the bureau, find no sheet
    assert client_for(county.bureau).get(url).status_code == 404
    assert client_for(county.reporter).get(url).status_code == 404


def test_the_result_page_and_the_docx_read_back(county, client_for):
    event = make_event(county.bureau, [county.project, county.other_project], names=["甲", "乙"])
    visits = list(event.visits.all())
    for judge, (a, b) in zip(
        event.judges.all(), [((40, 20, 20, 10), (30, 10, 10, 10)), ((30, 20, 20, 20), (30, 20, 10, 10))], strict=True
    ):
        score_all(county.bureau, judge, {visits[0]: a, visits[1]: b})
    client = client_for(county.leader)
    page = client.get(reverse("observation_result", args=[event.pk])).content.decode()
    assert "90.00" in page and "65.00" in page  # 甲镇 (90+90)/2, 乙镇 (60+70)/2
    response = client.get(reverse("observation_result", args=[event.pk]), {"format": "docx"})
    document = Document(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2026年上半年项目观摩评比结果的通报" in text
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["乡镇组", "1", "甲镇", "1", "90.00"] in rows and ["乡镇组", "2", "乙镇", "1", "65.00"] in rows
    # the towns see it only once it is over
    reporter = client_for(county.reporter)
    assert reporter.get(reverse("observation_result", args=[event.pk])).status_code == 404
    Event.objects.filter(pk=event.pk).update(status=Status.CLOSED)
    assert reporter.get(reverse("observation_result", args=[event.pk])).status_code == 200


def test_another_countys_bureau_gets_404(city, client_for):
    event = make_event(city.county.bureau, [city.county.project], names=["甲"])
    other = client_for(city.n_bureau)
    assert other.get(reverse("observation_edit", args=[event.pk])).status_code == 404
    assert other.get(reverse("observation_result", args=[event.pk])).status_code == 404
    assert (
        other.post(reverse("observation_change", args=[event.pk]), {"op": "status", "status": "已结束"}).status_code
        == 404
    )
    assert client_for(city.city_bureau).get(reverse("observation_edit", args=[event.pk])).status_code == 200


def test_the_xlsx_holds_the_units_and_each_judges_totals_as_text_that_is_never_a_formula(county, client_for):
    from tests.factories import make_project
    from tests.xlsx_cells import content, read_cells, rows

    odd = make_project(county.bureau, county.other_town, name="=HYPERLINK(1)")
    event = make_event(county.bureau, [county.project, odd], names=["甲"])
    visits = list(event.visits.all())
    score_all(county.bureau, event.judges.get(), {visits[0]: (40, 20, 20, 10), visits[1]: (30, 10, 10, 10.5)})
    response = client_for(county.bureau).get(reverse("observation_result", args=[event.pk]), {"format": "xlsx"})
    sheets = read_cells(content(response))
    units = [[c.value if c else None for c in row] for row in rows(sheets["单位得分"])]
    assert units[0] == ["考核组", "名次", "单位", "观摩项目数", "得分"]
    assert ["乡镇组", 1.0, "甲镇", 1.0, 90.0] in units and ["乡镇组", 2.0, "乙镇", 1.0, 60.5] in units
    projects = [[c.value if c else None for c in row] for row in rows(sheets["项目得分"])]
    assert projects[0] == ["序号", "项目编号", "项目名称", "责任单位", "甲合计", "项目得分"]
    assert projects[1][4:] == [90.0, 90.0] and projects[2][4:] == [60.5, 60.5]
    # a name that looks like a formula stays text (the export helpers' escape)
    assert projects[2][2] == "'=HYPERLINK(1)" and not rows(sheets["项目得分"])[2][2].is_number


def test_a_judge_of_another_event_finds_no_sheet_here_and_nothing_scores_before_scoring_opens(county, client_for):
    from zhaoshang.observation import services

    scored = make_event(county.bureau, [county.project], judges=[county.leader])
    other = make_event(county.bureau, [county.project], judges=[county.unit_head], name="另一次观摩")
    client = client_for(county.unit_head)
    assert client.get(reverse("observation_score", args=[scored.pk])).status_code == 404
    assert client.get(reverse("observation_score", args=[other.pk])).status_code == 200
    draft = services.event_create(
        actor=county.bureau, values={"name": "筹备中的观摩", "date": "2026-06-01", "year": 2026}
    )
    services.criterion_add(actor=county.bureau, event=draft, name="现场管理", full_marks=Decimal(100))
    services.visit_add(actor=county.bureau, event=draft, text=county.project.code)
    judge = services.judge_add(actor=county.bureau, event=draft, user=county.leader)
    response = client_for(county.leader).post(
        reverse("observation_score", args=[draft.pk]), {f"c{draft.criteria.get().pk}": "50"}
    )
    assert response.status_code == 400 and "观摩活动尚未开始评分" in response.content.decode()
    assert not Score.objects.filter(judge=judge).exists()


def test_the_edit_pages_changes_refuse_in_chinese_and_reopen_a_sheet(county, client_for):
    from zhaoshang.observation import services

    client = client_for(county.bureau)
    draft = services.event_create(actor=county.bureau, values={"name": "空的观摩", "date": "2026-06-01", "year": 2026})
    change = reverse("observation_change", args=[draft.pk])
    response = client.post(change, {"op": "status", "status": "评分中"}, follow=True)
    assert "开始评分前请先设置评分项目、评委、观摩项目" in response.content.decode()
    response = client.post(change, {"op": "visit_add", "project": "不存在的项目"}, follow=True)
    assert "本单位范围内没有编号或名称为“不存在的项目”的项目" in response.content.decode()

    event = make_event(county.bureau, [county.project, county.other_project], judges=[county.leader])
    change = reverse("observation_change", args=[event.pk])
    second = event.visits.get(project=county.other_project)
    client.post(change, {"op": "visit_move", "visit": second.pk, "dir": "up"})
    assert [v.project for v in event.visits.all()] == [county.other_project, county.project]
    judge = event.judges.get()
    score_all(county.leader, judge, {v: (40, 20, 20, 20) for v in event.visits.all()})
    response = client.post(change, {"op": "criterion_remove", "criterion": event.criteria.first().pk}, follow=True)
    assert "已有评委打分，不能再删除评分项目" in response.content.decode() and event.criteria.count() == 4
    client.post(change, {"op": "reopen", "judge": judge.pk, "reason": "分数录错"})
    judge.refresh_from_db()
    assert not judge.is_submitted
    client.post(change, {"op": "status", "status": "已结束"})
    event.refresh_from_db()
    assert event.status == Status.SCORING  # no submitted sheet: refused
    services.sheet_submit(actor=county.leader, judge=judge)
    client.post(change, {"op": "status", "status": "已结束"})
    event.refresh_from_db()
    assert event.status == Status.CLOSED
    response = client.post(change, {"op": "weights", f"weight-{second.pk}": "2"}, follow=True)
    assert "观摩活动“2026年上半年项目观摩”已结束，结果已冻结，不能再设置权重" in response.content.decode()
