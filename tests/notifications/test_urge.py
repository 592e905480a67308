"""催报 on the 上报情况 page: the bureau reminds the units of its scope that have not confirmed a month; audited;
never a unit of another county (the city install of tests/conftest.py `city`)."""

import pytest
from django.urls import reverse

from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.notifications.models import Notification
from zhaoshang.reporting.models import UnitMonthReport

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)


def _urge(client, month=LAST, **data):
    return client.post(reverse("month_urge", args=[format_month(month)]), data)


def test_it_reminds_only_the_units_that_have_not_reported(county, client_for):
    UnitMonthReport.objects.create(unit=county.other_town, month=LAST, confirmed_by=county.bureau)
    response = _urge(client_for(county.bureau))
    assert response.status_code == 302
    assert response["Location"] == reverse("month_status", args=[format_month(LAST)])
    urged = Notification.objects.filter(kind="report.urged")
    # 甲镇's reporter and unit head are told; 乙镇 reported, so its reporter (the outsider) is not
    assert set(urged.values_list("user__username", flat=True)) >= {"reporter", "unithead"}
    assert not urged.filter(user=county.outsider).exists()
    note = urged.get(user=county.reporter)
    assert note.title == f"催报：甲镇{LAST.year}年{LAST.month}月月报尚未上报"
    assert note.link == f"{reverse('monthly_report')}?unit={county.town.pk}&month={format_month(LAST)}"
    entry = AuditEntry.objects.get(action="month.urged")
    assert entry.actor == county.bureau
    assert "甲镇" in entry.data["units"] and "乙镇" not in entry.data["units"]


def test_it_does_not_tell_the_same_people_twice_on_one_day(county, client_for):
    client = client_for(county.bureau)
    _urge(client)
    count = Notification.objects.filter(kind="report.urged").count()
    _urge(client)
    assert Notification.objects.filter(kind="report.urged").count() == count


def test_a_countys_bureau_never_reminds_the_neighbour_county(city, client_for):
    county = city.county
    client = client_for(county.bureau)
    # its own scope: every unit of 测试县, none of 邻县 (whose 邻镇 has not reported either)
    _urge(client)
    urged = Notification.objects.filter(kind="report.urged")
    assert urged.filter(user=county.reporter).exists()
    assert not urged.filter(user__in=[city.n_reporter, city.n_unit_head]).exists()
    # naming the neighbour, or the neighbour's town, as the scope: 404, nothing sent, nothing audited
    for unit in (city.neighbour, city.n_town, city.root):
        before = AuditEntry.objects.count()
        assert _urge(client, unit=unit.pk).status_code == 404
        assert AuditEntry.objects.count() == before
    assert not urged.filter(user__in=[city.n_reporter, city.n_unit_head]).exists()


def test_the_city_bureau_may_urge_one_county(city, client_for):
    response = _urge(client_for(city.city_bureau), unit=city.neighbour.pk)
    assert response["Location"] == f"{reverse('month_status', args=[format_month(LAST)])}?unit={city.neighbour.pk}"
    urged = Notification.objects.filter(kind="report.urged")
    assert urged.filter(user=city.n_reporter).exists()
    assert not urged.filter(user=city.county.reporter).exists()


def test_it_refuses_the_current_month_and_a_month_everyone_reported(county, client_for):
    client = client_for(county.bureau)
    response = _urge(client, month=current_month())
    assert response.status_code == 302
    assert not Notification.objects.exists() and not AuditEntry.objects.filter(action="month.urged").exists()
    page = client.get(response["Location"]).content.decode()
    assert "尚未结束" in page
    assert (
        "催报未上报单位"
        not in client.get(reverse("month_status", args=[format_month(current_month())])).content.decode()
    )


def test_the_status_page_offers_the_button_to_the_bureau(county, client_for):
    page = client_for(county.bureau).get(reverse("month_status", args=[format_month(LAST)])).content.decode()
    assert reverse("month_urge", args=[format_month(LAST)]) in page
    assert "催报未上报单位" in page
