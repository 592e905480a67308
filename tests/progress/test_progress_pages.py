"""The progress pages: who may see and change what, all-or-nothing grids, audit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.progress.models import Campaign, CampaignTarget, EconomicFigure, Target

pytestmark = pytest.mark.django_db
LAST = format_month(add_months(current_month(), -1))
YEAR = current_month().year


@pytest.mark.parametrize("name", ["dashboard", "targets", "campaign_list", "economy"])
def test_business_readers_see_the_progress_pages_and_others_do_not(county, client_for, name):
    for user in (county.leader, county.reporter, county.unit_head, county.bureau):
        assert client_for(user).get(reverse(name)).status_code == 200
    for user in (county.auditor, county.sysadmin):
        assert client_for(user).get(reverse(name)).status_code == 403
    assert client_for(None).get(reverse(name)).status_code == 302


def test_the_dashboard_shows_the_users_own_subtree_and_refuses_others(county, client_for):
    client = client_for(county.reporter)
    page = client.get(reverse("dashboard")).content.decode()
    assert "甲镇招商引资和项目建设驾驶舱" in page
    assert client.get(reverse("dashboard"), {"unit": county.other_town.pk}).status_code == 404
    assert client.get(reverse("dashboard"), {"month": format_month(add_months(current_month(), 1))}).status_code == 404
    leader = client_for(county.leader).get(reverse("dashboard"), {"month": LAST, "rank": "domestic_signed_count"})
    assert "测试县招商引资和项目建设驾驶舱" in leader.content.decode()


def test_every_indicator_drills_down(county, client_for):
    client = client_for(county.leader)
    page = client.get(
        reverse("indicator_detail", args=["domestic_signed_count"]), {"month": f"{county.project.signed_on:%Y-%m}"}
    ).content.decode()
    assert "甲镇" in page and "乙镇" in page
    projects = client.get(
        reverse("project_list"),
        {
            "unit": county.town.pk,
            "figure": "domestic_signed_count",
            "period": f"{county.project.signed_on:%Y-%m}",
            "span": "month",
        },
    )
    assert {p.code for p in projects.context["page"].object_list} == {county.project.code, county.park_project.code}
    assert "计入“签约内资项目”的项目" in projects.content.decode()


def test_the_bureau_sets_targets_all_or_nothing_and_audited(county, client_for):
    url = reverse("targets")
    good = {
        "year": YEAR,
        f"t-{county.town.pk}-domestic_signed_count": "10",
        f"t-{county.other_town.pk}-domestic_arrived_wan": "2,500.5",
    }
    assert client_for(county.leader).post(url, good).status_code == 403
    assert client_for(county.reporter).post(url, good).status_code == 403
    bad = {**good, f"t-{county.root.pk}-domestic_signed_count": "2.5"}
    response = client_for(county.bureau).post(url, bad)
    assert response.status_code == 400 and "个数应为整数" in response.content.decode()
    assert not Target.objects.exists()
    assert client_for(county.bureau).post(url, good).status_code == 302
    assert Target.objects.get(unit=county.other_town, indicator="domestic_arrived_wan").value == Decimal("2500.50")
    entries = AuditEntry.objects.filter(action="target.set")
    assert entries.count() == 2 and {e.unit for e in entries} == {county.town, county.other_town}
    # clearing a cell removes the target
    client_for(county.bureau).post(url, {"year": YEAR, f"t-{county.town.pk}-domestic_signed_count": ""})
    assert not Target.objects.filter(unit=county.town).exists()


def test_the_bureau_splits_a_target_by_month(county, client_for):
    client = client_for(county.bureau)
    client.post(reverse("targets"), {"year": YEAR, f"t-{county.town.pk}-domestic_arrived_wan": "1200"})
    shares = {f"split-{m}": str(m * 5 if m < 12 else 100) for m in range(1, 13)}
    client.post(
        reverse("targets"),
        {"year": YEAR, "split": "1", "split_unit": county.town.pk, "split_indicator": "domestic_arrived_wan", **shares},
    )
    target = Target.objects.get(unit=county.town)
    assert [Decimal(s) for s in target.monthly][:2] == [Decimal("0.05"), Decimal("0.1")]
    bad = {**shares, "split-3": "1"}  # decreasing
    response = client.post(
        reverse("targets"),
        {"year": YEAR, "split": "1", "split_unit": county.town.pk, "split_indicator": "domestic_arrived_wan", **bad},
        follow=True,
    )
    assert "不减少" in response.content.decode()


def test_campaigns_are_created_by_the_bureau_with_their_targets(county, client_for):
    data = {"name": "夏季攻势", "start_month": f"{YEAR}-05", "end_month": f"{YEAR}-07", "description": ""}
    assert client_for(county.leader).post(reverse("campaign_list"), data).status_code == 403
    wrong = client_for(county.bureau).post(reverse("campaign_list"), {**data, "end_month": f"{YEAR}-03"})
    assert "结束月份不能早于开始月份" in wrong.content.decode()
    assert client_for(county.bureau).post(reverse("campaign_list"), data).status_code == 302
    campaign = Campaign.objects.get()
    url = reverse("campaign_targets", args=[campaign.pk])
    assert client_for(county.leader).get(url).status_code == 403
    client_for(county.bureau).post(url, {f"c-{county.town.pk}-domestic_signed_count": "3"})
    assert CampaignTarget.objects.get().value == 3
    page = (
        client_for(county.leader)
        .get(reverse("campaign_detail", args=[campaign.pk]), {"month": f"{YEAR}-06"})
        .content.decode()
    )
    assert "已进行 2/3 个月" in page and "甲镇" in page


def test_economic_figures_rank_the_county_in_the_city(county, client_for):
    client = client_for(county.bureau)
    for region, growth in (("测试县", "8.5"), ("东城区", "9.1"), ("西山县", "-2.0")):
        assert (
            client.post(
                reverse("economy"),
                {
                    "region": region,
                    "month": LAST,
                    "indicator": "fiscal_revenue",
                    "cumulative": "120000",
                    "growth_pct": growth,
                },
            ).status_code
            == 302
        )
    page = client_for(county.leader).get(reverse("economy"), {"month": LAST}).content.decode()
    assert "财政收入 12.00亿元，增长8.5%，位居全市第2" in page
    assert client_for(county.leader).post(reverse("economy"), {}).status_code == 403
    assert EconomicFigure.objects.count() == 3 and AuditEntry.objects.filter(action="economy.set").count() == 3


def test_the_bureau_sets_the_red_and_black_list_sizes(county, client_for):
    group = county.town.group
    url = reverse("group_lists")
    assert client_for(county.leader).get(url).status_code == 403
    others = {f"red-{g.pk}": g.red_top_n for g in type(group).objects.exclude(pk=group.pk)}
    others.update({f"black-{g.pk}": g.black_bottom_m for g in type(group).objects.exclude(pk=group.pk)})
    bad = client_for(county.bureau).post(url, {**others, f"red-{group.pk}": "x", f"black-{group.pk}": "1"})
    assert bad.status_code == 400 and "整数" in bad.content.decode()
    client_for(county.bureau).post(url, {**others, f"red-{group.pk}": "4", f"black-{group.pk}": "1"})
    group.refresh_from_db()
    assert (group.red_top_n, group.black_bottom_m) == (4, 1)
    assert AuditEntry.objects.get(action="group.updated").data["red_top_n"] == [3, 4]
