"""M5: a project is credited only to a team of its own county (or city): a reporter could put its project on a
neighbouring county's team, whose lists showed every county's teams. A duplicate of another unit's project is
refused without naming it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import credit_code, default_signing_day
from tests.sheets.files import run_import, xlsx
from zhaoshang.projects import services
from zhaoshang.projects.exports import LEDGER_HEADERS
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_forms_offer_only_the_county_s_teams(city, client_for):
    c = city.county
    for url in (reverse("project_create"), reverse("project_edit", args=[c.project.pk]), reverse("project_list")):
        page = client_for(c.reporter).get(url).content.decode()
        assert "第一招商小分队" in page and "邻县招商小分队" not in page, url


def test_a_neighbouring_team_is_refused_by_the_page_the_service_and_the_import(city, client_for, tmp_path):
    c = city.county
    data = {
        "code": "XM-M5", "name": "跨县小分队项目", "investor": "某公司", "credit_code": credit_code(77001),
        "funding_type": "内资", "responsible_unit": c.town.pk, "team": city.n_team.pk, "leader_in_charge": "",
        "industry_chain": "", "stage": "签约", "signed_on": default_signing_day().isoformat(),
        "contract_amount": "100", "planned_total": "", "started_on": "", "production_on": "", "key_level": "",
    }  # fmt: skip
    response = client_for(c.reporter).post(reverse("project_create"), data)
    assert response.status_code == 200 and not Project.objects.filter(code="XM-M5").exists()
    with pytest.raises(ValidationError, match="本县"):
        services.project_update(actor=c.bureau, project=c.project, values={"team": city.n_team})
    row = [c.project.code, c.project.name, c.project.investor, c.project.credit_code, "内资", "甲镇", "邻县招商小分队",
           "", "", "签约", default_signing_day(), 5000, None, None, None, ""]  # fmt: skip
    with pytest.raises(CommandError, match="未写入任何数据"):
        run_import("projects", xlsx(tmp_path, [row], LEDGER_HEADERS), "--user", "reporter")
    c.project.refresh_from_db()
    assert c.project.team == c.team


def test_a_duplicate_of_another_county_s_project_is_refused_without_naming_it(city):
    n = city.n_project
    values = {
        "code": "XM-DUP", "name": n.name, "investor": "某公司", "credit_code": n.credit_code, "funding_type": "内资",
        "responsible_unit": city.county.town, "stage": "线索",
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.project_create(actor=city.county.reporter, values=values)
    text = " ".join(refused.value.messages)
    assert "其他单位已有项目" in text and n.code not in text
