"""Ranks with ties (competition ranking, 1, 2, 2, 4) and the red and black lists at their boundaries: every unit
tied at the top-N or bottom-M line is on the list. A unit without an assessment group (不参与考核) is never
ranked, lit or listed. The period is June of last year (序时进度 50%)."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_group, make_project, make_unit
from zhaoshang.bulletins.meetings import review
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.bulletins.tables import lists_table
from zhaoshang.core.periods import today
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.campaigns import campaign_progress
from zhaoshang.progress.models import Campaign
from zhaoshang.progress.report import period_report
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db
Y = today().year - 1
JUNE = date(Y, 6, 1)


def _arrived(bureau, unit, amount):
    project = make_project(bureau, unit, signed_on=date(Y, 1, 10))
    if amount:
        figures.monthly_funds_set(actor=bureau, project=project, month=date(Y, 3, 1), amount=Decimal(amount))


@pytest.fixture
def departments(county):
    """五个部门 of one group, each with a target of 1,000 万元: 60%, 40%, and three at 0% (all lit red)."""
    group = make_group("测试部门组")
    units = {name: make_unit(name, "部门", county.root, group) for name in ("一局", "二局", "三局", "四局", "五局")}
    office = make_unit("招商办", "部门", county.root, None)  # 不参与考核
    for name, amount in (("一局", "600"), ("二局", "400"), ("三局", None), ("四局", None), ("五局", None)):
        _arrived(county.bureau, units[name], amount)
    _arrived(county.bureau, office, None)
    cells = {(u, "domestic_arrived_wan"): Decimal(1000) for u in [*units.values(), office]}
    progress_services.targets_save(actor=county.bureau, year=Y, cells=cells)
    return {"group": group, "office": office, **units}


def _group(report, name):
    (ranking,) = [g for g in report.ranking("domestic_arrived_wan") if g.group.name == name]
    return ranking


def test_it_puts_every_unit_tied_at_the_bottom_on_the_black_list(county, departments):
    ranking = _group(period_report(county.root, JUNE), "测试部门组")
    ranks = {r.unit.name: r.rank for r in ranking.rows}
    assert ranks == {"一局": 1, "二局": 2, "三局": 3, "四局": 3, "五局": 3}
    assert all(r.progress.light == "red" for r in ranking.rows[2:])
    assert {r.unit.name for r in ranking.black_list} == {"三局", "四局", "五局"}  # M = 2, three tied at the line
    assert [r.unit.name for r in ranking.red_list] == ["一局"]  # 二局 is behind 序时进度


def test_it_puts_a_tie_straddling_the_bottom_line_on_the_black_list(county, departments):
    group = departments["group"]
    group.black_bottom_m = 1
    group.save()
    ranking = _group(period_report(county.root, JUNE), "测试部门组")
    assert {r.unit.name for r in ranking.black_list} == {"三局", "四局", "五局"}
    group.black_bottom_m = 0
    group.save()
    assert _group(period_report(county.root, JUNE), "测试部门组").black_list == []


def test_it_puts_every_unit_tied_at_the_top_line_on_the_red_list(county, departments):
    _arrived(county.bureau, departments["二局"], "200")  # 二局 now 600 too: 60%, tied with 一局
    group = departments["group"]
    group.red_top_n = 1
    group.save()
    ranking = _group(period_report(county.root, JUNE), "测试部门组")
    assert [(r.unit.name, r.rank) for r in ranking.rows[:2]] == [("一局", 1), ("二局", 1)]
    assert [r.unit.name for r in ranking.red_list] == ["一局", "二局"]


def test_the_bulletin_lists_the_tied_units_on_its_black_list(county, departments):
    snapshot = build_snapshot(county.root, JUNE)
    rows = {row.values[0]: row.values for row in lists_table(snapshot).rows}
    assert set(rows["测试部门组"][2].split("、")) == {"三局", "四局", "五局"}


def test_a_unit_without_a_group_is_never_ranked_lit_or_listed(county, departments):
    office = departments["office"]
    report = period_report(county.root, JUNE)
    ranked = [r.unit for g in report.ranking("domestic_arrived_wan") for r in g.rows]
    assert office not in ranked
    snapshot = build_snapshot(county.root, JUNE, report)
    (entry,) = [u for u in snapshot["units"] if u["name"] == "招商办"]
    assert entry["group"] is None and entry["assessed"] is False
    assert (entry["rank"], entry["light"], entry["red"], entry["black"]) == (None, None, False, False)
    assert "招商办" not in "".join(v for row in lists_table(snapshot).rows for v in row.values)
    behind = next(t for t in review(county.root, JUNE).tables if t.title == "低于序时进度的单位")
    assert "招商办" not in [row.values[1] for row in behind.rows]
    assert "三局" in [row.values[1] for row in behind.rows]


def test_a_campaign_never_ranks_a_unit_without_a_group(county, departments):
    campaign = progress_services.campaign_save(
        actor=county.bureau,
        campaign=Campaign(name="夏季攻势", owner=county.root, start_month=date(Y, 3, 1), end_month=date(Y, 5, 1)),
    )
    cells = {(departments[n], "domestic_arrived_wan"): Decimal(100) for n in ("一局", "二局", "三局")}
    cells[(departments["office"], "domestic_arrived_wan")] = Decimal(100)
    progress_services.campaign_targets_save(actor=county.bureau, campaign=campaign, cells=cells)
    rows = {row.unit.name: row.rank for row in campaign_progress(campaign, county.root, JUNE).rows}
    assert rows == {"一局": 1, "二局": 2, "三局": 3, "招商办": None}
