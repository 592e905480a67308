"""Every list a page, a document or a meeting's material shows is its worst N (发文设置's 清单列示条数, default 20),
with the count of the rest and a link to the whole list, which is in the Excel; the lists are cut in the database,
so a page or a document makes the same queries whatever the number of projects, and the Word file of a bulletin
with 10,000 key projects behind plan still has at most N rows in its table."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from tests.bulletins.test_gongwen import OFFICE
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import meetings, services
from zhaoshang.bulletins.models import IssuingOffice, ObservationPick
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.coordination import agenda
from zhaoshang.core.periods import add_months, current_month, format_month, schedule_rate
from zhaoshang.progress.behind import Behind, key_projects_behind, worst_behind
from zhaoshang.progress.rules import completion_rate, gap_pp
from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment, Project

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
JAN = date(LAST.year, 1, 1)
BEHIND_TITLE = "进度滞后的重点项目"


def key_projects(unit, n: int, *, start: int = 0, done=lambda i: Decimal(i % 50), plan=lambda i: Decimal(1000 + i)):
    """n key projects of `unit` started last year, each with the year's plan and its 完成投资 in January, written
    in bulk (the figures' totals are not needed by the lists). By default every one is behind: at most 49 of 1000+."""
    projects = Project.objects.bulk_create(
        Project(
            code=f"K{start + i:05d}",
            name=f"重点项目{start + i}",
            responsible_unit=unit,
            stage="开工",
            signed_on=date(LAST.year - 1, 3, 1),
            started_on=date(LAST.year - 1, 6, 1),
            key_level="市重点",
            leader_in_charge="王县长",
            planned_total=Decimal(3000),
        )
        for i in range(n)
    )
    AnnualPlan.objects.bulk_create(
        AnnualPlan(project=p, year=LAST.year, amount=plan(start + i)) for i, p in enumerate(projects)
    )
    MonthlyInvestment.objects.bulk_create(
        MonthlyInvestment(project=p, month=JAN, amount=done(start + i))
        for i, p in enumerate(projects)
        if done(start + i)
    )
    return projects


def set_limit(county, limit: int):
    services.office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "list_limit": limit})


def section(page: str, title: str) -> str:
    """The page's card (or fold) whose heading starts with `title`, up to the next one."""
    start = page.index(f"<h2>{title}")
    ends = [i for i in (page.find("<section", start), page.find('<details class="card', start)) if i > 0]
    return page[start : min(ends) if ends else len(page)]


def body_rows(html: str) -> int:
    return len(re.findall(r"<tr>", html.split("<tbody>", 1)[1])) if "<tbody>" in html else 0


def sheet_rows(content: bytes, name: str) -> list:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python()[2:]


# ----- the list in the database -----
def test_the_worst_n_and_the_count_agree_with_the_rules_computed_row_by_row(county):
    schedule = schedule_rate(LAST.month)
    key_projects(county.town, 30)
    # exactly on 序时 (done = plan × 序时 to the cent): not behind, as gap_pp says; ahead: not behind
    key_projects(county.town, 1, start=100, plan=lambda i: Decimal(1200), done=lambda i: Decimal(100 * LAST.month))
    key_projects(county.town, 1, start=101, plan=lambda i: Decimal(100), done=lambda i: Decimal(100))
    ordinary = key_projects(county.town, 1, start=102)[0]
    Project.objects.filter(pk=ordinary.pk).update(key_level="")  # not a key project
    key_projects(county.other_town, 3, start=200)

    expected = []
    for plan in AnnualPlan.objects.select_related("project").exclude(project__key_level=""):
        done = sum((m.amount for m in MonthlyInvestment.objects.filter(project=plan.project)), Decimal(0))
        gap = gap_pp(completion_rate(done, plan.amount), schedule)
        if gap < 0:
            expected.append((gap, plan.project.code))
    expected = [code for _, code in sorted(expected)]

    whole = key_projects_behind(county.root, LAST, schedule)
    assert [r["code"] for r in whole] == expected and len(expected) == 33
    worst = worst_behind(county.root, LAST, schedule, 5)
    assert [r["code"] for r in worst.rows] == expected[:5] and worst.total == 33
    assert worst.rows == whole[:5]  # the same figures, exact to the cent
    town = worst_behind(county.town, LAST, schedule, 50)  # a subtree: its own only, fewer than N
    assert town.total == 30 and len(town.rows) == 30


def test_the_worst_n_and_the_count_are_one_query(county, django_assert_num_queries):
    """COUNT(*) OVER () carries the count of every plan behind on each of the N rows (it was a second query);
    with nothing behind, the one query finds no row and the count is 0. Run on PostgreSQL too (DATABASE_URL)."""
    schedule = schedule_rate(LAST.month)
    with django_assert_num_queries(1):
        assert worst_behind(county.root, LAST, schedule, 5) == Behind([], 0)
    key_projects(county.town, 12)
    with django_assert_num_queries(1):
        worst = worst_behind(county.root, LAST, schedule, 5)
    assert len(worst.rows) == 5 and worst.total == 12 == len(key_projects_behind(county.root, LAST, schedule))


@pytest.mark.parametrize("reader", ["worst_behind", "snapshot", "dispatch", "observation"])
def test_the_queries_do_not_grow_with_the_projects(county, reader, django_assert_max_num_queries):
    def read():
        if reader == "worst_behind":
            worst_behind(county.root, LAST, schedule_rate(LAST.month), 20)
        elif reader == "snapshot":
            build_snapshot(county.root, LAST)
        elif reader == "dispatch":
            meetings.dispatch(county.root, LAST)
        else:
            meetings.observation(county.root, LAST)

    # behind their year's plan (1000 of 100,000) and a third of their 3000 planned in all (观摩 candidates)
    many = {"plan": lambda i: Decimal(100_000), "done": lambda i: Decimal(1000 + i % 50)}
    key_projects(county.town, 25, **many)  # more than N: every list is cut and counted
    with CaptureQueriesContext(connection) as captured:
        read()
    key_projects(county.other_town, 500, start=1000, **many)
    with django_assert_max_num_queries(len(captured)):
        read()


# ----- the bulletin -----
def test_the_bulletin_page_shows_n_rows_counts_the_rest_and_links_the_whole_list(county, client_for):
    key_projects(county.town, 30)
    set_limit(county, 5)
    client = client_for(county.leader)
    query = {"month": format_month(LAST), "unit": county.root.pk}
    page = client.get(reverse("bulletin_draft"), query).content.decode()
    behind = section(page, BEHIND_TITLE)
    assert body_rows(behind) == 5
    assert "另有25个进度滞后的重点项目，详见附表（Excel）" in behind
    link = re.search(r'href="\?([^"]*format=xlsx)"', behind).group(1).replace("&amp;", "&")
    response = client.get(reverse("bulletin_draft") + "?" + link)
    assert response.status_code == 200
    assert len(sheet_rows(response.content, BEHIND_TITLE)) == 30  # the Excel holds them all

    snapshot = client.get(reverse("bulletin_draft"), {**query, "format": "json"}).json()
    assert len(snapshot["key_projects_behind"]) == 5 and snapshot["key_projects_behind_total"] == 30
    assert snapshot["list_limit"] == 5


def test_a_short_list_says_nothing_more(county, client_for):
    key_projects(county.town, 3)
    page = client_for(county.leader).get(reverse("bulletin_draft"), {"month": format_month(LAST)}).content.decode()
    behind = section(page, BEHIND_TITLE)
    assert body_rows(behind) == 3 and "另有" not in behind


def test_the_docx_of_a_bulletin_with_10000_key_projects_behind_has_at_most_n_rows(county, client_for):
    key_projects(county.town, 10_000)
    services.office_save(actor=county.bureau, unit=county.root, values=OFFICE)
    with CaptureQueriesContext(connection):
        bulletin = services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST)
    assert len(bulletin.snapshot["key_projects_behind"]) == 20
    assert bulletin.snapshot["key_projects_behind_total"] == 10_000
    assert len(bulletin.annex_rows["key_projects_behind"]) == 10_000  # frozen whole for the Excel

    client = client_for(county.leader)
    url = reverse("bulletin_issued", args=[bulletin.pk])
    document = Document(io.BytesIO(client.get(url, {"format": "docx"}).content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "项目编号")
    assert len(table.rows) == 1 + 20
    assert table.rows[1].cells[0].text == "K00000"  # the worst: nothing done
    assert "另有9980个进度滞后的重点项目，详见附表（Excel）" in [p.text for p in document.paragraphs]
    page = client.get(url).content.decode()
    assert body_rows(section(page, BEHIND_TITLE)) == 20
    assert len(sheet_rows(client.get(url, {"format": "xlsx"}).content, BEHIND_TITLE)) == 10_000


def test_a_bulletin_issued_before_the_lists_were_cut_still_shows_n(county, client_for):
    """An older snapshot holds its list whole and no count: the page and the Word file show the first N of it."""
    from zhaoshang.bulletins.tables import behind_table

    row = {"name": "项目", "unit": "甲镇", "level": "市重点", "leader": "", "plan": "100", "done": "1"}
    row |= {"completion_rate": "0.01", "schedule_gap_pp": "-50", "light": "red"}
    rows = [{**row, "code": f"X{i}"} for i in range(30)]
    spec = behind_table({"key_projects_behind": rows})
    assert len(spec.rows) == 20 and spec.rest == 10
    assert len(behind_table({"key_projects_behind": rows}, whole=True).rows) == 30


# ----- the meetings -----
def test_the_dispatch_material_cuts_each_list_to_n_with_the_count_and_the_whole_in_excel(county, client_for):
    key_projects(county.town, 12)
    for n in range(9):  # signed long ago, never started: late
        Project.objects.create(
            code=f"L{n:03d}", name=f"迟迟未开工{n}", responsible_unit=county.town, stage="签约",
            signed_on=date(LAST.year - 1, 1, 1 + n),
        )  # fmt: skip
    set_limit(county, 5)
    material = meetings.dispatch(county.root, LAST)
    behind = next(t for t in material.tables if t.title == BEHIND_TITLE)
    assert len(behind.rows) == 5 and behind.total == 12 and behind.rest_words == "另有7个项目，详见附表（Excel）"
    late = next(t for t in material.tables if "未开工" in t.title)
    assert len(late.rows) == 5 and late.total >= 9
    assert "以上项目各列最突出的前5个" in "".join(material.paragraphs)

    client = client_for(county.leader)
    query = {"month": format_month(LAST), "unit": county.root.pk}
    page = client.get(reverse("meeting_material", args=["dispatch"]), query).content.decode()
    assert "（前5个，共12个）" in page and "另有7个项目，详见附表（Excel）" in page
    assert "format=xlsx" in page
    workbook = client.get(reverse("meeting_material", args=["dispatch"]), {**query, "format": "xlsx"}).content
    assert len(sheet_rows(workbook, BEHIND_TITLE)) == 12
    document = Document(
        io.BytesIO(client.get(reverse("meeting_material", args=["dispatch"]), {**query, "format": "docx"}).content)
    )
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "项目" and "级别" in t.rows[0].cells[2].text)
    assert len(table.rows) == 1 + 5


def test_the_overdue_approval_steps_are_counted_in_all_beyond_the_agendas_bound(county, monkeypatch):
    """A city has more overdue steps than the agenda takes up (LIST_LIMIT, here 6): the material counts them all
    (it said 500 of the city's 604)."""
    monkeypatch.setattr(agenda, "LIST_LIMIT", 6)
    for n in range(7):
        ApprovalStep.objects.create(project=county.project, name=f"手续{n}", planned_on=date(LAST.year, LAST.month, 1))
    set_limit(county, 5)
    material = meetings.dispatch(county.root, LAST)
    steps = next(t for t in material.tables if t.title == "逾期未办结的前期手续")
    assert len(steps.rows) == 5 and steps.total == 7 and steps.rest_words == "另有2项，详见附表（Excel）"
    assert "逾期未办结的前期手续7项" in material.paragraphs[0]
    assert len(agenda.dispatch_agenda(county.root, LAST).approvals) == 6  # the agenda itself keeps its bound


def test_observation_offers_n_candidates_the_months_picks_first(county, client_for):
    # done 1000..1024 of 3000: all candidates, the furthest along last in code order
    projects = key_projects(county.town, 25, done=lambda i: Decimal(1000 + i))
    set_limit(county, 5)
    month = date(LAST.year, 6, 1) if LAST.month >= 6 else LAST
    slow = projects[0]  # the least along: not among the first 5 on its own
    ObservationPick.objects.create(project=slow, month=month, picked_by=county.bureau)
    shortlist = meetings.observation_shortlist(county.root, month, 5)
    assert shortlist.total == 25 and len(shortlist.projects) == 5
    assert shortlist.projects[0] == slow
    assert [p.code for p in shortlist.projects[1:]] == ["K00024", "K00023", "K00022", "K00021"]

    client = client_for(county.bureau)
    query = f"?month={format_month(month)}&unit={county.root.pk}"
    page = client.get(reverse("meeting_material", args=["observation"]) + query).content.decode()
    assert "符合观摩条件的项目25个" in page and "另有20个符合条件的项目" in page
    assert page.count('name="project"') == 5
    url = reverse("observation_picks") + query
    # unticking the month's pick and ticking one offered: both saved; one not offered on the page is refused
    assert client.post(url, {"project": [projects[24].pk]}).status_code == 302
    assert set(ObservationPick.objects.filter(month=month).values_list("project_id", flat=True)) == {projects[24].pk}
    assert client.post(url, {"project": [projects[1].pk]}).status_code == 404
    assert AuditEntry.objects.filter(action="observation.unpicked").count() == 1


def test_the_bureau_pages_and_searches_every_observation_candidate_not_only_the_first_n(county, client_for):
    """The picker offers all 25 candidates five at a time (the office's N), SQL-ordered, and finds one by its code
    or name; a pick saved from page 3 or from a search touches only what that page offered (before, only the
    first N could be picked: anything else was refused)."""
    projects = key_projects(county.town, 25, done=lambda i: Decimal(1000 + i))  # K00024 furthest along
    set_limit(county, 5)
    month = date(LAST.year, 6, 1) if LAST.month >= 6 else LAST
    client = client_for(county.bureau)
    query = {"month": format_month(month), "unit": county.root.pk}
    material = reverse("meeting_material", args=["observation"])

    def offered(**params):
        page = client.get(material, {**query, **params}).context["picker"]
        return [p.code for p in page.object_list], page

    seen = []
    for number in range(1, 6):
        codes, page = offered(cand_page=number)
        assert len(codes) == 5 and page.paginator.count == 25
        seen += codes
    assert seen == [f"K{n:05d}" for n in range(24, -1, -1)]  # every candidate once, furthest along first
    assert offered(cand_q="K00003")[0] == ["K00003"] and offered(cand_q="重点项目1")[1].paginator.count == 11
    body = client.get(material, {**query, "cand_page": 3}).content.decode()
    assert "第 3 / 5 页" in body and "cand_page=4" in body and body.count('name="project"') == 5

    picks = reverse("observation_picks")
    address = f"{picks}?month={query['month']}&unit={county.root.pk}"
    slow = projects[0]  # K00000, last of all: only on page 5
    response = client.post(f"{address}&cand_page=5", {"project": [slow.pk]})
    assert response.status_code == 302 and "cand_page=5" in response["Location"]
    found = client.post(f"{address}&cand_q=K00002", {"project": [projects[2].pk]})
    assert found.status_code == 302
    assert set(ObservationPick.objects.filter(month=month).values_list("project", flat=True)) == {
        slow.pk,
        projects[2].pk,
    }
    # a project the posted page did not offer is still refused
    assert client.post(f"{address}&cand_q=K00002", {"project": [projects[3].pk]}).status_code == 404
    assert offered()[0][:2] == ["K00002", "K00000"]  # the month's picks first, furthest along first


# ----- the setting -----
def test_the_bureau_sets_n_at_the_office_settings_within_bounds(county, client_for):
    client = client_for(county.bureau)
    url = reverse("bulletin_office") + f"?unit={county.root.pk}"
    assert 'name="list_limit" value="20"' in client.get(url).content.decode()
    assert client.post(url, {**OFFICE, "list_limit": "30"}).status_code == 302
    assert IssuingOffice.objects.get(unit=county.root).list_limit == 30
    assert AuditEntry.objects.filter(action="bulletin.office_saved").last().data["list_limit"] == [None, 30]
    for wrong in ("4", "201"):
        page = client.post(url, {**OFFICE, "list_limit": wrong}).content.decode()
        assert "清单列示条数应为5到200之间的整数" in page
    assert IssuingOffice.objects.get(unit=county.root).list_limit == 30
