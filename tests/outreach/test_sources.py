"""The `cases:NAME` and `training:学时|人次` sources, read with a Context built here: per assessed unit, what its
subtree did from 1 January of the scheme's year to the last day of its month; the levels; one query whatever the
number of units; an unknown name refused with the valid ones."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user
from tests.outreach.helpers import make_case, make_session
from zhaoshang.assessment import sources
from zhaoshang.assessment.sources import Context, UnknownSource
from zhaoshang.org.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


def context(county, units, month=date(2025, 6, 1), year=2025):
    return Context(owner=county.root, year=year, month=month, units=tuple(units))


@pytest.fixture
def cases(county):
    b = county.bureau
    make_case(b, county.town, date(2025, 1, 1), "中央")  # the first day of the year: counted
    make_case(b, county.town, date(2025, 6, 30), "省级")  # the last day of the month: counted
    make_case(b, county.town, date(2025, 7, 1), "省级")  # the next month: not counted
    make_case(b, county.town, date(2024, 12, 31), "中央")  # last year: not counted
    make_case(b, county.town_park, date(2025, 3, 10), "市级")  # below 甲镇: counted for 甲镇 too
    make_case(b, county.town_park, date(2025, 4, 10), "县级")
    make_case(b, county.other_town, date(2025, 5, 5), "县级")
    return county


def test_cases_count_a_units_subtree_within_the_year_up_to_the_month(cases):
    c = cases
    units = (c.town, c.town_park, c.other_town, c.team)
    got = sources.read("cases:全部", context(c, units)).by_unit
    assert got == {c.town.pk: D(4), c.town_park.pk: D(2), c.other_town.pk: D(1), c.team.pk: D(0)}
    got = sources.read("cases:全部", context(c, units, month=date(2025, 7, 1))).by_unit
    assert got[c.town.pk] == D(5)
    got = sources.read("cases:全部", context(c, units, month=date(2025, 2, 1))).by_unit
    assert got[c.town.pk] == D(1) and got[c.town_park.pk] == D(0)


def test_cases_by_level_and_above_province(cases):
    c = cases
    units = (c.town, c.town_park, c.other_town)

    def read(name):
        values = sources.read(f"cases:{name}", context(c, units)).by_unit
        return [values[u.pk] for u in units]

    assert read("中央") == [D(1), D(0), D(0)]
    assert read("省级") == [D(1), D(0), D(0)]
    assert read("市级") == [D(1), D(1), D(0)]
    assert read("县级") == [D(1), D(1), D(1)]
    assert read("省级以上") == [D(2), D(0), D(0)]


def test_an_unknown_name_is_refused_naming_the_valid_ones(county):
    with pytest.raises(UnknownSource, match="全部、中央、省级、市级、县级、省级以上"):
        sources.read("cases:国家级", context(county, (county.town,)))
    with pytest.raises(UnknownSource, match="学时、人次"):
        sources.read("training:小时", context(county, (county.town,)))


@pytest.fixture
def training(county):
    c = county
    park_user = make_user("park_reporter", c.town_park, Role.REPORTER)
    c.park_user = park_user
    make_session(c.bureau, c.root, date(2025, 1, 1), "3.5", [c.reporter, c.unit_head, park_user, c.outsider])
    make_session(c.bureau, c.root, date(2025, 6, 30), "2.0", [c.reporter, park_user])
    make_session(c.bureau, c.root, date(2025, 7, 1), "8.0", [c.reporter, c.outsider])  # after the month
    make_session(c.bureau, c.root, date(2024, 12, 31), "8.0", [c.reporter])  # last year
    return c


def test_training_hours_and_attendances_of_a_units_subtree(training):
    c = training
    units = (c.town, c.town_park, c.other_town, c.team)
    hours = sources.read("training:学时", context(c, units)).by_unit
    # 甲镇: reporter 3.5 + 2.0, unit head 3.5, 工业园's reporter 3.5 + 2.0 = 14.5; 工业园 5.5; 乙镇 3.5
    assert hours == {c.town.pk: D("14.5"), c.town_park.pk: D("5.5"), c.other_town.pk: D("3.5"), c.team.pk: D(0)}
    times = sources.read("training:人次", context(c, units)).by_unit
    assert times == {c.town.pk: D(5), c.town_park.pk: D(2), c.other_town.pk: D(1), c.team.pk: D(0)}
    july = sources.read("training:学时", context(c, units, month=date(2025, 7, 1))).by_unit
    assert july[c.town.pk] == D("22.5") and july[c.other_town.pk] == D("11.5")


def test_an_attendance_stays_with_the_unit_of_its_day(training):
    c = training
    c.reporter.memberships.update(unit=c.other_town)  # the reporter moves to 乙镇 afterwards
    hours = sources.read("training:学时", context(c, (c.town, c.other_town))).by_unit
    assert hours == {c.town.pk: D("14.5"), c.other_town.pk: D("3.5")}


def test_each_source_takes_one_query_whatever_the_number_of_units(training, cases):
    c = training
    for name in ("cases:全部", "cases:省级以上", "training:学时", "training:人次"):
        for units in ((c.town,), (c.town, c.town_park, c.other_town, c.team, c.department, c.bureau_unit)):
            with CaptureQueriesContext(connection) as queries:
                sources.read(name, context(c, units))
            assert len(queries) == 1, (name, len(units))


def test_another_countys_cases_are_not_read_by_a_countys_scheme(city):
    c = city.county
    make_case(city.n_bureau, city.n_town, date(2025, 3, 1))
    make_case(c.bureau, c.town, date(2025, 3, 1))
    got = sources.read("cases:全部", context(c, (c.root, c.town))).by_unit
    assert got == {c.root.pk: D(1), c.town.pk: D(1)}
    whole = Context(owner=city.root, year=2025, month=date(2025, 6, 1), units=(c.root, city.neighbour))
    assert sources.read("cases:全部", whole).by_unit == {c.root.pk: D(1), city.neighbour.pk: D(1)}


def test_the_levels_are_the_models():
    from zhaoshang.assessment.source_outreach import LEVELS
    from zhaoshang.outreach.models import CaseLevel

    assert LEVELS == CaseLevel.values
