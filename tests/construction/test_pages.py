"""Who sees which steps, and who may change what on a project's approvals page."""

import re

import pytest
from django.urls import reverse

from tests.construction.conftest import days_ago
from tests.factories import make_project, make_unit
from zhaoshang.audit.models import AuditEntry
from zhaoshang.construction import services
from zhaoshang.construction.models import ApprovalStep

pytestmark = pytest.mark.django_db


def page_url(project):
    return reverse("project_approvals", args=[project.pk])


def form_data(response):
    """What the browser would post back: every field of the page's forms as rendered."""
    data = {}
    forms = [row["form"] for row in response.context["rows"]]
    if response.context["new_form"]:
        forms.append(response.context["new_form"])
    for form in forms:
        for field in form:
            value = field.value()
            if field.name == "delete":
                continue
            data[field.html_name] = "" if value is None else getattr(value, "isoformat", lambda v=value: v)()
            if field.field.show_hidden_initial:  # the hidden copy of what the page showed
                data[field.html_initial_name] = data[field.html_name]
    return data


def save_page(client, project, changes):
    """Loads the project's approvals page and posts it back as shown, with changes: the answer to the post."""
    data = form_data(client.get(page_url(project))) | changes
    return client.post(page_url(project), data)


def test_it_shows_a_department_the_steps_assigned_to_it_and_no_other(county, housing, steps):
    seen = set(ApprovalStep.objects.readable_by(county.dept_user).values_list("name", flat=True))
    assert seen == {"用地预审", "土地出让", "规划许可"}  # 自然资源局's, on a project of 甲镇 it cannot read
    assert set(ApprovalStep.objects.readable_by(housing.reporter).values_list("name", flat=True)) == {"施工许可"}
    assert ApprovalStep.objects.readable_by(county.reporter).count() == 7
    assert ApprovalStep.objects.readable_by(county.leader).count() == 7
    assert not ApprovalStep.objects.readable_by(county.outsider).exists()
    assert not ApprovalStep.objects.readable_by(county.auditor).exists()


def test_it_answers_the_outsider_404_on_another_towns_project(county, client_for, steps):
    client = client_for(county.outsider)
    assert client.get(page_url(county.project)).status_code == 404
    assert client.post(page_url(county.project), {"init": "1"}).status_code == 404
    assert client.get(page_url(county.other_project)).status_code == 200  # its own town's


def test_it_answers_the_leader_403_on_every_write(county, client_for, steps):
    client = client_for(county.leader)
    assert client.get(page_url(county.project)).status_code == 403
    step = steps["环评"]
    response = client.post(page_url(county.project), {f"s{step.pk}-name": "环评", f"s{step.pk}-filed_on": "2026-01-01"})
    assert response.status_code == 403
    assert client.post(page_url(county.park_project), {"init": "1"}).status_code == 403
    assert not ApprovalStep.objects.exclude(filed_on=None).exists()
    assert not ApprovalStep.objects.filter(project=county.park_project).exists()
    # …and reads them on the project's page
    body = client.get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "前期手续" in body and "用地预审" in body and page_url(county.project) not in body


def test_it_generates_the_standard_steps_from_the_page(county, client_for):
    client = client_for(county.reporter)
    assert "生成标准步骤" in client.get(page_url(county.project)).content.decode()
    response = client.post(page_url(county.project), {"init": "1"})
    assert response.status_code == 302 and response["Location"] == page_url(county.project)
    assert ApprovalStep.objects.filter(project=county.project).count() == 7
    assert AuditEntry.objects.filter(action="approval.created", actor=county.reporter).count() == 7


def test_it_saves_the_whole_page_and_adds_a_custom_step(county, client_for, housing, steps):
    land, permit = steps["用地预审"], steps["施工许可"]
    changes = {
        f"s{land.pk}-planned_on": days_ago(40).isoformat(),
        f"s{land.pk}-filed_on": days_ago(60).isoformat(),
        f"s{permit.pk}-department": "",
        f"s{steps['能评'].pk}-delete": "on",
        "new-name": "消防设计审查",
        "new-department": str(housing.pk),
        "new-sort_order": "65",
    }
    response = save_page(client_for(county.reporter), county.project, changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    land.refresh_from_db()
    assert land.light == "red" and land.days_overdue == 40
    assert ApprovalStep.objects.get(pk=permit.pk).department is None
    names = list(ApprovalStep.objects.filter(project=county.project).values_list("name", flat=True))
    assert names == ["立项/备案", "用地预审", "环评", "土地出让", "规划许可", "消防设计审查", "施工许可"]
    actions = sorted(AuditEntry.objects.filter(action__startswith="approval.").values_list("action", flat=True))
    assert actions.count("approval.updated") == 2 and actions.count("approval.deleted") == 1
    assert actions.count("approval.created") == 7 + 1


def test_it_shows_every_error_and_saves_nothing(county, client_for, steps):
    land, review = steps["用地预审"], steps["环评"]
    changes = {
        f"s{land.pk}-filed_on": days_ago(3).isoformat(),
        f"s{land.pk}-done_on": days_ago(5).isoformat(),
        f"s{review.pk}-filed_on": days_ago(9).isoformat(),  # valid, but not saved alone
        "new-name": "环评",
    }
    response = save_page(client_for(county.reporter), county.project, changes)
    assert response.status_code == 200
    body = response.content.decode()
    assert "办结日期不能早于申报日期" in body and "本项目已有“环评”" in body and "本次未保存任何修改" in body
    assert not ApprovalStep.objects.exclude(filed_on=None).exists()


def test_it_lets_a_department_set_done_on_its_step_but_not_touch_another(county, client_for, housing, steps):
    client = client_for(county.dept_user)  # 自然资源局
    response = client.get(page_url(county.project))  # a project of 甲镇 it cannot otherwise read
    assert response.status_code == 200
    shown = [row["step"].name for row in response.context["rows"]]
    assert shown == ["用地预审", "土地出让", "规划许可"]
    body = response.content.decode()
    assert "施工许可" not in body and f'href="{reverse("project_detail", args=[county.project.pk])}"' not in body
    assert client.get(reverse("project_detail", args=[county.project.pk])).status_code == 404

    land, permit = steps["用地预审"], steps["施工许可"]
    data = form_data(response) | {
        f"s{land.pk}-filed_on": days_ago(12).isoformat(),
        f"s{land.pk}-done_on": days_ago(2).isoformat(),
        f"s{land.pk}-planned_on": days_ago(1).isoformat(),  # not a field it has: ignored
        f"s{permit.pk}-filed_on": days_ago(2).isoformat(),  # not its step: ignored
    }
    assert client.post(page_url(county.project), data).status_code == 302
    land.refresh_from_db()
    assert (land.done_on, land.days_taken, land.planned_on) == (days_ago(2), 10, None)
    assert ApprovalStep.objects.get(pk=permit.pk).filed_on is None
    entry = AuditEntry.objects.get(action="approval.updated")
    assert entry.actor == county.dept_user and set(entry.data) == {"filed_on", "done_on"}
    # and may not generate, add or delete
    assert client.post(page_url(county.project), {"init": "1"}).status_code == 403


def test_it_answers_404_to_a_department_with_no_step_on_the_project(county, client_for, housing, steps):
    services.approval_step_save(actor=county.bureau, step=steps["施工许可"], values={"department": None})
    assert client_for(housing.reporter).get(page_url(county.project)).status_code == 404
    assert client_for(county.dept_user).get(page_url(county.park_project)).status_code == 404


def test_it_shows_the_steps_on_the_project_page_in_one_query(county, client_for, steps):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(county.reporter)
    project = make_project(county.bureau, county.town)
    with CaptureQueriesContext(connection) as without_steps:
        client.get(reverse("project_detail", args=[project.pk]))
    services.approval_steps_init(actor=county.reporter, project=project)
    with CaptureQueriesContext(connection) as with_steps:
        body = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "施工许可" in body and page_url(project) in body
    assert len(with_steps.captured_queries) == len(without_steps.captured_queries)


def test_the_steps_page_makes_as_many_queries_for_nine_steps_as_for_two(county, client_for, housing, steps):
    """Each row's 办理部门 drop-down is built from one list of the county's departments, not a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(county.reporter)
    project = make_project(county.bureau, county.town)
    for name in ("消防设计审查", "水土保持方案"):
        services.approval_step_create(actor=county.reporter, project=project, values={"name": name})
    with CaptureQueriesContext(connection) as two:
        client.get(page_url(project))
    services.approval_steps_init(actor=county.reporter, project=project)
    with CaptureQueriesContext(connection) as nine:
        body = client.get(page_url(project)).content.decode()
    assert body.count(f'value="{housing.pk}"') >= 10  # every row (and the new one) offers 住建局
    assert len(nine.captured_queries) == len(two.captured_queries)


def test_a_save_keeps_the_dates_a_department_recorded_after_the_page_was_loaded(county, client_for, steps):
    client = client_for(county.reporter)
    data = form_data(client.get(page_url(county.project)))  # the page as the unit loaded it: nothing filed
    land = steps["用地预审"]  # 自然资源局's step
    services.approval_step_save(actor=county.dept_user, step=land, values={"filed_on": days_ago(2)})
    data[f"s{steps['环评'].pk}-note"] = "已催办"
    assert client.post(page_url(county.project), data).status_code == 302
    land.refresh_from_db()
    assert land.filed_on == days_ago(2)  # not put back to the blank the page showed
    assert ApprovalStep.objects.get(pk=steps["环评"].pk).note == "已催办"


def test_a_blank_order_keeps_the_step_in_place(county, client_for, steps):
    client = client_for(county.reporter)
    data = form_data(client.get(page_url(county.project)))
    land = steps["用地预审"]
    data[f"s{land.pk}-sort_order"] = ""
    assert client.post(page_url(county.project), data).status_code == 302
    assert ApprovalStep.objects.get(pk=land.pk).sort_order == land.sort_order
    data[f"s{land.pk}-sort_order"] = "40000"
    response = client.post(page_url(county.project), data)
    assert response.status_code == 200 and "顺序应为0到999" in response.content.decode()


def posted_by_browser(html: str) -> dict:
    """What a browser submits from the page's text inputs and selects: a select posts its selected option, or
    its first when none is selected (so a current value missing from the options is lost)."""
    data = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body) or re.search(r'<option value="([^"]*)"', body)
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_saving_the_page_keeps_a_department_of_another_county_it_did_not_touch(county, client_for):
    """A step assigned before departments were limited to the project's own county keeps its department when the
    page is saved for another change; the drop-down shows it."""
    neighbour = make_unit("邻县", "县区")
    their_bureau = make_unit("邻县自然资源局", "部门", neighbour)
    step = ApprovalStep.objects.create(project=county.project, name="用地预审", sort_order=20, department=their_bureau)
    client = client_for(county.bureau)
    html = client.get(page_url(county.project)).content.decode()
    assert "邻县自然资源局" in html
    data = posted_by_browser(html)
    data[f"s{step.pk}-note"] = "已沟通"  # the only change made
    client.post(page_url(county.project), data)
    step.refresh_from_db()
    assert (step.note, step.department) == ("已沟通", their_bureau)
