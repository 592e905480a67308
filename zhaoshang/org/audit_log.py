"""The auditor's searchable view of the log. Read only: there is no path that edits or deletes an entry.

It lives with org, not audit: which entries an auditor reads is a question of its units (org sits above the log
that every app, org included, writes to; docs/architecture.md)."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.db import connections
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.shortcuts import render
from django.utils import timezone

from zhaoshang.audit import exports
from zhaoshang.audit.actions import ACTION_LABELS
from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.files import Export, export_or_defer, wants_xlsx
from zhaoshang.org.access import auditor_required
from zhaoshang.org.models import Role, Unit, subtree_q
from zhaoshang.org.scoping import memberships

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(ProductForm):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "操作人、对象或变更内容"})
    )
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部操作")] + sorted(ACTION_LABELS.items(), key=lambda x: x[0])
    )
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源")] + Source.choices)
    unit = forms.ModelChoiceField(label="单位", required=False, queryset=Unit.objects.all(), empty_label="全部单位")
    date_from = forms.DateField(label="日期从", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="至", required=False, widget=DATE_INPUT)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def apply(self, entries):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            entries = entries.alias(data_text=Cast("data", TextField())).filter(text_q(entries.db, data["q"].strip()))
        for field in ("action", "source", "unit"):
            if data.get(field):
                entries = entries.filter(**{field: data[field]})
        # Days as ranges of the time column (its index serves them), in the product's time zone as
        # created_at__date read them; not a date taken of every row.
        if data.get("date_from"):
            entries = entries.filter(created_at__gte=day_start(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(created_at__lt=day_start(data["date_to"] + timedelta(days=1)))
        return entries


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def text_q(db: str, text: str) -> Q:
    """Who, what or which change mentions the text. On PostgreSQL each of the three is served by a trigram
    index (audit migration 0004: UPPER(column) gin_trgm_ops, the expression icontains compares)."""
    query = Q(actor_name__icontains=text) | Q(target_repr__icontains=text) | Q(data_text__icontains=text)
    # A database without a JSON type of its own (SQLite) keeps the text as json.dumps wrote it, non-ASCII
    # escaped: look for that too. PostgreSQL's jsonb keeps it as is.
    escaped = json.dumps(text)[1:-1]
    if escaped != text and not connections[db].features.has_native_json_field:
        query |= Q(data_text__icontains=escaped)
    return query


def audited_entries(user):
    """The entries an auditor may read: those of the units in its subtrees. Entries that belong to no unit
    (the system's own) are the root auditor's only: a county's auditor of a city install reads its county.
    The root's auditor reads every entry, with no condition to check on each."""
    units = [m.unit for m in memberships(user) if m.role == Role.AUDITOR]
    if any(unit.parent_id is None for unit in units):
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(unit__in=Unit.objects.filter(subtree_q(units)))


def _audited_units(user):
    return Unit.objects.under(*(m.unit for m in memberships(user) if m.role == Role.AUDITOR))


def audit_export(user, params) -> Export:
    """Every entry the auditor's filters select, not only a page of them."""
    form = AuditFilterForm(params or None, units=_audited_units(user))
    entries = form.apply(audited_entries(user))
    return Export("审计日志.xlsx", [("审计日志", exports.AUDIT_HEADERS, exports.audit_rows(entries))], entries.count)


PAGE_SIZE = 50
COUNT_CAP = 10_000  # "共 N 条" up to here; beyond, "超过 10000 条" (counting a city's years of log is a scan)
# A text search tests every row it counts against three texts (the trigram index finds candidates, each is
# checked again): a common term would test ten thousand rows to say "超过 10000 条". Its count stops sooner.
SEARCH_COUNT_CAP = 1_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OLDEST = "oldest"  # before=oldest: the page of the oldest entries


def cursor_of(entry: AuditEntry) -> str:
    """An entry's place in the log's order (time, then id), as a link carries it."""
    return f"{(entry.created_at - EPOCH) // timedelta(microseconds=1)}_{entry.pk}"


def parse_cursor(text: str | None) -> tuple[datetime, int] | None:
    try:
        micro, pk = (text or "").split("_")
        return EPOCH + timedelta(microseconds=int(micro)), int(pk)
    except (ValueError, OverflowError):
        return None


def _older(entries, key):
    at, pk = key
    return entries.filter(created_at__lte=at).filter(Q(created_at__lt=at) | Q(pk__lt=pk))


def _newer(entries, key):
    at, pk = key
    return entries.filter(created_at__gte=at).filter(Q(created_at__gt=at) | Q(pk__gt=pk))


@dataclass
class LogPage:
    """Fifty entries, newest first, found from the key of the page before or after them (keyset paging on
    (created_at, id), which the index on both serves at any depth; an OFFSET would read every entry skipped)."""

    entries: list
    newer: str | None = None  # the key the newer page's link carries (before=…)
    older: str | None = None  # the key the older page's link carries (after=…)
    is_first: bool = True
    count: int = 0
    count_capped: bool = False


def log_page(entries, *, after: str | None = None, before: str | None = None) -> LogPage:
    """The page after (older than) the entry `after` names, before (newer than) the one `before` names, the
    oldest page for before=oldest, else the newest page. A key that names nothing gives the newest page."""
    newest_first = entries.order_by("-created_at", "-pk")
    after_key, before_key = parse_cursor(after), parse_cursor(before)
    if before_key is not None or before == OLDEST:
        upwards = entries.order_by("created_at", "pk")
        rows = list((upwards if before_key is None else _newer(upwards, before_key))[: PAGE_SIZE + 1])
        more_newer = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        if more_newer or (before_key is None and rows):
            return LogPage(
                rows,
                newer=cursor_of(rows[0]) if more_newer else None,
                older=cursor_of(rows[-1]) if before_key is not None and rows else None,
                is_first=not more_newer,
            )
        after_key = None  # nothing newer beyond this page: it is the newest page
    rows = list((newest_first if after_key is None else _older(newest_first, after_key))[: PAGE_SIZE + 1])
    more_older = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return LogPage(
        rows,
        newer=cursor_of(rows[0]) if after_key is not None and rows else None,
        older=cursor_of(rows[-1]) if more_older else None,
        is_first=after_key is None,
    )


@auditor_required
def audit_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, audit_export(request.user, request.GET), kind="audit")
    form = AuditFilterForm(request.GET or None, units=_audited_units(request.user))
    entries = form.apply(audited_entries(request.user).select_related("unit"))
    page = log_page(entries, after=request.GET.get("after"), before=request.GET.get("before"))
    cap = SEARCH_COUNT_CAP if form.is_valid() and form.cleaned_data.get("q") else COUNT_CAP
    # COUNT(*) of a LIMIT cap + 1 subquery: never more than cap + 1 rows read to say "超过 cap 条".
    page.count = entries.order_by()[: cap + 1].count()
    page.count_capped = page.count > cap
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "count_cap": cap, "oldest": OLDEST},
    )
