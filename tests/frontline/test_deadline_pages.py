"""The working-day calendar and the lead deadline rules: a county's bureau changes its own (audited), everyone else
reads; a city's counties each keep theirs; the lights the lead list shows."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhaoshang.audit.models import AuditEntry
from zhaoshang.frontline import services
from zhaoshang.frontline.calendars import calendar_roots, year_grid
from zhaoshang.frontline.deadlines import lead_states
from zhaoshang.frontline.models import CalendarDay, LeadProfile, LeadRules
from zhaoshang.frontline.rules import Deadline
from zhaoshang.frontline.templatetags.deadlines import deadline_light

pytestmark = pytest.mark.django_db


def test_the_bureau_adds_corrects_and_removes_a_day_audited(county):
    day = date(2026, 6, 15)
    services.calendar_day_set(actor=county.bureau, root=county.root, day=day, is_workday=False, note="本地节日")
    _, changes = services.calendar_day_set(actor=county.bureau, root=county.root, day=day, is_workday=True)
    assert changes == {"is_workday": [False, True], "note": ["本地节日", ""]}
    assert CalendarDay.objects.get(root=county.root, day=day).is_workday
    assert services.calendar_day_remove(actor=county.bureau, root=county.root, day=day)
    assert not CalendarDay.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="calendar_day").order_by("pk").values_list("action", "unit")
    )
    assert actions == [
        (a, county.root.pk) for a in ("calendar_day.created", "calendar_day.updated", "calendar_day.deleted")
    ]


def test_no_one_else_changes_the_calendar_or_the_rules(county):
    for user in (county.reporter, county.unit_head, county.leader, county.outsider):
        with pytest.raises(PermissionDenied):
            services.calendar_day_set(actor=user, root=county.root, day=date(2026, 6, 15), is_workday=False)
        with pytest.raises(PermissionDenied):
            services.lead_rules_set(actor=user, root=county.root, values={"judgement_workdays": 5})
    with pytest.raises(ValidationError):  # a town keeps no calendar: no lead would read it
        services.calendar_day_set(actor=county.bureau, root=county.town, day=date(2026, 6, 15), is_workday=False)
    assert not CalendarDay.objects.exists() and not LeadRules.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["calendar_day.created", "lead_rules.set"]).exists()


def test_the_rules_move_the_deadlines(county):
    profile, _ = services.lead_register(
        actor=county.reporter,
        project_values={"name": "新材料项目", "investor": "某某新材料有限公司", "responsible_unit": county.town},
        lead_values={"registered_on": date(2026, 9, 30)},
    )
    due = lambda: {d.what: d.due for d in lead_states(LeadProfile.objects.all(), date(2026, 10, 9))[0].deadlines}  # noqa: E731
    assert due()["研判"] == date(2026, 10, 10)
    changes = services.lead_rules_set(actor=county.bureau, root=county.root, values={"judgement_workdays": 5})
    assert changes == {"judgement_workdays": [3, 5]}
    assert due()["研判"] == date(2026, 10, 13)  # 10-08, 10-09, 10-10 (调休), 10-12, 10-13
    assert AuditEntry.objects.get(action="lead_rules.set").data == {"judgement_workdays": [3, 5]}
    assert services.lead_rules_set(actor=county.bureau, root=county.root, values={"judgement_workdays": 5}) == {}
    with pytest.raises(ValidationError):
        services.lead_rules_set(actor=county.bureau, root=county.root, values={"followup_days": 0})


def test_the_calendar_page_shades_holidays_and_marks_corrections(county, client_for):
    services.calendar_day_set(actor=county.bureau, root=county.root, day=date(2026, 6, 15), is_workday=False)
    body = client_for(county.reporter).get(reverse("lead_calendar"), {"year": 2026}).content.decode()
    assert 'title="2026-10-01 休息日"' in body  # National Day
    assert 'class="workday makeup" title="2026-10-10 工作日"' in body  # the make-up Saturday
    assert 'class="off holiday corrected" title="2026-06-15 休息日（本地调整）"' in body
    assert "补录或更正一天" not in body  # a reporter reads only
    assert "补录或更正一天" in client_for(county.bureau).get(reverse("lead_calendar")).content.decode()


def test_a_year_the_package_does_not_know_is_said_so(county, client_for):
    body = client_for(county.bureau).get(reverse("lead_calendar"), {"year": 2099}).content.decode()
    assert "2099年国务院放假安排尚未内置" in body and "请按通知补录调休与节假日" in body
    assert "尚未内置" not in client_for(county.bureau).get(reverse("lead_calendar"), {"year": 2026}).content.decode()


def test_the_bureau_posts_a_day_from_the_page(county, client_for):
    data = {"op": "set", "unit": county.root.pk, "day": "2027-02-06", "is_workday": "1", "note": "春节调休"}
    response = client_for(county.bureau).post(reverse("lead_calendar"), data)
    assert response.status_code == 302
    assert CalendarDay.objects.get(root=county.root, day=date(2027, 2, 6)).note == "春节调休"
    response = client_for(county.bureau).post(
        reverse("lead_calendar"), {"op": "remove", "unit": county.root.pk, "day": "2027-02-06"}
    )
    assert response.status_code == 302 and not CalendarDay.objects.exists()
    assert client_for(county.leader).post(reverse("lead_calendar"), data).status_code == 403


def test_the_rules_page_shows_the_defaults_and_saves(county, client_for):
    body = client_for(county.leader).get(reverse("lead_rules")).content.decode()
    assert "完成研判（工作日）" in body and "<form" not in body.split("<main")[1]
    data = {
        "unit": county.root.pk,
        "first_responsible_workdays": "2",
        "judgement_workdays": "3",
        "referrer_days": "7",
        "followup_days": "10",
        "reassign_days": "60",
    }
    assert client_for(county.bureau).post(reverse("lead_rules"), data).status_code == 302
    rules = LeadRules.objects.get(root=county.root)
    assert (rules.first_responsible_workdays, rules.followup_days) == (2, 10)
    bad = client_for(county.bureau).post(reverse("lead_rules"), {**data, "followup_days": "999"})
    assert bad.status_code == 200 and "跟进间隔（自然日）不能大于180" in bad.content.decode()


def test_a_city_keeps_one_calendar_per_county(city, client_for):
    county = city.county
    # 邻县's correction never moves 测试县's deadlines, and 测试县's bureau cannot touch 邻县's calendar.
    services.calendar_day_set(actor=city.n_bureau, root=city.neighbour, day=date(2026, 10, 8), is_workday=False)
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=county.bureau, root=city.neighbour, day=date(2026, 10, 9), is_workday=False)
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=city.n_bureau, root=county.root, day=date(2026, 10, 9), is_workday=False)
    # The city's bureau keeps the city's own calendar (its own units' leads), and reads every county's.
    services.calendar_day_set(actor=city.city_bureau, root=city.root, day=date(2026, 10, 9), is_workday=False)
    assert [u.name for u in calendar_roots(city.city_bureau)] == ["测试市", "测试县", "邻县"]
    assert [u.name for u in calendar_roots(county.reporter)] == ["测试县"]
    assert [u.name for u in calendar_roots(city.n_reporter)] == ["邻县"]
    # A neighbour asking for 测试县's calendar learns nothing of it.
    assert client_for(city.n_bureau).get(reverse("lead_calendar"), {"unit": county.root.pk}).status_code == 404
    response = client_for(city.n_bureau).post(
        reverse("lead_calendar"), {"op": "set", "unit": county.root.pk, "day": "2026-10-09", "is_workday": "0"}
    )
    assert response.status_code == 404
    assert set(CalendarDay.objects.values_list("root__name", flat=True)) == {"邻县", "测试市"}
    # 测试县's lead: due 10-08 as the nation says, whatever 邻县 and the city declared.
    profile, _ = services.lead_register(
        actor=county.reporter,
        project_values={"name": "新材料项目", "investor": "某某新材料有限公司", "responsible_unit": county.town},
        lead_values={"registered_on": date(2026, 9, 30)},
    )
    state = lead_states(LeadProfile.objects.filter(pk=profile.pk), date(2026, 10, 9))[0]
    assert {d.what: d.due for d in state.deadlines}["首问负责人"] == date(2026, 10, 8)


def test_year_grid_is_twelve_months_monday_first():
    months = year_grid(2026, {})
    assert len(months) == 12
    october = months[9]
    assert october.weeks[0][:3] == [None, None, None]  # 2026-10-01 is a Thursday
    assert october.weeks[0][3].day == date(2026, 10, 1) and not october.weeks[0][3].is_workday
    assert october.workday_count == 18  # 22 weekdays, less 5 of the holiday, plus the make-up Saturday 10-10


@pytest.mark.parametrize(
    "done_on, today, light, label",
    [
        (None, date(2026, 10, 12), "red", "研判逾期2天"),
        (None, date(2026, 10, 10), "yellow", "研判今日到期"),
        (None, date(2026, 10, 9), "green", "研判10月10日前完成"),
        (date(2026, 10, 9), date(2026, 10, 12), "green", "研判已按时完成"),
        (date(2026, 10, 11), date(2026, 10, 12), "yellow", "研判逾期1天完成"),
    ],
)
def test_the_lights_of_a_deadline(done_on, today, light, label):
    assert deadline_light(Deadline("研判", date(2026, 10, 10), done_on, today)) == (light, label)
