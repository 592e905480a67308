"""notify() tells each user once per thing; marking read touches only the user's own notifications."""

import pytest
from django.db import IntegrityError

from zhaoshang.notifications.models import Notification
from zhaoshang.notifications.services import notifications_mark_read, notify

pytestmark = pytest.mark.django_db


def test_it_notifies_each_user_once_per_dedupe_key(county):
    first = notify(
        users=[county.reporter, county.unit_head, county.reporter],
        kind="report.missing",
        title="甲镇2026年5月月报尚未上报",
        link="/report/",
        dedupe_key="report.missing:1:2026-05",
    )
    assert sorted(n.user.username for n in first) == ["reporter", "unithead"]
    assert all(n.pk for n in first)

    again = notify(
        users=[county.reporter, county.unit_head, county.leader],
        kind="report.missing",
        title="甲镇2026年5月月报尚未上报",
        dedupe_key="report.missing:1:2026-05",
    )
    assert [n.user for n in again] == [county.leader]
    assert Notification.objects.filter(dedupe_key="report.missing:1:2026-05").count() == 3


def test_it_repeats_one_off_messages_without_a_key(county):
    notify(users=[county.reporter], kind="notice", title="一")
    notify(users=[county.reporter], kind="notice", title="二")
    assert Notification.objects.filter(user=county.reporter).count() == 2


def test_it_skips_inactive_users(county):
    county.reporter.is_active = False
    county.reporter.save()
    assert notify(users=[county.reporter], kind="notice", title="停用账号不通知") == []


def test_it_refuses_a_link_outside_the_product(county):
    for link in ("https://evil.example/", "//evil.example/x", "report/"):
        with pytest.raises(ValueError):
            notify(users=[county.reporter], kind="notice", title="外部链接", link=link)
    assert not Notification.objects.exists()


def test_it_has_the_database_refuse_a_second_row_for_the_same_key(county):
    Notification.objects.create(user=county.reporter, kind="k", title="t", dedupe_key="same")
    with pytest.raises(IntegrityError):
        Notification.objects.create(user=county.reporter, kind="k", title="t", dedupe_key="same")


def test_it_marks_read_only_the_users_own_notifications(county):
    mine = notify(users=[county.reporter], kind="notice", title="我的一")[0]
    notify(users=[county.reporter], kind="notice", title="我的二")
    theirs = notify(users=[county.outsider], kind="notice", title="别人的")[0]

    # Another user's id is ignored, not an error.
    assert notifications_mark_read(user=county.reporter, ids=[theirs.pk]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None

    assert notifications_mark_read(user=county.reporter, ids=[mine.pk]) == 1
    assert Notification.objects.filter(user=county.reporter, read_at__isnull=True).count() == 1
    assert notifications_mark_read(user=county.reporter) == 1
    assert not Notification.objects.filter(user=county.reporter, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    # Marking again changes nothing (read_at keeps its first time).
    first_read = Notification.objects.get(pk=mine.pk).read_at
    assert notifications_mark_read(user=county.reporter) == 0
    assert Notification.objects.get(pk=mine.pk).read_at == first_read
