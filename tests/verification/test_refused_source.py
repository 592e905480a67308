"""`refused:签约|开工|投产|到位资金|全部`: the standing 不予认定 items of each assessed unit's subtree, January to the
scheme's month, within the scheme owner's subtree."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project
from tests.verification.helpers import FEB, JAN, MAR, funds
from zhaoshang.assessment import sources
from zhaoshang.assessment.sources import Context, UnknownSource
from zhaoshang.verification.services import item_decide


def context(owner, units, month=MAR, year=2026):
    return Context(owner=owner, year=year, month=month, units=tuple(units))


def refuse(actor, project, kind, month=None):
    item_decide(actor=actor, project=project, kind=kind, month=month, passed=False, reason="材料不实")


@pytest.fixture
def refusals(county):
    b = county.bureau
    started = make_project(b, county.town_park, stage="开工", signed_on=date(2026, 1, 20), started_on=date(2026, 2, 5))
    funds(b, county.project, JAN, "10")
    funds(b, county.project, MAR, "10")
    funds(b, county.project, date(2026, 4, 1), "10")
    funds(b, county.other_project, FEB, "30")
    refuse(b, county.project, "signing")  # 甲镇, January
    refuse(b, county.project, "funds", JAN)  # 甲镇
    refuse(b, county.project, "funds", MAR)  # 甲镇, later corrected: no longer counts
    refuse(b, county.project, "funds", date(2026, 4, 1))  # after the scheme's month
    refuse(b, started, "start")  # 甲镇工业园, in 甲镇's subtree
    refuse(b, county.other_project, "funds", FEB)  # 乙镇
    funds(b, county.project, MAR, "12")  # corrected after the refusal: 待认定 again
    return county


def test_it_counts_each_units_standing_refusals_up_to_the_schemes_month(refusals):
    c = refusals
    units = (c.town, c.town_park, c.other_town)
    assert sources.read("refused:全部", context(c.root, units)).by_unit == {
        c.town.pk: D(3),  # its signing, its January funds, and the park's start (its subtree)
        c.town_park.pk: D(1),
        c.other_town.pk: D(1),
    }
    assert sources.read("refused:到位资金", context(c.root, units)).by_unit == {
        c.town.pk: D(1),
        c.town_park.pk: D(0),
        c.other_town.pk: D(1),
    }
    assert sources.read("refused:签约", context(c.root, units)).by_unit[c.town.pk] == D(1)
    assert sources.read("refused:开工", context(c.root, units)).by_unit[c.town_park.pk] == D(1)
    assert sources.read("refused:投产", context(c.root, units)).by_unit[c.town.pk] == D(0)
    assert sources.read("refused:全部", context(c.root, units, month=JAN)).by_unit[c.town.pk] == D(2)
    assert sources.read("refused:全部", context(c.root, units, month=date(2026, 4, 1))).by_unit[c.town.pk] == D(4)


def test_it_reads_in_two_queries_whatever_the_number_of_units(refusals):
    c = refusals
    for units in ((c.town,), (c.town, c.town_park, c.other_town, c.team, c.department, c.bureau_unit)):
        with CaptureQueriesContext(connection) as queries:
            sources.read("refused:全部", context(c.root, units))
        assert len(queries) == 2, len(units)


def test_an_unknown_name_is_refused_naming_the_ones_there_are(county):
    with pytest.raises(UnknownSource, match="签约、开工、投产、到位资金、全部"):
        sources.read("refused:虚报", context(county.root, (county.town,)))


def test_another_countys_refusals_are_not_read_by_a_countys_scheme(city):
    c = city.county
    funds(city.n_bureau, city.n_project, JAN, "5")
    refuse(city.n_bureau, city.n_project, "funds", JAN)
    refuse(c.bureau, c.project, "signing")
    assert sources.read("refused:全部", context(c.root, (c.root,))).by_unit == {c.root.pk: D(1)}
    whole = context(city.root, (c.root, city.neighbour))
    assert sources.read("refused:全部", whole).by_unit == {c.root.pk: D(1), city.neighbour.pk: D(1)}


def test_the_scheme_page_offers_the_source(county, client_for):
    assert "refused" in sources.KIND_LABELS
    assert "不予认定事项数" in sources.KIND_LABELS["refused"]
