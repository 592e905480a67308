"""The 认定 items of a period, derived from the ledger (no row of their own until decided): every project first
signed in the period (签约), started in it (开工), in production in it (投产), and each month's 到位资金 above zero
(到位资金, one item per month). Each item carries its standing (projects/verification.py: a decision holds only
for the figure decided), the evidence beside it and the required evidence it lacks. Five queries whatever the
number of items: the projects, the funds rows, the decisions, the files and the install's rules."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q

from zhaoshang.core.periods import add_months, month_start
from zhaoshang.evidence.models import Attachment
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import (
    FundingType,
    MonthlyFunds,
    Project,
    Verification,
    VerificationKind,
    VerificationRules,
    VerificationStatus,
)
from zhaoshang.projects.verification import DATE_FIELD, standing
from zhaoshang.verification import rules

KIND_ORDER = {kind: i for i, kind in enumerate(VerificationKind.values)}


@dataclass
class Item:
    project: Project
    kind: str
    month: date | None  # the month the item belongs to (its signing's, start's, production's or the funds')
    amount: Decimal | None  # 协议资金 of a signing, the month's 到位资金; None for a start or a production
    on_date: date | None  # 签约日期, 开工日期 or 投产日期; None for 到位资金
    verification: Verification | None = None
    status: str = VerificationStatus.PENDING
    evidence: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def key(self) -> str:
        """How a form names the item: project id, kind and, for 到位资金, the month."""
        month = f"{self.month:%Y-%m}" if self.kind == VerificationKind.FUNDS else ""
        return f"{self.project.pk}:{self.kind}:{month}"

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return VerificationStatus(self.status).label

    @property
    def currency(self) -> str:
        return "万美元" if self.project.funding_type == FundingType.FOREIGN else "万元"

    @property
    def missing_text(self) -> str:
        return rules.missing_text(self.missing)

    @property
    def reason(self) -> str:
        return self.verification.reason if self.status == VerificationStatus.REFUSED else ""


def install_rules():
    """The root's VerificationRules (None: the defaults). One query."""
    return VerificationRules.objects.filter(root__parent=None).order_by("root__path").first()


def _in_months(name: str, first: date, last: date) -> Q:
    return Q(**{f"{name}__gte": first, f"{name}__lt": add_months(last, 1)})


def period_items(projects, first: date | None, last: date | None, *, requirements=None) -> list[Item]:
    """The items of `projects` (a scoped Project queryset) in months first..last (None, None: every item)."""
    if requirements is None:
        requirements = rules.requirements_of(install_rules())
    dated = Q(first_signed_month__isnull=False) | Q(started_on__isnull=False) | Q(production_on__isnull=False)
    funds = MonthlyFunds.objects.filter(project__in=projects, amount__gt=0)
    if first is not None:
        dated = (
            _in_months("first_signed_month", first, last)
            | _in_months("started_on", first, last)
            | _in_months("production_on", first, last)
        )
        funds = funds.filter(month__gte=first, month__lte=last)
    funds_rows = list(funds.select_related("project__responsible_unit"))
    items = []
    for project in projects.filter(dated).select_related("responsible_unit"):
        items += _project_items(project, first, last)
    items += [Item(row.project, VerificationKind.FUNDS, row.month, row.amount, None) for row in funds_rows]
    _attach_state(items, requirements)
    items.sort(key=lambda i: (i.project.responsible_unit.path, i.project.code, KIND_ORDER[i.kind], i.month))
    return items


def _project_items(project, first, last) -> list[Item]:
    found = []
    for kind, name in DATE_FIELD.items():
        on_date = getattr(project, name)
        month = project.first_signed_month if kind == VerificationKind.SIGNING else (on_date and month_start(on_date))
        if on_date is None or month is None or (first is not None and not first <= month <= last):
            continue
        amount = (project.contract_amount or Decimal("0.00")) if kind == VerificationKind.SIGNING else None
        found.append(Item(project, kind, month, amount, on_date))
    return found


def _attach_state(items: list[Item], requirements: dict) -> None:
    """Each item's decision, standing, files and missing evidence: two queries for all of them."""
    ids = {item.project.pk for item in items}
    if not ids:
        return
    decisions = {(v.project_id, v.kind, v.month): v for v in Verification.objects.filter(project_id__in=ids)}
    files: dict[tuple, list] = {}
    for attachment in Attachment.objects.filter(project_id__in=ids).only(
        "pk", "project_id", "funds_month", "kind", "name", "size", "uploaded_at"
    ):
        files.setdefault((attachment.project_id, attachment.funds_month), []).append(attachment)
    for item in items:
        funds = item.kind == VerificationKind.FUNDS
        item.verification = decisions.get((item.project.pk, item.kind, item.month if funds else None))
        item.status = standing(item.verification, item.project, item.amount if funds else None)
        groups = requirements.get(item.kind) or []
        wanted = {code for group in groups for code in group}
        # A month's receipts prove that month; the project's other files prove its signing, start and production.
        own = files.get((item.project.pk, item.month if funds else None), [])
        item.evidence = [a for a in own if not wanted or a.kind in wanted]
        item.missing = rules.missing(groups, {a.kind for a in own})


@dataclass
class Queue:
    """A queue page's items: the first `limit` of those filtered, hydrated; counts over the whole period."""

    items: list[Item]
    total: int  # filtered, in all
    counts: dict  # status → items of the period, unfiltered


def queue(projects, first: date, last: date, *, kind: str = "", status: str = "", limit: int) -> Queue:
    """period_items for a page: every item of the period is judged from narrow rows (tuples, no model
    instances: a city's month holds some 20,000 到位资金 items and building each as an object with its files took
    3.8 s, a year 19 s), filtered and counted; only the `limit` shown are built whole, with their files and
    missing evidence (period_items' queries over those few projects)."""
    requirements = rules.requirements_of(install_rules())
    keys = []  # (unit path, code, kind order, month, project id, kind, status)
    names = ["pk", "first_signed_month", "signed_on", "contract_amount", "started_on", "production_on"]
    dated = (
        _in_months("first_signed_month", first, last)
        | _in_months("started_on", first, last)
        | _in_months("production_on", first, last)
    )
    decisions = {
        (v.project_id, v.kind, v.month): v
        for v in Verification.objects.filter(project__in=projects.values("pk")).filter(
            Q(month=None) | Q(month__gte=first, month__lte=last)
        )
    }
    for row in projects.filter(dated).values_list(*names, "responsible_unit__path", "code"):
        project = SimpleNamespace(**dict(zip(names, row[:6], strict=True)))
        for item_kind, name in DATE_FIELD.items():
            on_date = getattr(project, name)
            signing = item_kind == VerificationKind.SIGNING
            month = project.first_signed_month if signing else (on_date and month_start(on_date))
            if on_date is None or month is None or not first <= month <= last:
                continue
            judged = standing(decisions.get((project.pk, item_kind, None)), project)
            keys.append((row[6], row[7], KIND_ORDER[item_kind], month, project.pk, item_kind, judged))
    funds = MonthlyFunds.objects.filter(
        project__in=projects.values("pk"), amount__gt=0, month__gte=first, month__lte=last
    )
    for pk, month, amount, path, code in funds.values_list(
        "project_id", "month", "amount", "project__responsible_unit__path", "project__code"
    ):
        judged = standing(decisions.get((pk, VerificationKind.FUNDS, month)), None, amount)
        keys.append((path, code, KIND_ORDER[VerificationKind.FUNDS], month, pk, VerificationKind.FUNDS, judged))
    counts = dict.fromkeys(VerificationStatus.values, 0)
    for key in keys:
        counts[key[6]] += 1
    shown = sorted(k for k in keys if (not kind or k[5] == kind) and (not status or k[6] == status))
    wanted = {(k[4], k[5], k[3]) for k in shown[:limit]}
    page_projects = projects.filter(pk__in={k[4] for k in shown[:limit]})
    built = {
        (i.project.pk, i.kind, i.month): i
        for i in period_items(page_projects, first, last, requirements=requirements)
        if (i.project.pk, i.kind, i.month) in wanted
    }
    return Queue([built[(k[4], k[5], k[3])] for k in shown[:limit]], len(shown), counts)


def filter_items(items: list[Item], *, kind: str = "", status: str = "") -> list[Item]:
    return [i for i in items if (not kind or i.kind == kind) and (not status or i.status == status)]


def item_of(project: Project, kind: str, month: date | None) -> Item | None:
    """One item of a project as the queue shows it (None when the ledger has no such figure to decide)."""
    if kind not in KIND_ORDER:
        return None
    first = last = month
    if kind != VerificationKind.FUNDS:
        first = last = None
    elif month is None:
        return None
    projects = Project.objects.filter(pk=project.pk)
    for item in period_items(projects, first, last):
        if item.kind == kind and (kind != VerificationKind.FUNDS or item.month == month):
            return item
    return None


def units_for_select(roots: list[Unit]) -> list[Unit]:
    """The units a queue's unit select offers: the roots' subtrees, in tree order (one query)."""
    return list(Unit.objects.under(*roots).filter(is_active=True).order_by("path")) if roots else []
