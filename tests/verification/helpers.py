"""Ledger figures and evidence rows for the 认定 tests, made through the product's services (the evidence rows as
the evidence app stores them: the bytes are that app's concern, here only which file of which kind is there)."""

from datetime import date
from decimal import Decimal

from zhaoshang.evidence.models import Attachment
from zhaoshang.projects.figures import monthly_funds_set
from zhaoshang.verification.queries import period_items

Y = 2026
JAN, FEB, MAR = date(Y, 1, 1), date(Y, 2, 1), date(Y, 3, 1)


def attach(project, kind, funds_month=None, name="材料.pdf"):
    return Attachment.objects.create(
        unit=project.responsible_unit,
        project=project,
        funds_month=funds_month,
        kind=kind,
        file=f"evidence/{Y}/01/{name}",
        name=name,
        size=1024,
        content_type="application/pdf",
        sha256="0" * 64,
    )


def funds(actor, project, month, amount):
    monthly_funds_set(actor=actor, project=project, month=month, amount=Decimal(amount), source="command")


def items_of(projects, first=None, last=None):
    return {(i.project.pk, i.kind, i.month): i for i in period_items(projects, first, last)}


def decide_post(client, project, kind, decision, month="", reason="", next_url="/verification/"):
    return client.post(
        f"/verification/projects/{project.pk}/decide/",
        {"kind": kind, "month": month, "decision": decision, "reason": reason, "next": next_url},
    )
