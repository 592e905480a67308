"""H3: in a city install every shared thing has an owner. A county's bureau enters its own region's economic
figures, sets its own groups' quotas and runs its own campaigns; USD rates are the root's. None of it reaches a
neighbouring county."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org.models import AssessmentGroup
from zhaoshang.progress import services
from zhaoshang.progress.models import Campaign, EconomicFigure
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import UsdRate

pytestmark = pytest.mark.django_db

LAST = add_months(current_month(), -1)


def economy_post(client, region, value="1.00"):
    data = {
        "region": region,
        "month": format_month(LAST),
        "indicator": "fiscal_revenue",
        "cumulative": value,
        "growth_pct": "-50",
    }
    return client.post(reverse("economy"), data)


def test_a_county_bureau_enters_only_its_own_region(city, client_for):
    """The second county's bureau set the first county's 财政收入 to 1.00 and its rank fell to last."""
    c = city.county
    services.economic_figure_set(
        actor=c.bureau, region="测试县", month=LAST, indicator="fiscal_revenue",
        cumulative=Decimal("50000"), growth_pct=Decimal("8"),
    )  # fmt: skip
    response = economy_post(client_for(city.n_bureau), "测试县")
    assert response.status_code == 200 and "由该地区的主管部门或上级主管部门录入" in response.content.decode()
    assert EconomicFigure.objects.get(region="测试县").cumulative == Decimal("50000.00")
    assert economy_post(client_for(city.n_bureau), "邻县").status_code == 302
    with pytest.raises(PermissionDenied):  # a region the install does not hold is the root's to enter
        services.economic_figure_set(
            actor=c.bureau, region="外市某县", month=LAST, indicator="fiscal_revenue",
            cumulative=Decimal("1"), growth_pct=Decimal("1"),
        )  # fmt: skip
    assert economy_post(client_for(city.city_bureau), "外市某县").status_code == 302
    assert economy_post(client_for(city.city_bureau), "测试县", "60000").status_code == 302
    assert EconomicFigure.objects.get(region="测试县").cumulative == Decimal("60000.00")


def test_a_county_bureau_sets_only_its_own_groups_quotas(city, client_for):
    ours = AssessmentGroup.objects.get(name="乡镇组", owner=city.county.root)
    theirs = AssessmentGroup.objects.get(name="乡镇组", owner=city.neighbour)
    client = client_for(city.n_bureau)
    page = client.get(reverse("group_lists")).content.decode()
    assert f"red-{theirs.pk}" in page and f"red-{ours.pk}" not in page and "部门组" not in page
    client.post(reverse("group_lists"), {f"red-{ours.pk}": "9", f"black-{ours.pk}": "9"})
    ours.refresh_from_db()
    assert (ours.red_top_n, ours.black_bottom_m) == (3, 2)
    city_page = client_for(city.city_bureau).get(reverse("group_lists")).content.decode()
    assert f"red-{ours.pk}" in city_page and f"red-{theirs.pk}" in city_page


def make_county_campaign(city):
    campaign = Campaign(name="测试县夏季攻势", start_month=add_months(current_month(), -2), end_month=current_month())
    return services.campaign_save(actor=city.county.bureau, campaign=campaign)


def test_a_county_campaign_is_not_its_neighbour_s(city, client_for):
    campaign = make_county_campaign(city)
    assert campaign.owner == city.county.root
    neighbour = client_for(city.n_bureau)
    assert campaign.name not in neighbour.get(reverse("campaign_list")).content.decode()
    assert neighbour.get(reverse("campaign_detail", args=[campaign.pk])).status_code == 404
    assert neighbour.get(reverse("campaign_targets", args=[campaign.pk])).status_code == 404
    assert campaign.name not in neighbour.get(reverse("dashboard")).content.decode()
    assert campaign.name not in client_for(city.n_reporter).get(reverse("dashboard")).content.decode()
    # its own county and the city's leaders see it; the city's bureau does not set a county's targets
    assert campaign.name in client_for(city.county.reporter).get(reverse("dashboard")).content.decode()
    assert campaign.name in client_for(city.city_leader).get(reverse("campaign_list")).content.decode()
    with pytest.raises(PermissionDenied):
        services.campaign_targets_save(actor=city.n_bureau, campaign=campaign, cells={})


def test_a_county_campaign_sets_targets_for_its_own_units_only(city):
    campaign = make_county_campaign(city)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="发起单位及下级单位"):
        services.campaign_targets_save(
            actor=city.city_bureau, campaign=campaign, cells={(city.n_town, "domestic_signed_count"): Decimal("3")}
        )


def test_usd_rates_are_the_root_s(city, client_for):
    year = current_month().year
    for bureau in (city.n_bureau, city.county.bureau):
        client = client_for(bureau)
        assert client.post(reverse("usd_rates"), {"year": year, "rate": "1.0000"}).status_code == 403
        assert client.get(reverse("usd_rates")).status_code == 200
        with pytest.raises(PermissionDenied):
            project_services.usd_rate_set(actor=bureau, year=year, rate=Decimal("1"))
    assert not UsdRate.objects.exists()
    assert client_for(city.city_bureau).post(reverse("usd_rates"), {"year": year, "rate": "7.2"}).status_code == 302
    assert UsdRate.objects.get(year=year).rate == Decimal("7.2000")


def test_a_county_bureau_sets_targets_for_its_own_units_only(city):
    year = current_month().year
    with pytest.raises(PermissionDenied):
        services.targets_save(
            actor=city.n_bureau, year=year, cells={(city.county.town, "domestic_arrived_wan"): Decimal("100")}
        )
    assert services.targets_save(
        actor=city.n_bureau, year=year, cells={(city.n_town, "domestic_arrived_wan"): Decimal("100")}
    )


def test_a_county_bureau_cannot_add_its_town_as_a_region_of_the_city_s_ranking(city, client_for):
    """A town is no region of the city's statistics: entered as one, it pushed a county down the city's ranking."""
    response = economy_post(client_for(city.n_bureau), "邻镇", "1")
    assert response.status_code == 200 and not EconomicFigure.objects.filter(region="邻镇").exists()
