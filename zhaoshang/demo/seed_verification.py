"""The demo county's 认定: a few of this year's signings and last month's 到位资金 with their evidence, some passed
and some refused with a reason, decided by the bureau through the verification service (audited, totals kept),
so the queue, a unit's 我的认定, the project's panel and the `refused:` source have something to show. No random
draws: the data seeded before it stays the same."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.audit.models import Source
from zhaoshang.closing.guard import is_closed
from zhaoshang.demo import names
from zhaoshang.demo.seed_evidence import pdf_bytes
from zhaoshang.evidence import services as evidence_services
from zhaoshang.projects.models import MonthlyFunds, Project
from zhaoshang.verification.services import item_decide

REFUSE_SIGNING = "营业执照上的企业名称与投资方不一致"
REFUSE_FUNDS = "发票开票方不是本项目投资方，不能证明资金到位"


def _attach(project, kind: str, name: str, funds_month=None, actor=None) -> None:
    upload = SimpleUploadedFile(name, pdf_bytes(f"Demo {kind}"))
    evidence_services.attach(
        actor=actor, kind=kind, upload=upload, project=project, funds_month=funds_month, source=Source.COMMAND
    )


def seed_verification(today: date, last_month: date, bureau) -> dict:
    # 城关镇's first (the demo's reporter sees a passed and a refused item of its own), then the other units'.
    this_year = Project.objects.filter(first_signed_month__gte=date(today.year, 1, 1)).order_by("code")
    town = this_year.filter(responsible_unit__name=names.TOWNS[0])
    signed = [*town[:2], *this_year.exclude(responsible_unit__name=names.TOWNS[0])[:2]]
    decided = 0
    for index, project in enumerate(signed):
        _attach(project, "contract", f"{project.code}投资合同.pdf", actor=bureau)
        passed = index != 1
        if passed:
            _attach(project, "licence", f"{project.code}营业执照.pdf", actor=bureau)
        item_decide(
            actor=bureau,
            project=project,
            kind="signing",
            passed=passed,
            reason="" if passed else REFUSE_SIGNING,
            source=Source.COMMAND,
        )
        decided += 1
    funds = (
        MonthlyFunds.objects.filter(month=last_month, amount__gt=0)
        .select_related("project__responsible_unit")
        .order_by("pk")
    )
    rows = [
        *funds.filter(project__responsible_unit__name=names.TOWNS[0])[:2],
        *funds.exclude(project__responsible_unit__name=names.TOWNS[0])[:2],
    ]
    for index, row in enumerate(rows):
        if is_closed(last_month, row.project.responsible_unit):
            continue  # a closed month's receipts cannot be added (evidence's rule)
        passed = index != 1
        kind = "bank_slip" if passed else "invoice"
        _attach(
            row.project,
            kind,
            f"{row.project.code}-{last_month:%Y%m}{'进账单' if passed else '发票'}.pdf",
            funds_month=last_month,
            actor=bureau,
        )
        item_decide(
            actor=bureau,
            project=row.project,
            kind="funds",
            month=last_month,
            passed=passed,
            reason="" if passed else REFUSE_FUNDS,
            source=Source.COMMAND,
        )
        decided += 1
    return {"verification_decisions": decided}
