"""The trips, receptions and follow-ups pages, through the real views and services: entry from the page, scope
(siblings, the neighbouring county), closed months and bad input said on the page, counting by departure date,
the leads picker, fixed query counts, and the Excel read back."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import month_start, today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import FollowUp, Reception, Trip

pytestmark = pytest.mark.django_db

LAST_YEAR = today().year - 1


def trip_post(unit, **over):
    day = today() - timedelta(days=2)
    data = {
        "unit": unit.pk,
        "departs_on": day.isoformat(),
        "returns_on": day.isoformat(),
        "destination": "深圳",
        "leader": "王五",
        "leader_category": "部门乡镇负责人",
        "people": "3",
        "visited": "甲科技有限公司\n乙材料有限公司",
        "visited_count": "",
        "outcome": "达成初步意向",
        "lead_codes": "",
    }
    return {**data, **over}


def make_trip(actor, unit, departs, returns, *, people=1, visited_count=0, category="工作人员", destination="上海"):
    return services.trip_save(
        actor=actor,
        values={
            "unit": unit,
            "departs_on": departs,
            "returns_on": returns,
            "destination": destination,
            "leader": "李四",
            "leader_category": category,
            "people": people,
            "visited_count": visited_count,
        },
    )


def lead(county, actor, unit, name="新能源电池项目"):
    values = {"name": name, "investor": f"{name}投资有限公司", "responsible_unit": unit}
    profile, _ = services.lead_register(actor=actor, project_values=values, lead_values={"source": "自主对接"})
    return profile.project


def test_a_reporter_enters_a_trip_from_the_page_with_its_leads(county, client_for):
    mine = lead(county, county.reporter, county.town)
    client = client_for(county.reporter)
    response = client.post(reverse("trip_create"), trip_post(county.town, lead_codes=f" {mine.code}，"))
    assert response.status_code == 302, response.content.decode()[:2000]
    trip = Trip.objects.get()
    assert trip.visited_count == 2 and list(trip.leads.all()) == [mine] and trip.author == county.reporter
    entry = AuditEntry.objects.get(action="trip.created")
    assert entry.actor == county.reporter and entry.data["leads"] == [[], [mine.code]]
    page = client.get(reverse("trip_detail", args=[trip.pk])).content.decode()
    assert "甲科技有限公司" in page and mine.name in page and "6 人天" not in page and "合 3 人天" in page


def test_a_lead_of_another_unit_cannot_be_linked_nor_found(county, client_for):
    theirs = lead(county, county.outsider, county.other_town, name="乙镇的线索")
    mine = lead(county, county.reporter, county.town, name="甲镇的线索")
    client = client_for(county.reporter)
    response = client.post(reverse("trip_create"), trip_post(county.town, lead_codes=f"{mine.code}\n{theirs.code}"))
    assert response.status_code == 200
    assert f"以下编号不是您可查看的招商线索：{theirs.code}" in response.content.decode()
    assert not Trip.objects.exists()
    found = client.get(reverse("trip_lead_search"), {"q": "线索"}).json()["results"]
    assert [r["code"] for r in found] == [mine.code]
    # a project that is no lead (no register entry) is not offered either
    assert client.get(reverse("trip_lead_search"), {"q": county.project.code}).json()["results"] == []


def test_bad_input_is_said_on_the_page_and_nothing_is_written(county, client_for):
    client = client_for(county.reporter)
    day = today() - timedelta(days=2)
    response = client.post(
        reverse("trip_create"),
        trip_post(county.town, returns_on=(day - timedelta(days=1)).isoformat(), people="0", visited_count="1"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "参加人数不能小于1" in body
    response = client.post(
        reverse("trip_create"), trip_post(county.town, returns_on=(day - timedelta(days=1)).isoformat())
    )
    body = response.content.decode()
    assert "返回日期不能早于出发日期" in body
    response = client.post(reverse("trip_create"), trip_post(county.town, visited_count="1"))
    assert "拜访企业数不能少于列出的企业（2家）" in response.content.decode()
    response = client.post(reverse("reception_create"), {"unit": county.town.pk, "on_date": "2026-13-45"})
    body = response.content.decode()
    assert "请填写来访企业" in body and "日期不是有效日期" in body
    assert not Trip.objects.exists() and not Reception.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["trip.created", "reception.created"]).exists()


def test_a_closed_month_is_refused_on_the_page_with_a_clear_message(county, client_for):
    last_month = month_start(month_start(today()) - timedelta(days=1))
    month_close(actor=county.bureau, unit=county.root, month=last_month)
    client = client_for(county.reporter)
    day = last_month.isoformat()
    response = client.post(reverse("trip_create"), trip_post(county.town, departs_on=day, returns_on=day))
    assert response.status_code == 200
    assert f"{last_month.year}年{last_month.month}月已关账" in response.content.decode()
    assert not Trip.objects.exists()
    project = county.project
    response = client.post(
        reverse("followup_create", args=[project.pk]), {"on_date": day, "way": "电话", "content": "电话沟通"}
    )
    assert response.status_code == 200 and "已关账" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_trip_counts_in_the_month_it_departs(county, client_for):
    make_trip(
        county.reporter,
        county.town,
        date(LAST_YEAR, 1, 31),
        date(LAST_YEAR, 2, 2),
        people=4,
        visited_count=5,
        category="党政主要负责同志",
    )
    make_trip(county.reporter, county.town, date(LAST_YEAR, 2, 1), date(LAST_YEAR, 2, 1), people=2, visited_count=1)
    client = client_for(county.bureau)

    def totals(start, end):
        response = client.get(
            reverse("trip_list"), {"start": f"{LAST_YEAR}-{start:02d}", "end": f"{LAST_YEAR}-{end:02d}"}
        )
        return response.context["totals"]

    january = totals(1, 1)
    assert (january.trips, january.main_leader, january.person_days, january.visits) == (1, 1, 12, 5)
    february = totals(2, 2)
    assert (february.trips, february.main_leader, february.person_days, february.visits) == (1, 0, 2, 1)
    both = totals(1, 2)
    assert (both.trips, both.person_days, both.visits) == (2, 14, 6)
    response = client.get(reverse("trip_list"), {"start": f"{LAST_YEAR}-03", "end": f"{LAST_YEAR}-02"})
    assert "截止月份不能早于起始月份" in response.content.decode() and response.context["totals"].trips == 0


def test_each_unit_sees_its_own_trips_and_receptions_only(city, client_for):
    county = city.county
    mine = make_trip(county.reporter, county.town, today(), today(), destination="甲镇去的深圳")
    theirs = make_trip(county.outsider, county.other_town, today(), today(), destination="乙镇去的杭州")
    services.reception_save(
        actor=county.reporter, values={"unit": county.town, "on_date": today(), "company": "甲接待"}
    )

    def listed(user, name):
        return {row.pk for row in client_for(user).get(reverse(name)).context["page"]}

    assert listed(county.reporter, "trip_list") == {mine.pk}
    assert listed(county.outsider, "trip_list") == {theirs.pk}
    assert listed(county.bureau, "trip_list") == {mine.pk, theirs.pk}
    assert listed(city.n_bureau, "trip_list") == set() and listed(city.n_bureau, "reception_list") == set()
    assert client_for(county.outsider).get(reverse("trip_detail", args=[mine.pk])).status_code == 404
    assert client_for(city.n_bureau).get(reverse("trip_detail", args=[mine.pk])).status_code == 404
    # filtering by another unit's id shows nothing more
    response = client_for(county.reporter).get(reverse("trip_list"), {"unit": county.other_town.pk})
    assert "乙镇去的杭州" not in response.content.decode()


def test_a_team_and_a_liaison_office_enter_their_own_trips(county, client_for):
    from tests.factories import make_unit, make_user
    from zhaoshang.org.models import Role

    office = make_unit("驻深圳招商联络处", "驻外联络处", county.root)
    clerk = make_user("liaison", office, Role.REPORTER)
    form = client_for(clerk).get(reverse("trip_create")).context["form"]
    assert list(form.fields["unit"].queryset) == [office]
    bureau_units = set(client_for(county.bureau).get(reverse("trip_create")).context["form"].fields["unit"].queryset)
    assert {county.team, office} <= bureau_units


def test_the_project_page_shows_the_timeline_and_lights_a_missed_next_step(county, client_for):
    project = county.project
    old = services.followup_add(
        actor=county.reporter,
        project=project,
        values={
            "on_date": today() - timedelta(days=20),
            "content": "首次电话",
            "next_step": "实地考察",
            "next_step_on": today() - timedelta(days=10),
        },
    )
    client = client_for(county.reporter)
    page = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "首次电话" in page and "已过期未跟进" in page and reverse("followup_create", args=[project.pk]) in page
    response = client.post(
        reverse("followup_create", args=[project.pk]),
        {"on_date": today().isoformat(), "way": "拜访", "content": "实地考察完成", "next_step": "", "next_step_on": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("#followups")
    page = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "已过期未跟进" not in page
    assert page.index("实地考察完成") < page.index("首次电话")  # newest first
    assert FollowUp.objects.get(pk=old.pk).content == "首次电话"
    leader_page = client_for(county.leader).get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "首次电话" in leader_page and "保存跟进记录" not in leader_page


def test_a_followup_is_changed_by_its_author_or_the_bureau(county, client_for):
    followup = services.followup_add(
        actor=county.reporter, project=county.project, values={"on_date": today(), "content": "电话沟通"}
    )
    data = {"on_date": today().isoformat(), "way": "视频", "content": "视频会议", "next_step": "", "next_step_on": ""}
    assert client_for(county.unit_head).post(reverse("followup_edit", args=[followup.pk]), data).status_code == 403
    assert client_for(county.outsider).post(reverse("followup_edit", args=[followup.pk]), data).status_code == 404
    assert client_for(county.reporter).post(reverse("followup_edit", args=[followup.pk]), data).status_code == 302
    assert FollowUp.objects.get(pk=followup.pk).way == "视频"
    assert AuditEntry.objects.get(action="followup.updated").data["content"] == ["电话沟通", "视频会议"]
    assert client_for(county.bureau).post(reverse("followup_delete", args=[followup.pk])).status_code == 302
    assert not FollowUp.objects.exists() and AuditEntry.objects.filter(action="followup.deleted").exists()


def test_a_followup_in_a_closed_month_cannot_be_deleted(county, client_for):
    last_month = month_start(month_start(today()) - timedelta(days=1))
    followup = services.followup_add(
        actor=county.reporter, project=county.project, values={"on_date": last_month, "content": "电话沟通"}
    )
    month_close(actor=county.bureau, unit=county.root, month=last_month)
    response = client_for(county.reporter).post(reverse("followup_delete", args=[followup.pk]), follow=True)
    assert "已关账" in response.content.decode()
    assert FollowUp.objects.filter(pk=followup.pk).exists()
    assert not AuditEntry.objects.filter(action="followup.deleted").exists()


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["trip_list", "reception_list", "followup_list"])
def test_the_lists_make_a_fixed_number_of_queries(county, client_for, name):
    mine = lead(county, county.reporter, county.town)
    client = client_for(county.leader)

    def add(n):
        for i in range(n):
            trip = make_trip(county.reporter, county.town, today(), today())
            trip.leads.add(mine)
            reception = services.reception_save(
                actor=county.reporter, values={"unit": county.town, "on_date": today(), "company": f"企业{i}"}
            )
            reception.leads.add(mine)
            services.followup_add(
                actor=county.reporter, project=mine, values={"on_date": today(), "content": f"跟进{i}"}
            )

    add(2)
    few = _queries(client, reverse(name), {"q": ""})
    add(25)
    assert _queries(client, reverse(name), {"q": ""}) == few


def test_the_trip_export_reads_back_with_text_escaped(county, client_for):
    mine = lead(county, county.reporter, county.town)
    trip = make_trip(
        county.reporter,
        county.town,
        date(LAST_YEAR, 1, 31),
        date(LAST_YEAR, 2, 2),
        people=2,
        destination='=HYPERLINK("x")',
    )
    trip.leads.add(mine)
    make_trip(county.outsider, county.other_town, today(), today(), destination="乙镇去的杭州")
    response = client_for(county.reporter).get(reverse("trip_list"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = read_cells(content(response))["外出招商"]
    table = [[cell.value if cell else None for cell in row] for row in rows(sheet)]
    assert table[0][:4] == ["单位", "出发日期", "返回日期", "天数"]
    assert len(table) == 2  # 乙镇's trip is not the reporter's to read
    row = dict(zip(table[0], table[1], strict=False))
    assert row["目的地"] == '\'=HYPERLINK("x")' and row["天数"] == 3 and row["人天"] == 6
    assert row["形成的线索"] == mine.code and row["单位"] == "甲镇"
