"""不予认定 items counted per unit, for the assessment's deductions (`refused:签约|开工|投产|到位资金|全部`).

An item counts where its decision is 不予认定 and still stands (the figure is the one refused: a corrected figure
is 待认定 again and no longer counts), and the item falls in months first..last (a signing in its month of first
signing, a start and a production in theirs, 到位资金 in its month). Two queries whatever the number of units: the
refused decisions with their projects, and the current amounts of the months of 到位资金 among them."""

from datetime import date

from zhaoshang.core.periods import month_start
from zhaoshang.projects.models import MonthlyFunds, Verification, VerificationKind, VerificationStatus
from zhaoshang.projects.verification import standing

NAMES = {
    "签约": [VerificationKind.SIGNING],
    "开工": [VerificationKind.START],
    "投产": [VerificationKind.PRODUCTION],
    "到位资金": [VerificationKind.FUNDS],
    "全部": list(VerificationKind.values),
}


def _item_month(row: Verification) -> date | None:
    project = row.project
    if row.kind == VerificationKind.SIGNING:
        return project.first_signed_month
    if row.kind == VerificationKind.START:
        return project.started_on and month_start(project.started_on)
    if row.kind == VerificationKind.PRODUCTION:
        return project.production_on and month_start(project.production_on)
    return row.month


def refused_by_path(within, kinds: list[str], first: date, last: date) -> dict[str, int]:
    """{unit path: number of standing 不予认定 items of the unit's own projects} under the units `within`."""
    rows = list(
        Verification.objects.under(*within)
        .filter(status=VerificationStatus.REFUSED, kind__in=kinds)
        .select_related("project__responsible_unit")
    )
    funds_rows = [r for r in rows if r.kind == VerificationKind.FUNDS]
    amounts = {}
    if funds_rows:
        amounts = {
            (f.project_id, f.month): f.amount
            for f in MonthlyFunds.objects.filter(
                project_id__in={r.project_id for r in funds_rows}, month__in={r.month for r in funds_rows}
            )
        }
    counts: dict[str, int] = {}
    for row in rows:
        month = _item_month(row)
        if month is None or not first <= month <= last:
            continue
        amount = amounts.get((row.project_id, row.month)) if row.kind == VerificationKind.FUNDS else None
        if standing(row, row.project, amount) != VerificationStatus.REFUSED:
            continue
        path = row.project.responsible_unit.path
        counts[path] = counts.get(path, 0) + 1
    return counts
