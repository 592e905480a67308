"""The 认定 pages: the bureau's queue (and a granted verifier's), a unit's own items, the install's settings and
the 认定 role's grants."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.params import whole_number
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.models import Unit, User
from zhaoshang.org.ownership import bureau_units, is_root_bureau
from zhaoshang.projects.models import CountedBasis, Project, VerificationStatus
from zhaoshang.verification import queries, rights, rules, services
from zhaoshang.verification.forms import DecideForm, GrantForm, QueueFilterForm, RulesForm
from zhaoshang.verification.models import Verifier

# A queue shows at most this many items at once; the rest wait for a narrower filter (the count says how many).
QUEUE_LIMIT = 50  # a page shows this many; the counts cover the whole period


def decider_required(view):
    """A bureau admin or an account granted the 认定 role, else 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not rights.may_decide(request.user):
            raise PermissionDenied("您没有认定权限")
        return view(request, *args, **kwargs)

    return wrapped


def _period(request):
    default = add_months(current_month(), -1)  # units report a month in the next one: last month by default
    month, span = rules.parse_period(request.GET.get("month"), request.GET.get("span"), default)
    return month, span, rules.period_months(month, span)


def _queue_unit(request, roots):
    """?unit= among the subtrees the user decides (404 outside); the highest of them by default."""
    wanted = request.GET.get("unit")
    if not wanted:
        return roots[0]
    pk = whole_number(wanted)
    unit = Unit.objects.under(*roots).filter(pk=pk).first() if pk is not None else None
    if unit is None:
        raise Http404("单位不存在或不在您的认定范围内")
    return unit


def _items_page(request, *, unit, units, template, extra):
    month, span, (first, last) = _period(request)
    status = request.GET.get("status", VerificationStatus.PENDING)
    status = status if status in VerificationStatus.values or status == "" else VerificationStatus.PENDING
    kind = request.GET.get("kind", "")
    found = queries.queue(Project.objects.under(unit), first, last, kind=kind, status=status, limit=QUEUE_LIMIT)
    form = QueueFilterForm(
        initial={"unit": str(unit.pk), "month": format_month(month), "span": span, "kind": kind, "status": status},
        units=units,
    )
    return render(
        request,
        template,
        {
            "form": form,
            "items": found.items,
            "total": found.total,
            "limit": QUEUE_LIMIT,
            "counts": [(VerificationStatus(s).label, n) for s, n in found.counts.items()],
            "unit": unit,
            "period": rules.period_label(month, span),
            "here": request.get_full_path(),
            **extra,
        },
    )


@decider_required
def queue(request):
    roots = rights.deciding_units(request.user)
    unit = _queue_unit(request, roots)
    return _items_page(
        request,
        unit=unit,
        units=queries.units_for_select(roots),
        template="verification/queue.html",
        extra={"decide_form": DecideForm()},
    )


@business_reader_required
def mine(request):
    """A unit's own items: what lacks evidence, what was refused and why; links to the project to upload."""
    unit = unit_from_request(request)
    units = list(Unit.objects.readable_by(request.user).filter(is_active=True).order_by("path"))
    return _items_page(
        request,
        unit=unit,
        units=units,
        template="verification/mine.html",
        extra={"decider": rights.may_decide(request.user)},
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("verification_queue")


@require_POST
@decider_required
def decide(request, pk):
    project = Project.objects.under(*rights.deciding_units(request.user)).filter(pk=pk).first()
    if project is None:
        raise Http404("项目不存在或不在您的认定范围内")
    parsed = services.parse_key(f"{pk}:{request.POST.get('kind', '')}:{request.POST.get('month', '')}")
    form = DecideForm(request.POST)
    if parsed is None or not form.is_valid():
        messages.error(request, "请选择认定结果")
        return _back(request)
    _, kind, month = parsed
    passed = form.cleaned_data["decision"] == "pass"
    try:
        services.item_decide(
            actor=request.user,
            project=project,
            kind=kind,
            month=month,
            passed=passed,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, f"{project.code} {project.name}：{refusal_text(exc)}")
    else:
        word = "已认定" if passed else "不予认定"
        messages.success(request, f"{project.code} {project.name} {rules.KIND_LABELS[kind]}：{word}")
    return _back(request)


@require_POST
@decider_required
def bulk_pass(request):
    keys = request.POST.getlist("item")
    if not keys:
        messages.error(request, "请先勾选要认定的事项")
        return _back(request)
    passed, refusals = services.items_pass(actor=request.user, keys=keys)
    if passed:
        messages.success(request, f"已认定{passed}项")
    for line in refusals[:20]:
        messages.error(request, line)
    if len(refusals) > 20:
        messages.error(request, f"另有{len(refusals) - 20}项未认定")
    return _back(request)


@bureau_required
def rules_page(request):
    row = queries.install_rules()
    requirements = rules.requirements_of(row)
    counted = row.counted if row else CountedBasis.DECLARED
    may_edit = is_root_bureau(request.user)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有全市（全县）最上级的主管部门管理员可以修改认定设置")
        form = RulesForm(request.POST, requirements=requirements)
        if form.is_valid():
            try:
                services.rules_update(
                    actor=request.user, counted=form.cleaned_data["counted"], requirements=form.requirements()
                )
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "认定设置已保存")
                return redirect("verification_rules")
    else:
        form = RulesForm(initial={"counted": counted}, requirements=requirements)
    summary = [(rules.KIND_LABELS[k], [rules.group_label(g) for g in groups]) for k, groups in requirements.items()]
    return render(request, "verification/rules.html", {"form": form, "may_edit": may_edit, "summary": summary})


@bureau_required
def deciders(request):
    """The accounts granted the 认定 role in the bureau's subtrees; grant one more."""
    own = bureau_units(request.user)
    units = queries.units_for_select(own)
    form = GrantForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = Unit.objects.under(*own).filter(pk=whole_number(form.cleaned_data["unit"])).first()
        user = User.objects.filter(username=form.cleaned_data["username"].strip(), is_active=True).first()
        if unit is None:
            raise Http404("单位不存在或不在您的管理范围内")
        if user is None:
            form.add_error("username", "没有这个账号")
        else:
            try:
                services.verifier_grant(actor=request.user, user=user, unit=unit)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, f"已授予 {user.display_name} 认定权限（{unit.name}）")
                return redirect("verification_deciders")
    grants = Verifier.objects.under(*own).select_related("user", "unit", "granted_by") if own else []
    return render(request, "verification/deciders.html", {"form": form, "grants": grants})


@require_POST
@bureau_required
def decider_revoke(request, pk):
    grant = get_object_or_404(Verifier.objects.under(*bureau_units(request.user)), pk=pk)
    services.verifier_revoke(actor=request.user, grant=grant)
    messages.success(request, f"已收回 {grant.user.display_name} 的认定权限")
    return redirect(reverse("verification_deciders"))
