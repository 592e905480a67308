"""Setups and checks for the 数据质量 rows of the permission matrix (tests/org/test_permissions.py): `records`
raises a 到位资金超协议资金 flag on 甲镇's project, on 甲镇工业园's and on 乙镇's (555 arrived on a 100 contract)."""

from decimal import Decimal

from zhaoshang.core.periods import add_months, current_month
from zhaoshang.projects import figures
from zhaoshang.projects import services as ledger
from zhaoshang.quality import services
from zhaoshang.quality.models import Flag, FlagStatus, RuleSetting

EXPLANATION = "权限矩阵说明"
NOTE = "权限矩阵关闭"


def records(c):
    month = add_months(current_month(), -1)
    for project in (c.project, c.park_project, c.other_project):
        ledger.project_update(actor=c.bureau, project=project, values={"contract_amount": Decimal(100)})
        project.refresh_from_db()
        figures.monthly_funds_set(actor=c.bureau, project=project, month=month, amount=Decimal(555))
    services.run()


def town_flag_pk(c) -> int:
    return Flag.objects.get(project=c.project).pk


def park_flag_pk(c) -> int:
    return Flag.objects.get(project=c.park_project).pk


def explain_data(c):
    return {"explanation": EXPLANATION}


def explained(which):
    return lambda c: Flag.objects.filter(
        project=getattr(c, which), status=FlagStatus.EXPLAINED, explanation=EXPLANATION
    ).exists()


def close_data(c):
    return {"note": NOTE}


def closed(c) -> bool:
    return Flag.objects.filter(project=c.project, status=FlagStatus.CLOSED, close_note=NOTE).exists()


def settings_data(c):
    return {"spike-enabled": "on", "spike-ratio": "8", "spike-count": "3"}


def settings_saved(c) -> bool:
    return RuleSetting.objects.exists()
