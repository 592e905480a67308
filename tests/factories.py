"""Plain helpers that build test data through the product's own services (no mocks of our code)."""

from datetime import date
from decimal import Decimal

from zhaoshang.core.creditcode import check_character
from zhaoshang.org import tree
from zhaoshang.org.models import AssessmentGroup, Membership, Unit, User
from zhaoshang.progress import services as progress_services
from zhaoshang.projects import services

_counter = {"n": 0}


def make_unit(name, kind, parent=None, group=None) -> Unit:
    unit = Unit(name=name, kind=kind, parent=parent, group=group)
    tree.save_with_path(unit)
    return unit


def make_user(username, unit, role) -> User:
    user = User.objects.create_user(username=username, password="Test@12345", full_name=username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def credit_code(seed: int) -> str:
    body = f"91341122{seed:09d}"
    return body + check_character(body)


def default_signing_day() -> date:
    """15 January this year, or last 15 December in the first half of January (never in the future)."""
    today = date.today()
    return date(today.year, 1, 15) if today >= date(today.year, 1, 15) else date(today.year - 1, 12, 15)


def make_project(actor, unit, **overrides):
    _counter["n"] += 1
    n = _counter["n"]
    values = {
        "code": f"T{n:05d}",
        "name": f"测试项目{n}",
        "investor": f"测试投资有限公司{n}",
        "credit_code": credit_code(n),
        "funding_type": "内资",
        "responsible_unit": unit,
        "stage": "签约",
        "signed_on": default_signing_day(),
        "contract_amount": Decimal("5000"),
    }
    values.update(overrides)
    return services.project_create(actor=actor, values=values, source="command")


def make_group(name):
    return AssessmentGroup.objects.create(name=name)


def set_fiscal_revenue(actor, month, cumulative, growth_pct, region="测试县"):
    """The region's 财政收入 of the month (累计值, 同比增长 %), set through the progress service."""
    return progress_services.economic_figure_set(
        actor=actor,
        region=region,
        month=month,
        indicator="fiscal_revenue",
        cumulative=Decimal(cumulative),
        growth_pct=Decimal(growth_pct),
    )
