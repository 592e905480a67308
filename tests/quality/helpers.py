"""Building ledger rows for the anomaly rules through the product's own services, in last year (every month of it
past and open, whenever the tests run)."""

from datetime import date
from decimal import Decimal

from tests.factories import make_project
from zhaoshang.construction import services as construction
from zhaoshang.core.periods import today
from zhaoshang.projects import figures
from zhaoshang.projects import services as ledger
from zhaoshang.quality import services
from zhaoshang.quality.models import Flag

Y = today().year - 1


def month(m: int) -> date:
    return date(Y, m, 1)


def signed(c, unit=None, *, on=None, **values):
    """A project of `unit` (甲镇) signed on `on` (15 January last year)."""
    values.setdefault("signed_on", on or date(Y, 1, 15))
    return make_project(c.bureau, unit or c.town, **values)


def funds(c, project, m: int, amount) -> None:
    figures.monthly_funds_set(actor=c.bureau, project=project, month=month(m), amount=Decimal(str(amount)))


def drop(c, project, on: date) -> None:
    ledger.project_change_stage(actor=c.bureau, project=project, to_stage="终止", on_date=on, reason="投资方撤资")


def start(c, project, on: date) -> None:
    ledger.project_change_stage(actor=c.bureau, project=project, to_stage="注册", on_date=on)
    ledger.project_change_stage(actor=c.bureau, project=project, to_stage="开工", on_date=on)


def permit(c, project, done_on: date | None, filed_on: date = date(Y, 1, 20)):
    values = {"name": "建筑工程施工许可证核发", "filed_on": filed_on, "done_on": done_on}
    return construction.approval_step_create(actor=c.bureau, project=project, values=values, source="command")


def run(c):
    return services.run(root=c.root)


def flags(rule, **where):
    return list(Flag.objects.filter(rule=rule, **where).order_by("id"))
