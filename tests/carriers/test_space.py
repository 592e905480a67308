"""Occupancy arithmetic against figures worked out by hand: space in force on a day, 迁出, 台账外, over-full refused
(on the move-in day and on a later day another project arrives), 亩均 against the thresholds; the same on SQLite and
PostgreSQL (space.with_space's Case/Greatest); who may place which project; the audit; deletion refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.carriers.helpers import D, days_ago, make_carrier, place
from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.carriers import queries, services, space
from zhaoshang.carriers.models import Carrier
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import month_start
from zhaoshang.projects.services import project_change_stage

pytestmark = pytest.mark.django_db


def spaced(carrier, on):
    return space.with_space(Carrier.objects.filter(pk=carrier.pk), on).get()


def test_space_in_force_on_a_day_with_moving_out_and_before_the_ledger(county):
    carrier = make_carrier(county.bureau, county.town)  # 100 亩, 台账外 10 亩; 20000 ㎡, 台账外 2000 ㎡
    place(county.bureau, carrier, county.project, land=30, floor=5000, moved_in=days_ago(60))
    second = make_project(county.bureau, county.town)
    place(county.bureau, carrier, second, land=20, moved_in=days_ago(40), moved_out=days_ago(10))

    before_any = spaced(carrier, days_ago(61))
    assert (before_any.taken_mu, before_any.available_mu) == (D("10"), D("90"))
    assert (before_any.taken_m2, before_any.available_m2) == (D("2000"), D("18000"))
    both = spaced(carrier, days_ago(20))  # 10 + 30 + 20
    assert (both.taken_mu, both.available_mu) == (D("60"), D("40"))
    assert (both.taken_m2, both.available_m2) == (D("7000"), D("13000"))
    left_day = spaced(carrier, days_ago(10))  # the day it moved out its land is free again
    assert (left_day.taken_mu, left_day.available_mu) == (D("40"), D("60"))
    assert space.use_rate(left_day.taken_mu, carrier.land_mu) == D("40")


def test_a_carrier_without_land_has_no_land_available_on_either_database(county):
    carrier = make_carrier(county.bureau, county.town, land_mu=None, occupied_before_mu=D("0"))
    row = spaced(carrier, days_ago(0))
    assert row.available_mu is None and row.available_m2 == D("18000")


def test_taking_more_than_is_left_is_refused_naming_what_is_left(county):
    carrier = make_carrier(county.bureau, county.town)
    place(county.bureau, carrier, county.project, land=30, moved_in=days_ago(60))
    other = make_project(county.bureau, county.town)
    with pytest.raises(ValidationError) as refused:
        place(county.bureau, carrier, other, land="60.5", moved_in=days_ago(5))
    text = refused.value.message_dict["land_mu"][0]
    assert "仅剩 60 亩" in text and "台账外已用 10 亩" in text and "其他在驻项目已用 30 亩" in text
    assert place(county.bureau, carrier, other, land=60, moved_in=days_ago(5)).pk  # exactly what is left
    assert spaced(carrier, days_ago(0)).available_mu == D("0")


def test_an_earlier_move_in_is_refused_when_a_later_arrival_leaves_too_little(county):
    carrier = make_carrier(county.bureau, county.town, land_mu=D("100"), occupied_before_mu=D("0"))
    place(county.bureau, carrier, county.project, land=80, moved_in=days_ago(10))
    other = make_project(county.bureau, county.town)
    with pytest.raises(ValidationError) as refused:  # 100 left on day -30, but only 20 from day -10 on
        place(county.bureau, carrier, other, land=50, moved_in=days_ago(30))
    assert f"{days_ago(10):%Y-%m-%d}起仅剩 20 亩" in refused.value.message_dict["land_mu"][0]
    # gone before the other arrives: it fits
    assert place(county.bureau, carrier, other, land=50, moved_in=days_ago(30), moved_out=days_ago(10)).pk


def test_moving_out_frees_the_space_for_the_next(county):
    carrier = make_carrier(county.bureau, county.town, land_mu=D("50"), occupied_before_mu=D("0"))
    first = place(county.bureau, carrier, county.project, land=50, moved_in=days_ago(30))
    other = make_project(county.bureau, county.town)
    with pytest.raises(ValidationError):
        place(county.bureau, carrier, other, land=10, moved_in=days_ago(2))
    services.occupancy_end(actor=county.bureau, occupancy=first, moved_out_on=days_ago(3))
    assert place(county.bureau, carrier, other, land=50, moved_in=days_ago(2)).pk
    assert AuditEntry.objects.filter(action="occupancy.updated", data__moved_out_on=[None, days_ago(3).isoformat()])


def test_per_mu_figures_against_the_thresholds(county):
    carrier = make_carrier(county.bureau, county.town)  # requires 300 万元/亩 investment, 15 万元/亩 tax
    project = make_project(county.bureau, county.town, planned_total=Decimal("6000"))
    place(county.bureau, carrier, project, land=25, floor=1000, tax=400)
    row = next(r for r in queries.occupancies_of(carrier, county.bureau) if r.project_id == project.pk)
    assert row.investment_per_mu == D("240") and row.investment_ok is False  # 6000 ÷ 25
    assert row.tax_per_mu == D("16") and row.tax_ok is True  # 400 ÷ 25
    assert row.tax_per_m2 == D("4000") and row.tax_m2_ok is None  # 400 万元 ÷ 1000 ㎡; no requirement set


def test_an_area_must_be_given_and_the_carrier_must_have_that_space(county):
    carrier = make_carrier(county.bureau, county.town, building_m2=None, occupied_before_m2=D("0"))
    with pytest.raises(ValidationError) as refused:
        place(county.bureau, carrier, county.project)
    assert "请填写用地（亩）或使用面积（㎡）" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        place(county.bureau, carrier, county.project, floor=100)
    assert "该载体未登记建筑面积" in refused.value.message_dict["floor_m2"][0]


def test_only_a_live_readable_project_of_the_carriers_county(city):
    county = city.county
    carrier = make_carrier(county.bureau, county.town)
    with pytest.raises(ValidationError):  # the neighbouring county's project, even for the city's bureau
        place(city.city_bureau, carrier, city.n_project, land=1)
    with pytest.raises(ValidationError):  # 乙镇's project: the 甲镇 reporter does not read it
        place(county.reporter, carrier, county.other_project, land=1)
    assert place(county.reporter, carrier, county.project, land=1).pk
    dropped = make_project(county.bureau, county.town)
    project_change_stage(
        actor=county.bureau, project=dropped, to_stage="终止", on_date=days_ago(1), reason="投资方撤资"
    )
    with pytest.raises(ValidationError) as refused:
        place(county.bureau, carrier, dropped, land=1)
    assert "已终止" in str(refused.value)


def test_writers_of_the_carriers_unit_only(county):
    carrier = make_carrier(county.bureau, county.town)
    for user in (county.outsider, county.leader):
        with pytest.raises(PermissionDenied):
            place(user, carrier, county.project, land=1)
        with pytest.raises(PermissionDenied):
            services.carrier_save(actor=user, carrier=carrier, values={"rent_yuan_m2_month": D("1")})


def test_a_move_in_in_a_closed_month_is_refused(county):
    carrier = make_carrier(county.bureau, county.town)
    day = days_ago(70)
    month_close(actor=county.bureau, month=month_start(day), unit=county.root)
    with pytest.raises(ValidationError) as refused:
        place(county.bureau, carrier, county.project, land=1, moved_in=day)
    assert "已关账" in str(refused.value)


def test_a_carrier_with_occupancies_cannot_be_deleted_and_writes_are_audited(county):
    carrier = make_carrier(county.reporter, county.town)
    occupancy = place(county.reporter, carrier, county.project, land=5)
    with pytest.raises(ValidationError) as refused:
        services.carrier_delete(actor=county.reporter, carrier=carrier)
    assert "1 条入驻记录" in str(refused.value)
    services.occupancy_delete(actor=county.reporter, occupancy=occupancy)
    services.carrier_delete(actor=county.reporter, carrier=carrier)
    assert not Carrier.objects.exists()
    actions = list(AuditEntry.objects.filter(actor=county.reporter).order_by("pk").values_list("action", flat=True))
    assert actions == ["carrier.created", "occupancy.created", "occupancy.deleted", "carrier.deleted"]
    created = AuditEntry.objects.get(action="occupancy.created")
    assert created.data["project"] == [None, county.project.code] and created.unit == county.town
