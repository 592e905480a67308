"""The project forms help the one filling them in: the next project number proposed, the only unit preselected,
a refused stage change shown again with what was typed."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import make_project
from zhaoshang.projects.codes import propose_code
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_it_proposes_the_next_free_number_of_the_year(county, client_for):
    assert propose_code() == f"XM{YEAR}0001"  # the fixture's projects are numbered otherwise
    for code in (f"XM{YEAR}0009", f"XM{YEAR}0041", f"XM{YEAR}-ABC", f"XM{YEAR - 1}0099"):
        make_project(county.bureau, county.town, code=code)
    page = client_for(county.reporter).get(reverse("project_create")).content.decode()
    assert f'name="code" value="XM{YEAR}0042"' in page
    # Numbers of other units count too: the number is unique in the whole install.
    make_project(county.bureau, county.other_town, code=f"XM{YEAR}0042")
    assert propose_code() == f"XM{YEAR}0043"
    assert propose_code(YEAR - 1) == f"XM{YEAR - 1}0100"


def test_the_proposed_number_can_be_kept_or_changed(county, client_for):
    client = client_for(county.reporter)
    data = {"name": "新材料项目", "funding_type": "内资", "responsible_unit": county.town.pk, "stage": "在谈"}
    client.post(reverse("project_create"), {**data, "code": propose_code()})
    client.post(reverse("project_create"), {**data, "name": "另一个项目", "code": "甲镇-2026-7"})
    assert set(Project.objects.filter(name__in=["新材料项目", "另一个项目"]).values_list("code", flat=True)) == {
        f"XM{YEAR}0001",
        "甲镇-2026-7",
    }


def test_a_number_taken_meanwhile_is_refused_with_the_next_free_one(county, client_for):
    client = client_for(county.reporter)
    taken = propose_code()
    make_project(county.bureau, county.other_town, code=taken)  # someone else saved first
    data = {"code": taken, "name": "新项目", "funding_type": "内资", "responsible_unit": county.town.pk}
    response = client.post(reverse("project_create"), {**data, "stage": "在谈"})
    assert response.status_code == 200
    assert f"项目编号 {taken} 已被使用，请换一个编号（下一个可用的是 XM{YEAR}0002）" in response.content.decode()


def test_the_only_unit_a_reporter_has_is_preselected(county, client_for):
    page = client_for(county.reporter).get(reverse("project_create")).content.decode()
    assert _selected(page, "responsible_unit") == [str(county.town.pk)]
    assert "---------" not in page
    bureau_page = client_for(county.bureau).get(reverse("project_create")).content.decode()
    assert _selected(bureau_page, "responsible_unit") == [""]  # several units: the bureau chooses
    assert "请选择责任单位" in bureau_page


def test_the_only_project_a_reporter_may_raise_a_problem_for_is_preselected(county, client_for):
    page = client_for(county.reporter).get(reverse("problem_create")).content.decode()
    assert _selected(page, "project") == [str(county.project.pk)]


def test_a_refused_stage_change_keeps_what_was_typed(county, client_for):
    typed = (date.today() - timedelta(days=3)).isoformat()
    response = client_for(county.reporter).post(
        reverse("project_stage", args=[county.project.pk]), {"to_stage": "终止", "on_date": typed, "reason": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "终止项目须填写原因" in page
    assert f'name="on_date" value="{typed}"' in page
    assert re.search(r'<option value="终止"[^>]*selected', page)
    county.project.refresh_from_db()
    assert county.project.stage == "签约"
