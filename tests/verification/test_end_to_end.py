"""Issue 19 end to end through its contracts: a township uploads its files on the project page, the bureau decides
in the 认定 queue, the bulletin's JSON carries both versions of every figure, a changed figure leaves 认定 until
decided again, and the install's setting makes 认定 the counted one. The expected figures are read from the rows
by the test itself, not from the code that sums them."""

import json
from datetime import date
from decimal import Decimal

from tests.evidence.helpers import PDF, upload
from tests.factories import make_project
from tests.verification.helpers import decide_post, funds
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.models import MonthlyFunds, Project, Verification

LAST = add_months(current_month(), -1)


def _town(client):
    snapshot = json.loads(client.get("/bulletins/draft/", {"month": format_month(LAST), "format": "json"}).content)
    return snapshot, next(u for u in snapshot["units"] if u["name"] == "甲镇")


def _declared(county) -> tuple[int, Decimal, Decimal]:
    """甲镇's 内资 signings, their 协议资金 and its 到位资金, January..LAST, from the ledger's rows."""
    signed = Project.objects.under(county.town).filter(
        funding_type="内资", first_signed_month__gte=date(LAST.year, 1, 1), first_signed_month__lte=LAST
    )
    arrived = MonthlyFunds.objects.filter(
        project__in=Project.objects.under(county.town).filter(funding_type="内资"),
        month__gte=date(LAST.year, 1, 1),
        month__lte=LAST,
    )
    return (
        signed.count(),
        sum((p.contract_amount or 0 for p in signed), Decimal(0)),
        sum((r.amount for r in arrived), Decimal(0)),
    )


def _post_file(client, project, kind, target, name):
    return client.post(
        f"/projects/{project.pk}/evidence/",
        {"kind": kind, "target": target, "note": "", "file": upload(name, PDF, "application/pdf")},
    )


def test_files_then_a_decision_make_a_signing_and_its_funds_count_as_verified(county, client_for):
    reporter, bureau = client_for(county.reporter), client_for(county.bureau)
    project = make_project(county.bureau, county.town, signed_on=LAST.replace(day=5), contract_amount=Decimal("8000"))
    funds(county.bureau, project, LAST, "300")
    count, contract, arrived = _declared(county)

    snapshot, town = _town(bureau)
    assert snapshot["counted"] == "declared"
    assert town["figures"]["domestic_signed_count"] == count
    assert Decimal(town["figures"]["domestic_contract_wan"]) == contract
    assert Decimal(town["figures"]["domestic_arrived_wan"]) == arrived
    assert town["verified_figures"]["domestic_signed_count"] == 0

    # No file yet: the bureau's 认定 is refused and names what is missing; nothing is verified.
    refused = decide_post(bureau, project, "signing", "pass")
    assert refused.status_code == 302
    assert not Verification.objects.filter(project=project, status="passed").exists()

    # The township uploads the contract, the licence and the month's bank slip on the project page.
    month = f"{LAST:%Y-%m}"
    assert _post_file(reporter, project, "contract", "project", "合同.pdf").status_code == 302
    assert _post_file(reporter, project, "licence", "project", "营业执照.pdf").status_code == 302
    assert _post_file(reporter, project, "bank_slip", f"funds:{month}", "进账单.pdf").status_code == 302
    queue = bureau.get("/verification/", {"month": month, "status": ""}).content.decode()
    assert project.code in queue

    decide_post(bureau, project, "signing", "pass")
    decide_post(bureau, project, "funds", "pass", month=month)
    _, town = _town(bureau)
    assert town["figures"]["domestic_signed_count"] == count  # 申报 unchanged
    assert town["verified_figures"]["domestic_signed_count"] == 1
    assert Decimal(town["verified_figures"]["domestic_contract_wan"]) == Decimal("8000")
    assert Decimal(town["verified_figures"]["domestic_arrived_wan"]) == Decimal("300")

    # The month's 到位资金 corrected: 申报 follows at once, 认定 drops it until decided again.
    funds(county.bureau, project, LAST, "350")
    _, town = _town(bureau)
    assert Decimal(town["figures"]["domestic_arrived_wan"]) == arrived + 50
    assert Decimal(town["verified_figures"]["domestic_arrived_wan"]) == 0
    mine = reporter.get("/verification/mine/", {"month": month, "status": "pending"}).content.decode()
    assert project.code in mine

    # The install counts 认定 from now on: the JSON says so and keeps both versions.
    answer = bureau.post("/verification/rules/", {"counted": "verified", "signing_0": ["contract"]})
    assert answer.status_code == 302
    snapshot, town = _town(bureau)
    assert snapshot["counted"] == "verified"
    assert town["figures"]["domestic_signed_count"] == count
    assert town["verified_figures"]["domestic_signed_count"] == 1
