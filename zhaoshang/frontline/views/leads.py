"""The lead register's pages (招商线索): register a lead, the list with its deadlines and export, the actions on
a lead (shown on its project's page through the `leads` template tag), and the bureau's 首报首谈 and reassigning."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.core.periods import today
from zhaoshang.frontline import queries, services
from zhaoshang.frontline.exports import leads_export
from zhaoshang.frontline.forms import (
    AssignFirstForm,
    ClaimForm,
    JudgeForm,
    LeadEditForm,
    LeadProjectForm,
    LeadRegisterForm,
    TellReferrerForm,
    TransferForm,
)
from zhaoshang.frontline.lookups import get_lead_for_edit
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.org.access import bureau_required, business_reader_required, business_writer_required
from zhaoshang.org.models import TEAM_KINDS, Unit
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.lookups import get_project_for_edit


def _writable_units(user):
    return Unit.objects.writable_by(user).filter(is_active=True).exclude(kind__in=TEAM_KINDS)


@business_writer_required
def lead_new(request):
    if not editable_unit_ids(request.user):
        raise PermissionDenied("您没有可登记线索的单位")
    units = list(_writable_units(request.user))
    project_form = LeadProjectForm(request.POST or None, user=request.user, prefix="p")
    lead_form = LeadRegisterForm(request.POST or None, units=units, prefix="l")
    if request.method == "POST" and project_form.is_valid() and lead_form.is_valid():
        try:
            profile, warning = services.lead_register(
                actor=request.user, project_values=project_form.cleaned_data, lead_values=lead_form.cleaned_data
            )
        except ValidationError as exc:
            _refuse(exc, project_form, lead_form)
        else:
            messages.success(request, f"已登记线索 {profile.project.code}")
            if warning:
                messages.warning(request, warning)
            return redirect("project_detail", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "frontline/lead_form.html", {"project_form": project_form, "lead_form": lead_form}, status=status
    )


def _refuse(exc, project_form, lead_form):
    """A service's refusal on the form that has the field (the project's or the register's)."""
    if hasattr(exc, "error_dict"):
        for name, texts in exc.message_dict.items():
            form = lead_form if name in lead_form.fields else project_form
            form.add_error(name if name in form.fields else None, texts)
    else:
        project_form.add_error(None, exc.messages)


@business_writer_required
def lead_attach(request, pk):
    """登记为线索: the register's fields for a ledger project at 线索/在谈 that has none."""
    project = get_project_for_edit(request, pk)
    if LeadProfile.objects.filter(pk=project.pk).exists():
        return redirect("project_detail", pk=project.pk)
    form = LeadRegisterForm(request.POST or None, units=[project.responsible_unit])
    if request.method == "POST" and form.is_valid():
        try:
            _, warning = services.lead_attach(actor=request.user, project=project, lead_values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "已登记为线索")
            if warning:
                messages.warning(request, warning)
            return redirect("project_detail", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "frontline/lead_attach.html", {"form": form, "project": project}, status=status)


@business_reader_required
def lead_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, leads_export(request.user, request.GET), kind="leads")
    form, leads = queries.filtered_leads(request.user, request.GET)
    on = today()
    leads = queries.narrowed(form, leads, on)
    page = Paginator(leads.values_list("pk", flat=True), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontline/lead_list.html",
        {
            "form": form,
            "page": page,
            "states": queries.states_of(list(page), on),
            "query": query.urlencode(),
            "can_create": bool(editable_unit_ids(request.user)),
            "today": on,
        },
    )


def _action(request, pk, form_class, run, done: str, **form_kwargs):
    """A lead's action posted from its project's page: done → back to the page; refused → the form again, as
    filled in, with the reason (nothing typed is lost)."""
    profile = get_lead_for_edit(request, pk)
    form = form_class(request.POST, **{k: v(profile) for k, v in form_kwargs.items()})
    if form.is_valid():
        try:
            run(profile, form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, done)
            return redirect("project_detail", pk=profile.pk)
    return render(request, "frontline/lead_action.html", {"form": form, "profile": profile}, status=400)


@require_POST
@business_writer_required
def lead_assign(request, pk):
    def run(profile, data):
        services.lead_assign_first(actor=request.user, profile=profile, user=data["user"], on_date=data["on_date"])

    return _action(request, pk, AssignFirstForm, run, "已指定首问负责人", unit=lambda p: p.project.responsible_unit)


@require_POST
@business_writer_required
def lead_judge(request, pk):
    def run(profile, data):
        services.lead_judge(
            actor=request.user,
            profile=profile,
            judgement=data["judgement"],
            on_date=data["on_date"],
            reason=data["reason"],
        )

    return _action(request, pk, JudgeForm, run, "已记录研判结果")


@require_POST
@business_writer_required
def lead_tell(request, pk):
    def run(profile, data):
        services.lead_tell_referrer(actor=request.user, profile=profile, on_date=data["on_date"])

    return _action(request, pk, TellReferrerForm, run, "已记录告知引荐方")


@business_writer_required
def lead_edit(request, pk):
    profile = get_lead_for_edit(request, pk)
    form = LeadEditForm(request.POST or None, instance=LeadProfile.objects.get(pk=profile.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.lead_update(actor=request.user, profile=profile, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "已保存" if changes else "没有需要保存的修改")
            return redirect("project_detail", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "frontline/lead_edit.html", {"form": form, "profile": profile}, status=status)


@require_POST
@bureau_required
def lead_transfer(request, pk):
    def run(profile, data):
        services.lead_transfer(actor=request.user, profile=profile, to_unit=data["to_unit"], reason=data["reason"])

    return _action(request, pk, TransferForm, run, "已调整线索的责任单位", units=queries.transfer_targets)


@bureau_required
def claim_list(request):
    """首报首谈: both projects side by side, for the bureau that holds both units."""
    claims = list(queries.pending_claims(request.user))
    return render(
        request,
        "frontline/claim_list.html",
        {
            "claims": claims,
            "form": ClaimForm(),
            "cross_county": queries.cross_county_matches(request.user),
        },
    )


@require_POST
@bureau_required
def claim_settle(request, pk):
    profile = queries.pending_claims(request.user).filter(pk=pk).first()
    if profile is None:
        messages.error(request, "该首报首谈已认定或不在您的管理范围内")
        return redirect("claim_list")
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择认定结果")
        return redirect("claim_list")
    try:
        words = services.lead_settle_claim(actor=request.user, profile=profile, decision=form.cleaned_data["decision"])
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"已认定：{words}")
    return redirect("claim_list")
