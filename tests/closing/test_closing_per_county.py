"""In a city install each county closes and reopens its own months: a neighbour's bureau can neither reopen
nor see them, the city's closing locks every county, and only the bureau that made a closing reopens it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.xlsx_cells import content
from zhaoshang.closing.guard import MonthClosed, is_closed
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.closing.services import month_close, month_reopen
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects import figures
from zhaoshang.projects.models import MonthlyFunds
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.reporting.services import unit_month_confirm

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)
TEXT = format_month(LAST)


def funds(project):
    row = MonthlyFunds.objects.filter(project=project, month=LAST).first()
    return row.amount if row else None


def test_a_county_closing_locks_its_own_county_only(city):
    c = city.county
    closing = month_close(actor=c.bureau, month=LAST)
    assert closing.unit == c.root
    with pytest.raises(MonthClosed):
        figures.monthly_funds_set(actor=c.reporter, project=c.project, month=LAST, amount=Decimal("5"))
    figures.monthly_funds_set(actor=city.n_reporter, project=city.n_project, month=LAST, amount=Decimal("7"))
    assert funds(city.n_project) == Decimal("7") and funds(c.project) is None
    assert is_closed(LAST, c.town_park) and not is_closed(LAST, city.n_town) and not is_closed(LAST, city.root)


def test_the_neighbouring_bureau_cannot_reopen_a_county_month_by_any_path(city, client_for):
    """H1: the second county's bureau reopened the first county's October; its reporter then changed it."""
    c = city.county
    month_close(actor=c.bureau, month=LAST)
    with pytest.raises(PermissionDenied):
        month_reopen(actor=city.n_bureau, month=LAST, unit=c.root, reason="改邻县的数")
    with pytest.raises(ValidationError, match="未关账"):  # its own county is open: nothing of 测试县 is touched
        month_reopen(actor=city.n_bureau, month=LAST, reason="改邻县的数")
    client = client_for(city.n_bureau)
    assert client.post(reverse("month_reopen", args=[TEXT]), {"reason": "x", "unit": c.root.pk}).status_code == 404
    client.post(reverse("month_reopen", args=[TEXT]), {"reason": "x"})
    with pytest.raises(CommandError, match="管理范围"):
        call_command("reopen_month", TEXT, "--reason", "x", "--user", "n_bureau", "--unit", "测试县", stdout=StringIO())
    assert ClosedMonth.objects.filter(month=LAST, unit=c.root).exists()
    with pytest.raises(MonthClosed):
        figures.monthly_funds_set(actor=c.reporter, project=c.project, month=LAST, amount=Decimal("5"))


def test_the_neighbouring_bureau_cannot_close_a_county_month(city, client_for):
    c = city.county
    with pytest.raises(PermissionDenied):
        month_close(actor=city.n_bureau, month=LAST, unit=c.root)
    assert client_for(city.n_bureau).post(reverse("month_close", args=[TEXT]), {"unit": c.town.pk}).status_code == 404
    assert not ClosedMonth.objects.filter(unit__path__startswith=c.root.path).exists()


def test_the_city_closes_every_county_and_only_the_city_reopens_it(city):
    c = city.county
    month_close(actor=city.city_bureau, month=LAST)
    for actor, project in ((c.reporter, c.project), (city.n_reporter, city.n_project)):
        with pytest.raises(MonthClosed):
            figures.monthly_funds_set(actor=actor, project=project, month=LAST, amount=Decimal("5"))
    with pytest.raises(ValidationError, match="已经关账"):
        month_close(actor=c.bureau, month=LAST)  # already covered by the city's closing
    with pytest.raises(ValidationError, match="上级"):
        month_reopen(actor=c.bureau, month=LAST, reason="县里想改")
    month_reopen(actor=city.city_bureau, month=LAST, reason="市里统一更正")
    figures.monthly_funds_set(actor=c.reporter, project=c.project, month=LAST, amount=Decimal("5"))


def test_the_city_bureau_may_close_and_reopen_one_county(city, client_for):
    c = city.county
    client = client_for(city.city_bureau)
    assert client.post(reverse("month_close", args=[TEXT]), {"unit": city.neighbour.pk}).status_code == 302
    assert is_closed(LAST, city.n_town) and not is_closed(LAST, c.town)
    client.post(reverse("month_reopen", args=[TEXT]), {"unit": city.neighbour.pk, "reason": "邻县更正"})
    assert not is_closed(LAST, city.n_town)


def test_a_county_closed_on_its_own_stays_closed_when_the_city_reopens_its_own_closing(city):
    c = city.county
    month_close(actor=c.bureau, month=LAST)
    month_close(actor=city.city_bureau, month=LAST)
    month_reopen(actor=city.city_bureau, month=LAST, reason="市里更正")
    assert is_closed(LAST, c.town) and not is_closed(LAST, city.n_town)


def test_the_model_layer_refuses_by_county(city):
    c = city.county
    figures.monthly_funds_set(actor=c.reporter, project=c.project, month=LAST, amount=Decimal("5"))
    month_close(actor=c.bureau, month=LAST)
    row = MonthlyFunds.objects.get(project=c.project, month=LAST)
    with pytest.raises(MonthClosed):
        row.save()
    with pytest.raises(MonthClosed):
        unit_month_confirm(actor=c.unit_head, unit=c.town, month=LAST)
    UnitMonthReport(unit=city.n_town, month=LAST, confirmed_by=city.n_unit_head).save()


def test_the_month_pages_show_a_county_bureau_its_own_units_only(city, client_for):
    c = city.county
    month_close(actor=c.bureau, month=LAST)
    unit_month_confirm(actor=c.unit_head, unit=c.town, month=add_months(LAST, -1))
    client = client_for(city.n_bureau)
    for url in (reverse("month_list"), reverse("month_status", args=[TEXT])):
        page = client.get(url).content.decode()
        assert "邻县" in page
        for secret in ("甲镇", "乙镇", "测试县", "unithead"):
            assert secret not in page, (url, secret)
    assert "邻镇" in client.get(reverse("month_status", args=[TEXT])).content.decode()
    listing = client.get(reverse("month_list")).content.decode()
    assert "已关账" not in listing  # 测试县's closing is not its neighbour's
    xlsx = client.get(reverse("month_status", args=[TEXT]), {"format": "xlsx"})
    assert xlsx.status_code == 200 and "甲镇".encode() not in content(xlsx)
    assert client.get(reverse("month_status", args=[TEXT]), {"unit": c.root.pk}).status_code == 404


def test_the_city_bureau_sees_every_county_and_who_closed_on_its_own(city, client_for):
    month_close(actor=city.county.bureau, month=LAST)
    page = client_for(city.city_bureau).get(reverse("month_list")).content.decode()
    assert "1 个下级单位已自行关账" in page
    status = client_for(city.city_bureau).get(reverse("month_status", args=[TEXT])).content.decode()
    assert "甲镇" in status and "邻镇" in status and "测试县" in status
