"""Carriers and occupancies made through the product's own services, for the carriers tests."""

from datetime import timedelta
from decimal import Decimal

from zhaoshang.carriers import services
from zhaoshang.core.periods import today

D = Decimal


def days_ago(n: int):
    return today() - timedelta(days=n)


def make_carrier(actor, unit, name="甲镇标准化厂房一期", **over):
    values = {
        "unit": unit,
        "name": name,
        "kind": "标准化厂房",
        "land_mu": D("100"),
        "building_m2": D("20000"),
        "occupied_before_mu": D("10"),
        "occupied_before_m2": D("2000"),
        "rent_yuan_m2_month": D("12"),
        "min_investment_wan_mu": D("300"),
        "min_tax_wan_mu": D("15"),
        **over,
    }
    return services.carrier_save(actor=actor, values=values)


def place(actor, carrier, project, *, land=None, floor=None, moved_in=None, moved_out=None, tax=None):
    return services.occupancy_save(
        actor=actor,
        carrier=carrier,
        values={
            "project": project,
            "land_mu": None if land is None else D(str(land)),
            "floor_m2": None if floor is None else D(str(floor)),
            "moved_in_on": moved_in or days_ago(30),
            "moved_out_on": moved_out,
            "annual_tax_wan": None if tax is None else D(str(tax)),
        },
    )
