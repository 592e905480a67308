"""The front line's eight figures (招商一线), entered through the services, against an independent recomputation
from the rows (tests/figures/recompute.py) and pinned by hand: trips across a month's end count in the month of
departure, a 3-day trip of 4 people is 12 人天, a lead registered in one month and judged valid in the next counts in
each month for its own figure, a team's leads are those credited to it, and a city's counties stay apart."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from tests.bulletins.test_gongwen import OFFICE
from tests.factories import make_unit
from tests.figures import recompute as rc
from tests.figures.product import read_product
from zhaoshang.bulletins import meetings
from zhaoshang.bulletins import services as services_office
from zhaoshang.bulletins.document import draft_issue
from zhaoshang.bulletins.docx_render import render_docx
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.bulletins.text import bulletin_text
from zhaoshang.bulletins.xlsx_render import render_xlsx
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.counts import Window, frontline_figures
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.org.models import Unit, User
from zhaoshang.progress.report import period_report
from zhaoshang.projects.models import StageChange
from zhaoshang.projects.services import project_change_stage

Y = today().year - 1  # a whole past year: every date may be entered


def d(month, day):
    return date(Y, month, day)


def trip(actor, unit, departs, returns, people, category="工作人员", visited=0, destination="深圳"):
    return services.trip_save(
        actor=actor,
        values={
            "unit": unit,
            "departs_on": departs,
            "returns_on": returns,
            "destination": destination,
            "leader": "张三",
            "leader_category": category,
            "people": people,
            "visited_count": visited,
        },
    )


def reception(actor, unit, on_date):
    return services.reception_save(actor=actor, values={"unit": unit, "on_date": on_date, "company": "某某集团"})


def lead(actor, unit, registered, name, team=None):
    values = {"name": name, "investor": f"{name}投资有限公司", "responsible_unit": unit}
    if team is not None:
        values["team"] = team
    profile, _ = services.lead_register(actor=actor, project_values=values, lead_values={"registered_on": registered})
    # Entered on its registration day, as it would have been: the creation row of a 线索 is dated by its entry,
    # and the later stage moves of this past year must not fall before it.
    StageChange.objects.filter(project=profile.project).update(changed_on=registered)
    return profile


def judge(profile, judgement, on):
    # The 研判 is entered on the lead's page (another part of this issue); its fields are set here as it sets them.
    LeadProfile.objects.filter(pk=profile.pk).update(judgement=judgement, judged_on=on, judgement_reason="经研判")


def sign(actor, profile, on):
    project_change_stage(actor=actor, project=profile.project, to_stage="在谈", on_date=on)
    project_change_stage(actor=actor, project=profile.project, to_stage="签约", on_date=on, contract_amount=3000)


@pytest.fixture
def front(county):
    """测试县's front line over the year Y, entered by its bureau."""
    c, bureau = county, county.bureau
    trip(bureau, c.town_park, d(3, 30), d(4, 1), 4, "党政主要负责同志", visited=3)  # 3 days × 4 = 12 人天, March
    trip(bureau, c.team, d(4, 10), d(4, 10), 2, visited=1)
    trip(bureau, c.other_town, d(3, 31), d(4, 2), 1, "其他县级领导")
    trip(bureau, c.town, d(12, 30), d(12, 31), 2)  # a trip at the year's end
    reception(bureau, c.town, d(4, 5))
    reception(bureau, c.team, d(3, 15))
    first = lead(bureau, c.town, d(3, 28), "新材料项目", team=c.team)
    judge(first, "有效", d(4, 2))  # registered in March, judged valid in April
    sign(bureau, first, d(5, 10))
    second = lead(bureau, c.other_town, d(4, 1), "光伏项目")
    judge(second, "不予跟进", d(4, 3))
    lead(bureau, c.town_park, d(6, 1), "食品项目")
    return county


def _figures(unit, month):
    report = period_report(unit, date(Y, month, 1))
    return report.figures[unit.pk]


def test_trips_count_in_the_month_of_departure_with_person_days(front):
    root = _figures(front.root, 3)
    assert root.month["trips_count"] == 2 and root.month["trips_main_leader_count"] == 1
    assert root.month["trip_person_days"] == 12 + 3 and root.month["visits_count"] == 3
    april = _figures(front.root, 4)
    assert april.month["trips_count"] == 1 and april.month["trip_person_days"] == 2
    assert april.ytd["trips_count"] == 3 and april.ytd["trip_person_days"] == 17 and april.ytd["visits_count"] == 4
    park = period_report(front.root, date(Y, 3, 1)).figures[front.town_park.pk]
    town = period_report(front.root, date(Y, 3, 1)).figures[front.town.pk]
    assert park.month["trip_person_days"] == 12 and town.month["trip_person_days"] == 12  # rolled up to 甲镇
    assert _figures(front.root, 12).month["trips_count"] == 1


def test_a_lead_counts_when_registered_when_judged_valid_and_when_signed(front):
    march, april, may = (_figures(front.root, m) for m in (3, 4, 5))
    assert (march.month["leads_count"], march.month["leads_valid_count"]) == (1, 0)
    assert (april.month["leads_count"], april.month["leads_valid_count"]) == (1, 1)
    assert may.month["leads_signed_count"] == 1 and may.ytd["leads_count"] == 2
    assert _figures(front.root, 6).ytd["leads_count"] == 3


def test_a_teams_lead_figures_are_those_credited_to_it_and_not_counted_twice(front):
    report = period_report(front.root, date(Y, 5, 1))
    team = report.figures[front.team.pk].ytd
    assert (team["leads_count"], team["leads_valid_count"], team["leads_signed_count"]) == (1, 1, 1)
    assert team["trips_count"] == 1 and team["receptions_count"] == 1
    root = report.figures[front.root.pk].ytd
    assert root["leads_count"] == 2 and root["receptions_count"] == 2  # the team's lead once, through 甲镇


def test_the_bulletin_json_holds_the_eight_codes(front):
    snapshot = build_snapshot(front.root, date(Y, 4, 1))
    assert snapshot["indicators"]["trips_count"]["ytd"] == 3
    assert snapshot["indicators"]["trips_count"]["month"] == 1
    town = next(u for u in snapshot["units"] if u["name"] == "甲镇")
    assert town["figures"]["trip_person_days"] == 12 and town["figures"]["leads_count"] == 1
    assert "trips_count" in town["targets"]


def test_a_city_counts_its_counties_apart(city):
    c = city.county
    trip(c.bureau, c.town, d(2, 1), d(2, 3), 2, "党政主要负责同志")
    trip(city.n_bureau, city.n_town, d(2, 27), d(3, 2), 3, "党政主要负责同志", visited=5)
    lead(city.n_bureau, city.n_town, d(2, 10), "邻县项目", team=city.n_team)
    report = period_report(city.root, date(Y, 2, 1))
    assert report.figures[city.root.pk].month["trips_count"] == 2
    assert report.figures[city.root.pk].month["trip_person_days"] == 6 + 12
    assert report.figures[c.root.pk].month["trip_person_days"] == 6
    assert report.figures[city.neighbour.pk].month["visits_count"] == 5
    assert report.figures[city.neighbour.pk].month["leads_count"] == 1
    assert report.figures[c.root.pk].month["leads_count"] == 0
    assert report.figures[city.n_team.pk].month["leads_count"] == 1
    own = period_report(c.root, date(Y, 2, 1))  # the county's own view: nothing of its neighbour
    assert own.figures[c.root.pk].month["trips_count"] == 1


def test_every_front_line_figure_agrees_with_the_recomputation(front, city):
    """Every unit, every month of the year, 本月 and 累计, targets and rankings included, from the city and each
    county, against tests/figures/recompute.py (which reads the rows and never the product's counting)."""
    c = city.county
    trip(city.n_bureau, city.n_town, d(7, 31), d(8, 2), 3, "党政主要负责同志", visited=5)
    reception(city.n_bureau, city.n_team, d(8, 8))
    lead(city.n_bureau, city.n_town, d(8, 9), "邻县项目", team=city.n_team)
    from zhaoshang.progress.services import targets_save

    targets_save(actor=None, year=Y, cells={(c.town, "trips_count"): 4, (c.other_town, "trips_count"): 2})
    views = [city.root, c.root, city.neighbour, c.town]
    comparison, codes = read_product(city.root, Y, views)
    assert set(rc.FRONTLINE_CODES) <= codes
    ledger = rc.load()
    result = rc.recompute(ledger, Y, views=[v.pk for v in views])
    mismatches = comparison.mismatches(result)
    assert not mismatches, "\n".join(str(m) for m in mismatches[:20])


def test_one_query_per_kind_whatever_the_units(front):
    units = list(Unit.objects.under(front.root))
    with CaptureQueriesContext(connection) as few:
        frontline_figures(units, Window(date(Y, 1, 1), date(Y, 6, 1), alone=date(Y, 6, 1)))
    make_unit("丙镇", "乡镇", front.root)
    units = list(Unit.objects.under(front.root))
    with CaptureQueriesContext(connection) as more:
        frontline_figures(units, Window(date(Y, 1, 1), date(Y, 6, 1), alone=date(Y, 6, 1)))
    assert len(few) == len(more) == 3


# ----------------------------------------------------------------- the bulletin


def _bulletin(unit, month):
    snapshot = build_snapshot(unit, date(Y, month, 1))
    snapshot["text"] = bulletin_text(snapshot)  # as the draft page and issuing put it
    return snapshot, snapshot["text"]


def test_the_bulletin_writes_the_teams_front_line_and_names_the_idle(front):
    make_unit("第二招商小分队", "招商小分队", front.root)
    make_unit("驻深圳联络处", "驻外联络处", front.root)
    snapshot, text = _bulletin(front.root, 6)
    assert (
        "上半年，全县2个招商小分队、1个驻外联络处外出招商3批次、拜访企业4家、接待客商2批次，新增有效线索1条；"
        "其中党政主要负责同志外出招商1批次。第二招商小分队、驻深圳联络处未开展外出招商。"
    ) in text
    assert "XX" not in text and "None" not in text
    docx = render_docx(title="通报", snapshot=snapshot, issue=draft_issue(front.root))
    document = Document(io.BytesIO(docx))
    assert any("外出招商3批次、拜访企业4家" in p.text for p in document.paragraphs)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "单位" and len(t.columns) == 9)
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "单位",
        "外出招商批次",
        "其中主要负责同志",
        "人天",
        "拜访企业",
        "接待客商",
        "新增线索",
        "有效线索",
        "签约转化",
    ]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert rows["甲镇"] == ["1", "1", "12", "3", "1", "2", "1", "1"]  # 甲镇工业园 is below it
    assert rows["第一招商小分队"] == ["1", "0", "2", "1", "1", "1", "1", "1"]  # its credited lead
    assert rows["合计"] == ["3", "1", "17", "4", "2", "3", "1", "1"]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(title="通报", snapshot=snapshot)))
    sheet = workbook.get_sheet_by_name("招商一线情况").to_python()
    assert sheet[1][:3] == ["单位", "外出招商批次", "其中主要负责同志"]
    assert sheet[-1][0] == "合计" and sheet[-1][3] == 17  # a number, not text


def test_a_quiet_period_is_said_plainly(county):
    _, text = _bulletin(county.root, 2)
    assert "2个" not in text and "1-2月，全县1个招商小分队未开展外出招商、接待客商，无新增有效线索。" in text


def test_a_city_bulletin_gives_each_countys_main_leader_trips(front, city):
    c = city.county
    trip(city.n_bureau, city.n_town, d(2, 27), d(3, 2), 3, "党政主要负责同志", visited=5)
    trip(city.n_bureau, city.neighbour, d(5, 6), d(5, 7), 3, "党政主要负责同志")
    _, text = _bulletin(city.root, 6)
    assert "县区党政主要负责同志共外出招商3批次，分别为：测试县1次、邻县2次。" in text
    assert c.root.name in text
    _, own = _bulletin(c.root, 6)  # a county's bulletin says nothing of its neighbour
    assert "邻县" not in own and "分别为" not in own


# ----------------------------------------------------------------- the dashboard


def _dashboard(client, unit, month, **params):
    return client.get(reverse("dashboard"), {"unit": unit.pk, "month": f"{Y}-{month:02d}", **params})


def _section(page: str) -> str:
    return page[page.index('id="front-line"') : page.index("</section>", page.index('id="front-line"'))]


def test_the_dashboard_shows_the_front_line_of_the_unit(front, client_for):
    make_unit("驻深圳联络处", "驻外联络处", front.root)
    # in hand and long past their deadlines (no 首问负责人): 光伏项目 of 乙镇, 食品项目 of 甲镇工业园
    page = _dashboard(client_for(front.leader), front.root, 4).content.decode()
    section = _section(page)
    assert "招商一线" in section and "外出招商批次" in section
    assert "超期未办线索 <strong>2</strong> 条" in section and "/leads/?overdue=1" in section
    assert "驻深圳联络处" in section and "本月未开展外出招商" in section
    assert "第一招商小分队" not in section  # it went out in April
    town = _section(_dashboard(client_for(front.unit_head), front.town, 3).content.decode())
    assert "超期未办线索 <strong>1</strong> 条" in town
    other = _section(_dashboard(client_for(front.outsider), front.other_town, 3).content.decode())
    assert "超期未办线索 <strong>1</strong> 条" in other  # 乙镇 sees its own, none of 甲镇's


def test_a_front_line_indicator_drills_down_to_every_unit_and_team(front, client_for):
    page = client_for(front.leader).get(
        reverse("indicator_detail", args=["trip_person_days"]), {"month": f"{Y}-04", "unit": front.root.pk}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "第一招商小分队" in text and "外出招商人天" in text
    ranked = _dashboard(client_for(front.leader), front.root, 4, rank="trips_count")
    assert ranked.status_code == 200


def test_the_dashboard_and_the_draft_make_the_same_queries_whatever_the_front_line(
    front, client_for, django_assert_max_num_queries
):
    client = client_for(front.leader)
    with CaptureQueriesContext(connection) as first:
        _dashboard(client, front.root, 4)
    with CaptureQueriesContext(connection) as draft:
        build_snapshot(front.root, date(Y, 4, 1))
    for n in range(6):
        unit = make_unit(f"新镇{n}", "乡镇", front.root)
        bureau = User.objects.get(pk=front.bureau.pk)  # a new request's user: its units read afresh
        trip(bureau, unit, d(4, 1 + n), d(4, 2 + n), 2)
        reception(bureau, unit, d(4, 3))
        lead(bureau, unit, d(4, 4), f"新项目{n}")
    with django_assert_max_num_queries(len(first)):
        _dashboard(client, front.root, 4)
    with django_assert_max_num_queries(len(draft)):
        build_snapshot(front.root, date(Y, 4, 1))


# ----------------------------------------------------------------- the 点评 material


def test_the_review_material_lists_overdue_leads_per_unit_bounded(front, client_for):
    for n in range(5):
        lead(front.bureau, front.other_town, d(11, 2 + n), f"纺织项目{n}")
    material = meetings.build("review", front.root, date(Y, 12, 1))
    assert "截至12月31日，超期未办的招商线索7条：乙镇6条、甲镇工业园1条。" in material.paragraphs
    table = next(t for t in material.tables if t.title == "超期未办的招商线索")
    assert [r.values[0] for r in table.rows[:3]] == ["乙镇", "甲镇工业园", "乙镇"]  # the longest overdue first
    assert table.rows[0].values[1].endswith("光伏项目") and "首问负责人（超期" in table.rows[0].values[3]
    services_office.office_save(actor=front.bureau, unit=front.root, values={**OFFICE, "list_limit": 5})
    short = meetings.build("review", front.root, date(Y, 12, 1))
    table = next(t for t in short.tables if t.title == "超期未办的招商线索")
    assert len(table.rows) == 5 and table.rest_words == "另有2条超期线索，详见附表（Excel）"
    whole = meetings.build("review", front.root, date(Y, 12, 1), whole=True)
    assert len(next(t for t in whole.tables if t.title == "超期未办的招商线索").rows) == 7
    town = meetings.build("review", front.town, date(Y, 12, 1))  # 甲镇's material: its own leads only
    assert "截至12月31日，超期未办的招商线索1条：甲镇工业园1条。" in town.paragraphs
    before = meetings.build("review", front.root, date(Y, 3, 1))  # as of 31 March, none of these was due yet
    assert "截至3月31日，没有超期未办的招商线索。" in before.paragraphs


def test_a_liaison_office_is_no_investment_team_in_the_teams_figures(county):
    """ "全县X个招商小分队中…" counts the 招商小分队; a 驻外联络处 has its front line (named when it made no trip) but
    is not counted as a 小分队 (it was, for a while: the dashboard said 10 teams where 8 were teams)."""
    from tests.factories import make_unit
    from zhaoshang.core.periods import current_month
    from zhaoshang.progress.report import period_report

    liaison = make_unit("驻深圳招商联络处", "驻外联络处", county.root)
    report = period_report(county.root, current_month())
    assert report.teams.total == 1  # 第一招商小分队 only
    assert liaison in report.team_units and county.team in report.team_units
    assert liaison.name not in [t.name for t in report.teams.idle_teams]
