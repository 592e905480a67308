"""Reading on a basis: 申报 (as entered) or 认定 (verified only); the install's setting picks the counted one for
rankings and rates, the other is shown beside it; the bulletin JSON has both; the cached pages follow a decision
and a change of the setting at once."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.projects.test_verified_totals import LAST, decide
from zhaoshang.assessment import sources
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.core.periods import format_month
from zhaoshang.org.models import Unit
from zhaoshang.progress.report import period_report
from zhaoshang.projects import figures
from zhaoshang.projects.models import VerificationRules

pytestmark = pytest.mark.django_db
CODE = "domestic_contract_wan"  # no targets in these tests: ranked by the figure itself


def _order(report):
    (towns,) = [g for g in report.ranking(CODE) if g.group.name == "乡镇组"]
    return [(r.unit.name, r.rank, r.progress.ytd, r.progress.beside_ytd) for r in towns.rows]


def _count_verified(county):
    VerificationRules.objects.update_or_create(root=county.root, defaults={"counted": "verified"})


def test_the_setting_switches_the_ranking(county):
    # 甲镇's subtree declared 10000 (its project and its park's), nothing verified; 乙镇 5000, verified.
    decide(county.other_project, "signing")
    report = period_report(county.root, LAST)
    assert report.counted == "declared"
    assert _order(report) == [
        ("甲镇", 1, Decimal("10000"), Decimal("0")),
        ("乙镇", 2, Decimal("5000"), Decimal("5000")),
    ]
    root = report.progress(county.root, CODE)
    assert (root.ytd, root.beside_ytd, root.beside_label) == (Decimal("15000"), Decimal("5000"), "认定")
    # 完成投资 and the front line have one figure: nothing beside
    assert report.progress(county.root, "key_done_wan").beside_ytd is None

    _count_verified(county)
    report = period_report(county.root, LAST)
    assert report.counted == "verified"
    assert _order(report) == [
        ("乙镇", 1, Decimal("5000"), Decimal("5000")),
        ("甲镇", 2, Decimal("0"), Decimal("10000")),
    ]
    assert report.progress(county.root, CODE).beside_label == "申报"


def test_bulletin_json_has_both(county):
    decide(county.other_project, "signing")
    # the bulletin ranks by 到位资金: 甲镇 300 undecided, 乙镇 100 verified
    figures.monthly_funds_set(actor=county.bureau, project=county.project, month=LAST, amount=Decimal("300"))
    figures.monthly_funds_set(actor=county.bureau, project=county.other_project, month=LAST, amount=Decimal("100"))
    decide(county.other_project, "funds", month=LAST)
    snapshot = build_snapshot(county.root, LAST)
    assert snapshot["counted"] == "declared"
    units = {u["name"]: u for u in snapshot["units"]}
    assert units["甲镇"]["figures"][CODE] == "10000.00"
    assert Decimal(str(units["甲镇"]["verified_figures"][CODE])) == 0
    assert units["乙镇"]["verified_figures"]["domestic_signed_count"] == 1
    assert set(units["乙镇"]["verified_figures"]) == set(units["乙镇"]["figures"])
    assert (snapshot["figures"][CODE], snapshot["verified_figures"][CODE]) == ("15000.00", "5000.00")
    assert (units["甲镇"]["rank"], units["乙镇"]["rank"]) == (1, 2)
    assert units["乙镇"]["verified_figures"]["domestic_arrived_wan"] == "100.00"

    _count_verified(county)
    snapshot = build_snapshot(county.root, LAST)
    units = {u["name"]: u for u in snapshot["units"]}
    # `figures` stays 申报; the rankings follow 认定
    assert snapshot["counted"] == "verified"
    assert units["甲镇"]["figures"][CODE] == "10000.00"
    assert (units["乙镇"]["rank"], units["甲镇"]["rank"]) == (1, 2)


def test_cached_dashboard_follows_a_decision_and_the_setting(county, client_for):
    client = client_for(county.bureau)
    query = {"month": format_month(LAST), "rank": CODE}

    def towns():
        response = client.get(reverse("dashboard"), query)
        assert response.status_code == 200
        (group,) = [g for g in response.context["rankings"] if g.group.name == "乡镇组"]
        return [(r.unit.name, r.progress.ytd, r.progress.beside_ytd) for r in group.rows], response

    assert towns()[0] == [("甲镇", Decimal("10000"), Decimal("0")), ("乙镇", Decimal("5000"), Decimal("0"))]
    decide(county.other_project, "signing")
    rows, response = towns()
    assert rows == [("甲镇", Decimal("10000"), Decimal("0")), ("乙镇", Decimal("5000"), Decimal("5000"))]
    # the card of 协议资金: 1.50 亿元 declared, 0.50 verified
    assert '1.50<small>亿元</small><small class="beside">认定 0.50</small>' in response.content.decode()
    _count_verified(county)
    rows, response = towns()
    assert rows == [("乙镇", Decimal("5000"), Decimal("5000")), ("甲镇", Decimal("0"), Decimal("10000"))]
    assert "按<strong>认定数</strong>计" in response.content.decode()


def test_drill_down_shows_the_other_figure(county, client_for):
    decide(county.other_project, "signing")
    response = client_for(county.bureau).get(reverse("indicator_detail", args=[CODE]), {"month": format_month(LAST)})
    assert response.status_code == 200
    assert 'class="beside">认定' in response.content.decode()


def test_assessment_verified_source(county):
    decide(county.other_project, "signing")
    towns = (Unit.objects.get(pk=county.town.pk), Unit.objects.get(pk=county.other_town.pk))
    context = sources.Context(owner=county.root, year=LAST.year, month=LAST, units=towns)
    declared = sources.read(f"indicator:{CODE}", context).by_unit
    verified = sources.read(f"verified:{CODE}", context).by_unit
    assert declared == {county.town.pk: Decimal("10000"), county.other_town.pk: Decimal("5000")}
    assert verified == {county.town.pk: Decimal("0"), county.other_town.pk: Decimal("5000")}
    assert "verified" in sources.KIND_LABELS


def test_a_city_reads_each_county_on_its_own_figures(city, client_for):
    """The neighbour's bureau never sees 测试县's verified figures: its report holds only its own subtree."""
    decide(city.county.other_project, "signing")
    report = period_report(city.neighbour, LAST)
    assert city.county.other_town.pk not in report.other_figures
    response = client_for(city.n_bureau).get(reverse("indicator_detail", args=[CODE]), {"unit": city.county.root.pk})
    assert response.status_code in (403, 404)
    body = json.dumps(build_snapshot(city.neighbour, LAST), ensure_ascii=False)
    assert "乙镇" not in body
