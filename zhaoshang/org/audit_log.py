"""The auditor's searchable view of the log. Read only: there is no path that edits or deletes an entry.

It lives with org, not audit: which entries an auditor reads is a question of its units (org sits above the log
that every app, org included, writes to; docs/architecture.md)."""

import json

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.shortcuts import render

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
            text = data["q"].strip()
            # The JSON may be stored with non-ASCII escaped (SQLite) or as is (PostgreSQL): look for both.
            escaped = json.dumps(text)[1:-1]
            entries = entries.annotate(data_text=Cast("data", TextField())).filter(
                Q(actor_name__icontains=text)
                | Q(target_repr__icontains=text)
                | Q(data_text__icontains=text)
                | Q(data_text__icontains=escaped)
            )
        for field in ("action", "source", "unit"):
            if data.get(field):
                entries = entries.filter(**{field: data[field]})
        if data.get("date_from"):
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(created_at__date__lte=data["date_to"])
        return entries


def audited_entries(user):
    """The entries an auditor may read: those of the units in its subtrees. Entries that belong to no unit
    (the system's own) are the root auditor's only: a county's auditor of a city install reads its county."""
    units = [m.unit for m in memberships(user) if m.role == Role.AUDITOR]
    query = subtree_q(units, "unit")
    if any(unit.parent_id is None for unit in units):
        query |= Q(unit=None)
    return AuditEntry.objects.filter(query)


def _audited_units(user):
    return Unit.objects.under(*(m.unit for m in memberships(user) if m.role == Role.AUDITOR))


def audit_export(user, params) -> Export:
    """Every entry the auditor's filters select, not only a page of them."""
    form = AuditFilterForm(params or None, units=_audited_units(user))
    entries = form.apply(audited_entries(user))
    return Export("审计日志.xlsx", [("审计日志", exports.AUDIT_HEADERS, exports.audit_rows(entries))], entries.count)


@auditor_required
def audit_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, audit_export(request.user, request.GET), kind="audit")
    form = AuditFilterForm(request.GET or None, units=_audited_units(request.user))
    entries = form.apply(audited_entries(request.user).select_related("unit"))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})
