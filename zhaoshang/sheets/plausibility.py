"""The warnings of a monthly sheet's preview: rows whose figures make a project's total unlikely (projects.
plausibility says which). They do not stop the import, as the same figures typed on the grid only ask for a
confirmation: the preview lists them, row by row, beside its counts, for the user to look at before 确认导入."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project
from zhaoshang.projects.plausibility import Totals, other_months, unusual_figures
from zhaoshang.sheets.base import CellError

MODELS = {"funds": MonthlyFunds, "investment": MonthlyInvestment}


def monthly_warnings(kind: str, parsed, *, amount_header: str) -> list[CellError]:
    """parsed: (row, project code, month, cents) of a sheet whose rows all passed. One warning per project whose
    total over all months, the sheet's months replacing what is stored for them, is unlikely, on its last row."""
    by_code: dict[str, list[tuple[int, date, int]]] = defaultdict(list)
    for row, code, month, cents in parsed:
        by_code[code].append((row, month, cents))
    projects = Project.objects.filter(code__in=by_code).only(
        "code", "name", "funding_type", "contract_amount", "planned_total"
    )
    projects = [p for p in projects if p.contract_amount or p.planned_total]  # nothing to compare with otherwise
    if not projects:
        return []
    months = {month for _, _, month, _ in parsed}
    stored = other_months(MODELS[kind], [p.pk for p in projects], months)
    warnings = []
    for project in projects:
        rows = by_code[project.code]
        total = (stored.get(project.pk) or Decimal(0)) + sum(Decimal(cents) for _, _, cents in rows) / 100
        found = unusual_figures(project, Totals(**{kind: total}))
        if found:
            last = max(row for row, _, _ in rows)
            warnings.append(CellError(last, amount_header, f"{'；'.join(found)}，请核对（不影响导入）"))
    return warnings
