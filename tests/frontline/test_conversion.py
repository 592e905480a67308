"""转化率: registered, judged 有效 and signed per unit, team and source for a period, recomputed here from the rows
one by one; scoped (a town sees its own rows, the bureau its county, a neighbouring county nothing); the xlsx
export says the same."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.conversion import conversion
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import project_change_stage

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 1, 1), date(2026, 6, 1)


def _lead(actor, unit, n, *, registered_on, source="自主对接", team=None, valid=False, signed=False):
    profile, _ = services.lead_register(
        actor=actor,
        project_values={
            "name": f"转化率项目{n}",
            "investor": f"转化率投资{n}有限公司",
            "responsible_unit": unit,
            "team": team,
        },
        lead_values={"registered_on": registered_on, "source": source},
    )
    # The register's 研判 is another part's page; here the row is set as that page would leave it.
    if valid:
        LeadProfile.objects.filter(pk=profile.pk).update(judgement="有效", judged_on=registered_on)
    if signed:
        project_change_stage(actor=actor, project=profile.project, to_stage="在谈", on_date=today())
        project_change_stage(
            actor=actor, project=profile.project, to_stage="签约", on_date=today(), contract_amount=Decimal(1000)
        )
        # signed within the period (first_signed_month is what the count reads)
        Project.objects.filter(pk=profile.pk).update(first_signed_month=date(2026, 5, 1))
    return profile


@pytest.fixture
def leads(county):
    b, town, other = county.bureau, county.town, county.other_town
    rows = [
        _lead(b, town, 1, registered_on=date(2026, 2, 3), team=county.team, valid=True, signed=True),
        _lead(b, town, 2, registered_on=date(2026, 3, 3), source="以商招商", team=county.team, valid=True),
        _lead(b, town, 3, registered_on=date(2026, 4, 3), source="以商招商"),
        _lead(b, county.town_park, 4, registered_on=date(2026, 5, 3), valid=True, signed=True),
        _lead(b, other, 5, registered_on=date(2026, 6, 30), source="中介机构", valid=True),
        _lead(b, other, 6, registered_on=date(2026, 7, 1), valid=True, signed=True),  # after the period
        _lead(b, other, 7, registered_on=date(2025, 12, 31), valid=True),  # before it
    ]
    return rows


def _expected(profiles, key):
    """The rows recomputed one lead at a time, without the grouped query."""
    found = {}
    for p in profiles:
        project = Project.objects.get(pk=p.pk)
        lead = LeadProfile.objects.get(pk=p.pk)
        if not FIRST <= lead.registered_on <= date(2026, 6, 30):
            continue
        row = found.setdefault(key(project, lead), [0, 0, 0])
        row[0] += 1
        if lead.judgement == "有效":
            row[1] += 1
            if project.first_signed_month and project.first_signed_month <= LAST:
                row[2] += 1
    return found


def _got(rows):
    return {r.name: [r.registered, r.valid, r.signed] for r in rows}


def test_the_bureau_sees_every_unit_team_and_source(county, leads):
    result = conversion(county.bureau, FIRST, LAST)
    assert _got(result.units) == _expected(leads, lambda p, lead: p.responsible_unit.name)
    assert _got(result.teams) == _expected(leads, lambda p, lead: p.team.name if p.team else "未明确小分队")
    assert _got(result.sources) == _expected(leads, lambda p, lead: lead.source)
    assert _got(result.units) == {"甲镇": [3, 2, 1], "甲镇工业园": [1, 1, 1], "乙镇": [1, 1, 0]}
    assert [result.total.registered, result.total.valid, result.total.signed] == [5, 4, 2]
    assert result.total.valid_rate_text == "80.0%" and result.total.signed_rate_text == "50.0%"
    town = next(r for r in result.units if r.name == "甲镇")
    assert town.valid_rate == Decimal(2) / Decimal(3) and town.valid_rate_text == "66.7%"
    assert result.period_label == "2026年1-6月"


def test_a_town_sees_its_own_rows_only(county, leads):
    assert set(_got(conversion(county.reporter, FIRST, LAST).units)) == {"甲镇", "甲镇工业园"}
    assert set(_got(conversion(county.outsider, FIRST, LAST).units)) == {"乙镇"}


def test_a_neighbouring_county_sees_nothing(city, client_for):
    county = city.county
    _lead(county.bureau, county.town, 1, registered_on=date(2026, 2, 3), valid=True)
    assert conversion(city.n_bureau, FIRST, LAST).units == []
    body = client_for(city.n_bureau).get(reverse("lead_conversion"), {"from": "2026-01", "to": "2026-06"})
    assert "甲镇" not in body.content.decode()


def test_the_page_and_its_export(county, leads, client_for):
    client = client_for(county.bureau)
    body = client.get(reverse("lead_conversion"), {"from": "2026-01", "to": "2026-06"}).content.decode()
    assert "线索转化率 · 2026年1-6月" in body and "66.7%" in body
    response = client.get(reverse("lead_conversion"), {"from": "2026-01", "to": "2026-06", "format": "xlsx"})
    assert response.status_code == 200
    sheets = {
        name: [[None if c is None else (int(c.value) if c.is_number else c.value) for c in row] for row in rows(cells)]
        for name, cells in read_cells(content(response)).items()
    }
    assert list(sheets) == ["按单位", "按小分队", "按线索来源"]
    assert sheets["按单位"][0] == ["单位", "登记线索（条）", "研判有效（条）", "签约（个）", "有效率", "签约转化率"]
    assert ["甲镇", 3, 2, 1, "66.7%", "50.0%"] in sheets["按单位"]
    assert sheets["按单位"][-1] == ["合计", 5, 4, 2, "80.0%", "50.0%"]
    assert client.get(reverse("lead_conversion"), {"from": "2099-01"}).status_code == 404
