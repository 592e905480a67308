"""Overdue leads through send_reminders: the 首问负责人 and the responsible unit's reporters and head get one
notification per lead per deadline missed, counted in working days across the National Day holiday; nothing is
repeated the next day; the bureau gets one count a day; the group robot one list a day."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_user
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.notifications.models import Notification, RobotDelivery
from zhaoshang.org.models import Role
from zhaoshang.projects.services import project_change_stage

pytestmark = pytest.mark.django_db

REGISTERED = date(2026, 9, 30)  # a Wednesday; 10-01 to 10-07 off, 10-10 (Saturday) worked in lieu


def run(day: date) -> str:
    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def robots(settings, receiver):
    settings.DINGTALK_WEBHOOK = ""
    settings.WECOM_WEBHOOK = f"{receiver.url}/cgi-bin/webhook/send?key=k"
    return receiver


def _register(county, **lead):
    values = {"name": "新能源电池项目", "investor": "某某电池有限公司", "responsible_unit": county.town}
    profile, _ = services.lead_register(
        actor=county.reporter, project_values=values, lead_values={"registered_on": REGISTERED, **lead}
    )
    return profile


def _lead_notes(user=None):
    rows = Notification.objects.filter(kind="lead.overdue")
    return rows.filter(user=user) if user else rows


def test_a_missed_first_responsible_is_reminded_once_counted_in_working_days(county, robots):
    profile = _register(county)
    # 10-08 is the first working day after 09-30: the 首问负责人 is due then. On the holiday nothing is late.
    run(date(2026, 10, 7))
    assert not _lead_notes().exists()

    run(date(2026, 10, 9))
    reminded = set(_lead_notes().values_list("user__username", flat=True))
    assert reminded == {"reporter", "unithead"}  # 甲镇's; not 乙镇's, not the leader
    note = _lead_notes(county.reporter).get()
    assert note.title == f"{profile.project.code} 线索首问负责人逾期1天"  # not 8 calendar days
    assert "时限10月8日" in note.body and "尚未明确首问负责人" in note.body
    # 研判 is due on 10-10, the make-up Saturday: not yet late on 10-09.
    assert "研判" not in note.title

    # The next day: the same 首问负责人 is not told again; 研判 (due today, 10-10) not yet late either.
    run(date(2026, 10, 10))
    assert _lead_notes(county.reporter).count() == 1

    # Monday 10-12: 研判 is late by 2 days, a new reminder; still one for the 首问负责人.
    run(date(2026, 10, 12))
    titles = sorted(_lead_notes(county.reporter).values_list("title", flat=True))
    assert titles == [
        f"{profile.project.code} 线索研判逾期2天",
        f"{profile.project.code} 线索首问负责人逾期1天",
    ]


def test_the_first_responsible_and_a_done_deadline(county, robots):
    owner = make_user("first_asked", county.town, Role.REPORTER)
    services.lead_register(
        actor=county.reporter,
        project_values={"name": "智能装备项目", "investor": "某某装备有限公司", "responsible_unit": county.town},
        lead_values={"registered_on": REGISTERED, "first_responsible": owner},
    )
    run(date(2026, 10, 12))
    # Named at registration: the 首问负责人 deadline is kept; 研判 is late and the 首问负责人 hears of it too.
    assert set(_lead_notes().values_list("title", flat=True)) == {f"{_code()} 线索研判逾期2天"}
    assert set(_lead_notes().values_list("user__username", flat=True)) == {"first_asked", "reporter", "unithead"}


def _code():
    return LeadProfile.objects.get().project.code


def test_the_bureau_gets_one_count_a_day_and_the_group_one_list(county, robots):
    _register(county)
    run(date(2026, 10, 12))
    digest = Notification.objects.get(kind="lead.overdue.digest", user=county.bureau)
    assert digest.title == "测试县有1条招商线索办理逾期"
    assert not Notification.objects.filter(kind="lead.overdue.digest").exclude(user=county.bureau).exists()
    run(date(2026, 10, 12))
    assert Notification.objects.filter(kind="lead.overdue.digest").count() == 1
    run(date(2026, 10, 13))
    assert Notification.objects.filter(kind="lead.overdue.digest").count() == 2

    sent = [d for d in RobotDelivery.objects.all() if d.dedupe_key.startswith("lead.overdue:")]
    assert {d.dedupe_key for d in sent} == {"lead.overdue:2026-10-12", "lead.overdue:2026-10-13"}
    bodies = [r.body["markdown"]["content"] for r in robots.requests]
    body = next(b for b in bodies if "截至10月12日，以下招商线索" in b)
    # one line for the lead, naming both deadlines missed (days late are calendar days past the due day)
    assert "办理逾期的招商线索（1条）" in body
    assert body.count("新能源电池项目") == 1 and "新能源电池项目（甲镇，首问负责人逾期4天、研判逾期2天）" in body


def test_a_county_correction_moves_its_own_deadlines_only(city, robots):
    county = city.county
    _register(county)
    # 邻县's bureau declares 10-08 a local day off in 邻县: 测试县's lead is still due on 10-08.
    services.calendar_day_set(
        actor=city.n_bureau, root=city.neighbour, day=date(2026, 10, 8), is_workday=False, note="本地节日"
    )
    run(date(2026, 10, 9))
    assert _lead_notes(county.reporter).filter(title__contains="首问负责人逾期1天").exists()
    # 测试县's own bureau declares the same: its lead is now due on 10-09, not late on 10-09.
    Notification.objects.all().delete()
    services.calendar_day_set(
        actor=county.bureau, root=county.root, day=date(2026, 10, 8), is_workday=False, note="本地节日"
    )
    run(date(2026, 10, 9))
    assert not _lead_notes().exists()


def test_a_dropped_or_signed_lead_is_not_reminded(county, robots):
    profile = _register(county)
    project_change_stage(
        actor=county.bureau, project=profile.project, to_stage="终止", on_date=today(), reason="投资方放弃"
    )
    run(date(2026, 10, 12))
    assert not _lead_notes().exists()
