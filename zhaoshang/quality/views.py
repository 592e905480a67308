"""The 数据质量 pages: the flags a user reads (its units' subtrees), with filters and the count per unit; a flag's
page, where its unit writes a 说明 and the bureau closes it; the rule settings (the root's bureau).
Outside the reader's scope: 404; a reader that may not write (a leader, a reporter on a unit below its own, a
unit on 关闭): 403."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import refusal_text
from zhaoshang.org.access import bureau_required, business_reader_required, business_writer_required
from zhaoshang.org.models import Unit
from zhaoshang.org.ownership import managing_unit
from zhaoshang.quality import services, thresholds
from zhaoshang.quality.forms import CloseForm, ExplainForm, FlagFilterForm, SettingsForm
from zhaoshang.quality.models import PENDING, Flag, FlagStatus


def _query(request, *dropped: str) -> str:
    params = request.GET.copy()
    for name in ("page", *dropped):
        params.pop(name, None)
    return params.urlencode()


def _filtered(request, form):
    rows = Flag.objects.readable_by(request.user)
    if form.is_bound and not form.is_valid():
        return rows.none()
    data = form.cleaned_data if form.is_bound else {}
    status = data.get("status") or ""
    if status == "":
        rows = rows.filter(status__in=PENDING)
    elif status != "all":
        rows = rows.filter(status=status)
    if data.get("rule"):
        rows = rows.filter(rule=data["rule"])
    if data.get("unit") is not None:
        rows = rows.under(data["unit"])
    if data.get("month"):
        rows = rows.filter(month=data["month"])
    return rows


@business_reader_required
def flag_list(request):
    form = FlagFilterForm(request.GET or None, user=request.user)
    rows = _filtered(request, form)
    page = Paginator(
        rows.select_related("unit", "project").order_by("-updated_at", "-id"), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    counts = list(
        rows.order_by().values("unit_id", "unit__name", "unit__path").annotate(n=Count("id")).order_by("unit__path")
    )
    by_status = dict(Flag.objects.readable_by(request.user).order_by().values_list("status").annotate(n=Count("id")))
    return render(
        request,
        "quality/flag_list.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "unit_query": _query(request, "unit"),
            "counts": counts,
            "by_status": [(label, by_status.get(value, 0)) for value, label in FlagStatus.choices],
        },
    )


def _flag_for_user(request, pk) -> Flag:
    flag = Flag.objects.readable_by(request.user).select_related("unit", "project", "explained_by", "closed_by")
    flag = flag.filter(pk=pk).first()
    if flag is None:
        raise Http404("数据质量事项不存在或不在您的权限范围内")
    return flag


def _detail(request, flag, explain_form=None, close_form=None, status=200):
    can_explain = services.may_explain(request.user, flag)
    can_close = services.may_close(request.user, flag)
    return render(
        request,
        "quality/flag_detail.html",
        {
            "flag": flag,
            "explain_form": (explain_form or ExplainForm(initial={"explanation": flag.explanation}))
            if can_explain
            else None,
            "close_form": (close_form or CloseForm()) if can_close else None,
        },
        status=status,
    )


@business_reader_required
def flag_detail(request, pk):
    return _detail(request, _flag_for_user(request, pk))


@require_POST
@business_writer_required
def flag_explain(request, pk):
    flag = _flag_for_user(request, pk)
    if not services.may_explain(request.user, flag):
        raise PermissionDenied("您不能说明此事项")
    form = ExplainForm(request.POST)
    if form.is_valid():
        try:
            services.flag_explain(actor=request.user, flag=flag, text=form.cleaned_data["explanation"])
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, "情况说明已提交")
            return redirect("quality_flag", pk=flag.pk)
    return _detail(request, flag, explain_form=form, status=400)


@require_POST
@bureau_required
def flag_close(request, pk):
    flag = _flag_for_user(request, pk)
    if not services.may_close(request.user, flag):
        raise PermissionDenied("您不能关闭此事项")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.flag_close(actor=request.user, flag=flag, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, "已关闭此事项")
            return redirect("quality_flag", pk=flag.pk)
    return _detail(request, flag, close_form=form, status=400)


def _root_for(user) -> Unit:
    unit = managing_unit(user)
    if unit is None or unit.parent_id is not None:
        raise PermissionDenied("数据质量规则由全域主管部门管理员设置")
    return unit


@bureau_required
def quality_settings(request):
    root = _root_for(request.user)
    current = thresholds.settings_for(root)
    form = SettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.settings_save(actor=request.user, root=root, values=form.values())
        except ValidationError as exc:
            form.add_error(None, refusal_text(exc))
        else:
            if changed:
                services.run_install.enqueue(root.pk)
            rerun = f"已保存，{len(changed)}条规则有变动，将按新规则在后台重新检查全部数据"
            messages.success(request, rerun if changed else "没有变动")
            return redirect("quality_settings")
    return render(request, "quality/settings.html", {"form": form, "root": root})
