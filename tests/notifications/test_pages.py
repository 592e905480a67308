"""The notifications page shows the signed-in user's own notifications only; the nav badge counts the unread."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from zhaoshang.notifications.context_processors import unread
from zhaoshang.notifications.models import Notification
from zhaoshang.notifications.services import notify
from zhaoshang.org.context_processors import roles

pytestmark = pytest.mark.django_db


def test_it_shows_a_user_only_its_own_notifications_newest_first(county, client_for):
    notify(users=[county.reporter], kind="report.missing", title="较早的提醒", dedupe_key="a")
    notify(users=[county.reporter], kind="report.missing", title="最新的提醒", body="请上报", dedupe_key="b")
    notify(users=[county.outsider], kind="report.missing", title="乙镇的提醒", dedupe_key="a")

    response = client_for(county.reporter).get(reverse("notification_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["最新的提醒", "较早的提醒"]
    assert "乙镇的提醒" not in body
    assert body.count("is-unread") == 2 and "月报未上报" in body and "全部标为已读" in body

    other = client_for(county.outsider).get(reverse("notification_list"))
    assert [n.title for n in other.context["page"]] == ["乙镇的提醒"]
    assert "最新的提醒" not in other.content.decode()


def test_it_pages_a_long_list(county, client_for, settings):
    settings.PAGE_SIZE = 3
    for i in range(7):
        notify(users=[county.reporter], kind="notice", title=f"第{i}条", dedupe_key=f"k{i}")
    client = client_for(county.reporter)
    first = client.get(reverse("notification_list"))
    assert len(first.context["page"]) == 3 and "第 1 页 / 共 3 页" in first.content.decode()
    last = client.get(reverse("notification_list"), {"page": 3})
    assert [n.title for n in last.context["page"]] == ["第0条"]


def test_it_marks_all_read_and_the_highlight_goes(county, client_for):
    notify(users=[county.reporter], kind="notice", title="一")
    notify(users=[county.reporter], kind="notice", title="二")
    theirs = notify(users=[county.unit_head], kind="notice", title="单位负责人的")[0]
    client = client_for(county.reporter)

    response = client.post(reverse("notification_read"))
    assert (response.status_code, response["Location"]) == (302, reverse("notification_list"))
    page = client.get(reverse("notification_list")).content.decode()
    assert "已将 2 条通知标为已读" in page and "is-unread" not in page and "全部标为已读" not in page
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_it_opens_a_notification_marking_it_read(county, client_for):
    notification = notify(
        users=[county.reporter], kind="report.missing", title="去填报", link="/report/?month=2026-05", dedupe_key="x"
    )[0]
    response = client_for(county.reporter).post(reverse("notification_read"), {"id": notification.pk, "open": "1"})
    assert (response.status_code, response["Location"]) == (302, "/report/?month=2026-05")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_does_not_let_a_user_open_or_mark_another_users_notification(county, client_for):
    theirs = notify(users=[county.outsider], kind="notice", title="乙镇的", link="/projects/", dedupe_key="y")[0]
    client = client_for(county.reporter)
    for data in ({"id": theirs.pk, "open": "1"}, {"id": theirs.pk}, {"id": "abc"}):
        response = client.post(reverse("notification_read"), data)
        assert (response.status_code, response["Location"]) == (302, reverse("notification_list"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_answers_a_get_on_mark_read_with_405(county, client_for):
    assert client_for(county.reporter).get(reverse("notification_read")).status_code == 405


def test_it_shows_the_unread_count_in_the_nav(county, client_for):
    notify(users=[county.reporter], kind="notice", title="一")
    notify(users=[county.reporter], kind="notice", title="二")
    notify(users=[county.reporter], kind="notice", title="三")
    notify(users=[county.outsider], kind="notice", title="别人的")
    Notification.objects.filter(user=county.reporter, title="三").update(read_at="2026-01-01T00:00:00Z")

    response = client_for(county.reporter).get(reverse("home"))
    assert response.context["unread_notifications"] == 2
    link = f'<a class="nav-notify" href="{reverse("notification_list")}" title="通知">'
    assert f'{link}通知 <span class="badge">2</span></a>' in response.content.decode()
    # Nothing unread: the link without a badge.
    quiet = client_for(county.unit_head).get(reverse("home"))
    assert quiet.context["unread_notifications"] == 0
    assert 'title="通知">通知</a>' in quiet.content.decode()


def test_it_counts_the_badge_in_one_query(county, django_assert_num_queries):
    notify(users=[county.reporter], kind="notice", title="一")
    request = RequestFactory().get("/")
    request.user = county.reporter
    roles(request)  # listed before it in settings: the memberships are loaded and cached on the user there
    with django_assert_num_queries(1):
        assert unread(request) == {"unread_notifications": 1}


def test_it_gives_no_badge_to_roles_without_the_page(county, client_for):
    for user in (county.auditor, county.sysadmin):
        request = RequestFactory().get("/")
        request.user = user
        assert unread(request) == {}
    assert "nav-notify" not in client_for(county.auditor).get(reverse("audit_list")).content.decode()


def test_the_robots_sends_are_shown_to_the_root_s_bureau_only(city, client_for):
    """The install's robots post every county's lists: a county's bureau does not read their titles."""
    from zhaoshang.notifications.models import RobotDelivery

    RobotDelivery.objects.create(channel="dingtalk", title="全市月报逾期未上报单位（15个）", status="ok")
    assert "全市月报逾期" not in client_for(city.n_bureau).get(reverse("notification_list")).content.decode()
    assert "全市月报逾期" in client_for(city.city_bureau).get(reverse("notification_list")).content.decode()
