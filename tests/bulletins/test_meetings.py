"""The meeting rhythm: what falls due, and each meeting's material from the data."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import meetings
from zhaoshang.bulletins.models import ObservationPick
from zhaoshang.core.periods import today
from zhaoshang.projects import figures, services
from zhaoshang.reporting.services import unit_month_confirm

pytestmark = pytest.mark.django_db
Y = today().year - 1  # a finished year: every month of it is in the past


@pytest.mark.parametrize(
    "month, due",
    [
        (1, ["review"]),
        (2, ["dispatch"]),
        (3, ["review", "summary"]),
        (6, ["dispatch", "summary", "observation"]),
        (9, ["review", "summary"]),
        (12, ["dispatch", "summary", "observation"]),
    ],
)
def test_it_knows_which_meetings_fall_due(month, due):
    assert meetings.meetings_due(date(Y, month, 1)) == due


def test_the_review_names_units_behind_and_units_not_reported(county):
    from zhaoshang.progress import services as progress_services

    progress_services.targets_save(actor=county.bureau, year=Y, cells={(county.town, "domestic_signed_count"): 12})
    unit_month_confirm(actor=county.unit_head, unit=county.town, month=date(Y, 5, 1))
    material = meetings.review(county.root, date(Y, 5, 1))
    behind = next(t for t in material.tables if t.title == "低于序时进度的单位")
    assert ["签约内资项目", "甲镇"] == behind.rows[0].values[:2]  # 0 of 12 by May: 41.7 points behind
    assert behind.rows[0].light == "red"
    text = "".join(material.paragraphs)
    assert "尚未上报的单位4个" in text and "乙镇" in text and "甲镇、" not in text


def test_the_dispatch_lists_late_starts_stalled_projects_and_key_projects_behind(county):
    month = date(Y, 9, 1)
    late = make_project(county.bureau, county.town, signed_on=date(Y, 2, 10), leader_in_charge="王县长")
    key = make_project(
        county.bureau, county.town, signed_on=date(Y, 1, 5), stage="开工", started_on=date(Y, 3, 1), key_level="市重点"
    )
    figures.annual_plan_set(actor=county.bureau, project=key, year=Y, amount=Decimal("1200"))
    figures.monthly_investment_set(actor=county.bureau, project=key, month=date(Y, 3, 1), amount=Decimal("100"))
    moving = make_project(county.bureau, county.town, signed_on=date(Y, 6, 1))
    services.project_change_stage(actor=county.bureau, project=moving, to_stage="注册", on_date=date(Y, 8, 20))
    material = meetings.dispatch(county.root, month)
    key_table, late_table, stalled_table, problems_table = material.tables[:4]
    assert problems_table.title == "待协调解决的问题" and problems_table.rows == []
    assert key_table.rows[0].values[0].startswith(key.code) and key_table.rows[0].light == "red"
    late_row = next(r for r in late_table.rows if r.values[0].startswith(late.code))
    assert late_row.values[2] == "王县长" and late_row.values[4] == "5" and late_row.light == "red"  # due May
    # signed in June: due to start within June–August, so one month late by the end of September
    moving_row = next(r for r in late_table.rows if r.values[0].startswith(moving.code))
    assert moving_row.values[4] == "1" and moving_row.light == "yellow"
    stalled = {r.values[0].split()[0] for r in stalled_table.rows}
    # started in March and no change since: listed, like the late one; the one registered in August is not
    assert stalled == {late.code, key.code}


def test_the_summary_compares_with_the_previous_quarter_and_last_year(county):
    make_project(county.bureau, county.town, signed_on=date(Y, 8, 1))
    make_project(county.bureau, county.town, signed_on=date(Y, 9, 1))
    make_project(county.bureau, county.town, signed_on=date(Y, 5, 1))
    material = meetings.summary(county.root, date(Y, 9, 1))
    row = next(r for r in material.tables[0].rows if r.values[0].startswith("签约内资项目"))
    assert row.values[1:] == ["2", "1", "100.0%", "0", "—"]  # no division by zero against an empty last year
    assert "三季度（7-9月），签约内资项目2个" in material.paragraphs[0]


def test_observation_offers_projects_a_third_done_and_not_shown_before(county, client_for):
    def key_project_started(signed_day, invested_in_march):
        """A 县重点 project of 甲镇 started in February, 3000 planned in all, with that much invested in March."""
        project = make_project(
            county.bureau,
            county.town,
            signed_on=date(Y, 1, signed_day),
            stage="开工",
            started_on=date(Y, 2, 1),
            key_level="县重点",
            planned_total=Decimal("3000"),
        )
        figures.monthly_investment_set(
            actor=county.bureau, project=project, month=date(Y, 3, 1), amount=Decimal(invested_in_march)
        )
        return project

    done = key_project_started(5, "1000")
    barely = key_project_started(6, "999.99")
    june = date(Y, 6, 1)
    assert [p.code for p in meetings.observation_candidates(county.root, june)] == [done.code]
    url = reverse("observation_picks") + f"?month={Y}-06"
    assert client_for(county.leader).post(url, {"project": [done.pk]}).status_code == 403
    client_for(county.bureau).post(url, {"project": [done.pk]})
    assert ObservationPick.objects.filter(project=done, month=june).exists()
    assert AuditEntry.objects.get(action="observation.picked").actor == county.bureau
    assert client_for(county.bureau).post(url, {"project": [barely.pk]}).status_code == 404  # not a candidate
    assert meetings.observation_candidates(county.root, date(Y, 12, 1)) == []  # shown in June: not again


@pytest.mark.parametrize("kind", ["review", "dispatch", "summary", "observation"])
def test_every_material_is_a_page_and_a_docx(county, client_for, kind):
    client = client_for(county.leader)
    page = client.get(reverse("meeting_material", args=[kind]), {"month": f"{Y}-06"})
    assert page.status_code == 200 and meetings.MEETING_TITLES[kind] in page.content.decode()
    response = client.get(reverse("meeting_material", args=[kind]), {"month": f"{Y}-06", "format": "docx"})
    document = Document(io.BytesIO(response.content))
    assert meetings.MEETING_TITLES[kind] in document.paragraphs[0].text
    assert client.get(reverse("meeting_material", args=["party"])).status_code == 404


def test_the_meetings_page_lists_what_falls_due(county, client_for):
    page = client_for(county.reporter).get(reverse("meeting_list"), {"month": f"{Y}-06"}).content.decode()
    due_part = page.split("应召开")[1].split("其他材料")[0]
    assert "双月调度" in due_part and "季度小结" in due_part and "半年观摩" in due_part and "单月点评" not in due_part


def test_the_dispatch_page_groups_its_lists_by_unit_with_counts(county, client_for):
    """A meeting goes unit by unit: counts per unit first, then each list folded (<details>) per 责任单位."""
    for n in range(3):
        make_project(county.bureau, county.town, signed_on=date(Y, 1, 10 + n))
    make_project(county.bureau, county.other_town, signed_on=date(Y, 2, 10))
    material = meetings.dispatch(county.root, date(Y, 9, 1))
    late = material.tables[1]
    per_unit = {unit: sum(1 for r in late.rows if r.values[1] == unit) for unit in ("甲镇", "乙镇")}
    assert per_unit["甲镇"] >= 3 and per_unit["乙镇"] >= 1

    response = client_for(county.leader).get(reverse("meeting_material", args=["dispatch"]), {"month": f"{Y}-09"})
    html = response.content.decode()
    # the overview: one row per unit with its count in each list, the unit with most first
    start = html.index("各单位调度事项")
    overview = html[start : html.index("</table>", start)]
    assert re.findall(r"<tr><td>([^<]+)</td>", overview)[0] == "甲镇"
    row = overview[overview.index("<tr><td>乙镇</td>") :]
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row[: row.index("</tr>")])]
    assert cells[0] == "乙镇" and cells[2] == str(per_unit["乙镇"])  # its late starts, in the second list's column
    # each list folded by unit, the unit's count on its line
    section = html[html.index(f"<h2>{late.title}") :]
    section = section[: section.index('<details class="card fold"')]
    assert f'<summary>甲镇 <span class="count">{per_unit["甲镇"]}项</span></summary>' in section
    assert f'<summary>乙镇 <span class="count">{per_unit["乙镇"]}项</span></summary>' in section
    assert section.index("<summary>甲镇") < section.index("<summary>乙镇")
