"""The words leaders read about targets and scope: a target of 0 is a target (目标为0, no share), a target issued
for another of the domestic indicators is named instead of 全年目标任务尚未下达, the area is named as the unit
it is (全县 / 全区 / 全市 / the unit's name), and one team's bulletin speaks of that team."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import default_signing_day, make_unit
from zhaoshang.bulletins import text
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.core.periods import today
from zhaoshang.core.wording import area_words
from zhaoshang.progress import services as progress_services

Y = today().year - 1
JUNE = date(Y, 6, 1)


def test_a_zero_target_is_a_target():
    zero = {"completion_rate": None, "schedule_gap_pp": None, "ytd": "120", "target": "0.00"}
    assert text.share_of_target(zero) == "全年目标任务为0"
    assert text.share_of_target({**zero, "target": None}) == "全年目标任务尚未下达"


@pytest.mark.django_db
def test_the_bulletin_says_a_zero_target_was_issued(county):
    progress_services.targets_save(
        actor=county.bureau, year=Y, cells={(county.root, "domestic_arrived_wan"): Decimal(0)}
    )
    words = text.bulletin_text(build_snapshot(county.root, JUNE))
    assert "实际到位内资0.00亿元，全年实际到位内资目标任务为0；" in words
    assert "实际到位内资目标任务尚未下达" not in words


@pytest.mark.django_db
def test_a_target_issued_for_signings_is_not_worded_as_none_issued(county):
    progress_services.targets_save(
        actor=county.bureau,
        year=Y,
        cells={(county.root, "domestic_signed_count"): Decimal(10), (county.root, "domestic_contract_wan"): 5000},
    )
    words = text.bulletin_text(build_snapshot(county.root, JUNE))
    assert (
        "实际到位内资0.00亿元，签约内资项目仅占全年目标任务的0.0%，低于序时进度50.0个百分点，"
        "内资协议资金仅占全年目标任务的0.0%，低于序时进度50.0个百分点，实际到位内资全年目标任务尚未下达；"
    ) in words


@pytest.mark.parametrize(
    "kind, name, words",
    [("县区", "示范县", "全县"), ("县区", "城东区", "全区"), ("县区", "示范市", "全市"), ("市", "测试市", "全市")]
    + [("乡镇", "甲镇", "甲镇"), ("招商小分队", "第一招商小分队", "第一招商小分队")],
)
def test_the_area_is_named_as_the_unit_it_is(kind, name, words):
    assert area_words(kind, name) == words


@pytest.mark.django_db
def test_one_teams_bulletin_speaks_of_that_team(county):
    month = date(default_signing_day().year, default_signing_day().month, 1)  # county.project's signing month
    words = text.bulletin_text(build_snapshot(county.team, month))
    assert "第一招商小分队有新签约项目。" in words
    assert "1个招商小分队" not in words
    assert text.teams_paragraph(
        {"unit_kind": "招商小分队", "teams": {"total": 1, "with_signing": 0, "without_progress": 1}},
        "1-4月",
        "某小分队",
    ) == ("1-4月，某小分队无新签约项目，未有实质性进展。")


@pytest.mark.django_db
def test_a_dashboard_names_its_own_scope(county, client_for):
    district = make_unit("城东区", "县区", county.root, None)
    month = f"{default_signing_day():%Y-%m}"
    page = client_for(county.leader).get(reverse("dashboard"), {"unit": county.town.pk, "month": month})
    assert "甲镇没有招商小分队。" in page.content.decode()
    assert "全县" not in page.content.decode()
    make_unit("城东区招商小分队", "招商小分队", district, None)
    page = client_for(county.leader).get(reverse("dashboard"), {"unit": district.pk, "month": month})
    assert "月，全区 <strong>1</strong> 个招商小分队中" in page.content.decode()
    page = client_for(county.leader).get(reverse("dashboard"), {"unit": county.team.pk, "month": month}).content
    assert "月，第一招商小分队有新签约项目" in page.decode() and "个招商小分队中" not in page.decode()


@pytest.mark.django_db
def test_a_zero_target_reads_0_and_no_rate_on_the_pages(county, client_for):
    progress_services.targets_save(
        actor=county.bureau, year=Y, cells={(county.town, "domestic_signed_count"): Decimal(0)}
    )
    page = client_for(county.leader).get(
        reverse("indicator_detail", args=["domestic_signed_count"]), {"month": f"{Y}-06", "unit": county.root.pk}
    )
    row = next(r for r in page.content.decode().split("<tr") if ">甲镇</a>" in r)
    assert "目标为0" in row and "无目标" not in row and "未设目标" not in row
