"""Setups and checks for the 认定 rows of the permission matrix (tests/org/test_permissions.py): 甲镇's project has
last month's 到位资金 with its receipt, so the item may be passed; a grant of the 认定 role to 甲镇's unit head."""

from decimal import Decimal

from tests.verification.helpers import attach
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.figures import monthly_funds_set
from zhaoshang.projects.models import Verification, VerificationRules
from zhaoshang.verification.models import Verifier

LAST = add_months(current_month(), -1)


def funds_with_receipt(c):
    monthly_funds_set(actor=c.bureau, project=c.project, month=LAST, amount=Decimal("66"), source="command")
    attach(c.project, "bank_slip", funds_month=LAST)


def granted(c):
    funds_with_receipt(c)
    Verifier.objects.create(user=c.unit_head, unit=c.town, granted_by=c.bureau)


def grant_pk(c) -> int:
    return Verifier.objects.get(user=c.unit_head).pk


def decide_data(c):
    return {"kind": "funds", "month": format_month(LAST), "decision": "pass"}


def bulk_data(c):
    return {"item": f"{c.project.pk}:funds:{format_month(LAST)}"}


def passed(c) -> bool:
    return Verification.objects.filter(project=c.project, month=LAST, status="passed").exists()


def grant_data(c):
    return {"username": "unithead", "unit": c.town.pk}


def is_granted(c) -> bool:
    return Verifier.objects.filter(user=c.unit_head, unit=c.town).exists()


def revoked(c) -> bool:
    return not Verifier.objects.exists()


def rules_saved(c) -> bool:
    return VerificationRules.objects.exists()
