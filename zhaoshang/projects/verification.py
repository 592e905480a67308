"""What "已认定" means for the figures: a decision (Verification) stands only for the figure it was made on.

A signing counts as verified while its row says 已认定 with the project's current 签约日期 and 协议资金 (no 协议资金
is kept as 0); a start with the current 开工日期; a production with the current 投产日期; a month's 到位资金 with
that month's current amount. Change the figure and the item is 待认定 again, whatever path changed it (a page, an
import, a correction): nothing has to remember to reset it. The SQL forms below are what the verified totals
(projects/totals.py) and the queues filter on; `standing` is the same rule on loaded rows."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from zhaoshang.org.tree import ancestor_ids
from zhaoshang.projects.models import (
    Verification,
    VerificationKind,
    VerificationRules,
    VerificationStatus,
    default_requirements,
)

# The project's field each kind's decision is made on.
DATE_FIELD = {
    VerificationKind.SIGNING: "signed_on",
    VerificationKind.START: "started_on",
    VerificationKind.PRODUCTION: "production_on",
}
ZERO = Decimal("0.00")


def project_passed(kind: str, project_ref: str = "pk") -> Exists:
    """Exists(...) for a Project queryset (or one reaching the project by `project_ref`): the project's `kind`
    (签约, 开工 or 投产) is 已认定 for its current figure."""
    prefix = "" if project_ref == "pk" else project_ref.removesuffix("_id").removesuffix("pk") + "__"
    rows = Verification.objects.filter(
        project=OuterRef(project_ref),
        kind=kind,
        month=None,
        status=VerificationStatus.PASSED,
        on_date=OuterRef(prefix + DATE_FIELD[kind]),
    )
    if kind == VerificationKind.SIGNING:
        rows = rows.filter(amount=Coalesce(OuterRef(prefix + "contract_amount"), Value(ZERO)))
    return Exists(rows)


def funds_passed() -> Exists:
    """Exists(...) for a MonthlyFunds queryset: the row's month is 已认定 for its current amount."""
    return Exists(
        Verification.objects.filter(
            project=OuterRef("project_id"),
            kind=VerificationKind.FUNDS,
            month=OuterRef("month"),
            status=VerificationStatus.PASSED,
            amount=OuterRef("amount"),
        )
    )


def decided_figure(kind: str, project, funds_amount=None) -> tuple:
    """(amount, on_date) as a decision on `kind` of `project` records them now."""
    if kind == VerificationKind.FUNDS:
        return funds_amount, None
    amount = (project.contract_amount or ZERO) if kind == VerificationKind.SIGNING else None
    return amount, getattr(project, DATE_FIELD[kind])


def standing(verification: Verification | None, project, funds_amount=None) -> str:
    """The item's status now: the decision's while the figure is the one decided, else 待认定."""
    if verification is None or verification.status == VerificationStatus.PENDING:
        return VerificationStatus.PENDING
    amount, on_date = decided_figure(verification.kind, project, funds_amount)
    if verification.on_date != on_date or (amount is not None and verification.amount != amount):
        return VerificationStatus.PENDING
    return verification.status


def requirements_for(unit) -> dict:
    """The evidence each item needs for a project of `unit`: the rules of the nearest unit above it (itself
    included) that has its own (an install's root, or a county of a city that set its own), else the defaults."""
    ids = ancestor_ids(unit.path)
    found = dict(VerificationRules.objects.filter(root_id__in=ids).values_list("root_id", "requirements"))
    for unit_id in reversed(ids):
        if unit_id in found:
            return found[unit_id]
    return default_requirements()


def items_served(evidence_kind: str, requirements: dict) -> set[str]:
    """The items (VerificationKind values) whose required evidence names `evidence_kind`: a 合同 serves 签约, a
    现场照片 开工, a 银行进账单 到位资金. A new or removed file of that kind sends those items back to 待认定."""
    return {
        item for item, groups in requirements.items() if any(evidence_kind in (group or []) for group in (groups or []))
    }


def items_to_reset(project, evidence_kind: str, funds_month=None):
    """The project's decided items (Verification rows, not already 待认定) that a new or removed file of
    `evidence_kind` touches: the project's signing, start or production when the kind serves it; 到位资金 only for
    the file's own month (a receipt for May says nothing about April)."""
    served = items_served(evidence_kind, requirements_for(project.responsible_unit))
    rows = Verification.objects.filter(project=project).exclude(status=VerificationStatus.PENDING)
    wanted = Q(kind__in=served - {VerificationKind.FUNDS}, month=None)
    if VerificationKind.FUNDS in served and funds_month is not None:
        wanted |= Q(kind=VerificationKind.FUNDS, month=funds_month)
    return rows.filter(wanted)
