"""The scheme pages: the list of 考核方案 a bureau or a leader reads, a scheme's heading and items (the bureau that
owns it), its file as a download and an upload of one, and the grid of 考核数据 (the `input:NAME` figures per unit).
A scheme outside the user's scope: 404; a reader that may not write it (a leader): 403 on the writes; a published
scheme refuses every change with the reason."""

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from zhaoshang.assessment import editing, schema
from zhaoshang.assessment.cli_load import MAX_BYTES, parse
from zhaoshang.assessment.forms import ItemForm, SchemeForm, SchemeUploadForm, rule_keys_json
from zhaoshang.assessment.models import Scheme, SchemeItem
from zhaoshang.audit.models import Source
from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.org.access import bureau_required, role_required
from zhaoshang.org.models import Role
from zhaoshang.org.scoping import readable_unit_ids

reader_required = role_required(Role.BUREAU_ADMIN, Role.LEADER)


def result_url(scheme) -> str:
    """The result page (the scoring engine's `assessment_result`), by name when it is routed."""
    try:
        return reverse("assessment_result", args=[scheme.pk])
    except NoReverseMatch:
        return f"/assessment/{scheme.pk}/result/"


def _scheme_for_user(request, pk) -> Scheme:
    scheme = Scheme.objects.select_related("owner", "group").filter(pk=pk).first()
    if scheme is None or not editing.may_read(request.user, scheme):
        raise Http404("考核方案不存在或不在您的权限范围内")
    return scheme


def _scheme_for_edit(request, pk) -> Scheme:
    scheme = _scheme_for_user(request, pk)
    if not editing.may_write(request.user, scheme):
        raise PermissionDenied("您只能查看此考核方案，不能修改")
    return scheme


def _item_for_edit(request, pk, item_pk) -> tuple[Scheme, SchemeItem]:
    scheme = _scheme_for_edit(request, pk)
    item = scheme.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404("考核项目不存在")
    return scheme, item


def _status(scheme) -> str:
    return f"已发布第{scheme.last_version}版" if scheme.last_version else "草稿"


@reader_required
def scheme_list(request):
    schemes = list(
        Scheme.objects.filter(owner_id__in=readable_unit_ids(request.user))
        .select_related("owner", "group")
        .annotate(item_count=Count("items", distinct=True), last_version=Max("publications__version"))
        .order_by("-year", "owner__path", "name")
    )
    for scheme in schemes:
        scheme.unit_count = len(schema.assessed_units(scheme))
        scheme.status = _status(scheme)
        scheme.result_url = result_url(scheme)
        scheme.can_edit = editing.may_write(request.user, scheme)
    return render(
        request,
        "assessment/scheme_list.html",
        {"schemes": schemes, "can_add": schema.bureau_unit(request.user) is not None},
    )


@bureau_required
def scheme_create(request):
    owner = schema.bureau_unit(request.user)
    form = SchemeForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = editing.scheme_save(
                actor=request.user, scheme=Scheme(owner=owner), values=form.cleaned_data, source=Source.PAGE
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已创建考核方案“{scheme.name}”，请添加考核项目")
            return redirect("assessment_edit", scheme.pk)
    return render(request, "assessment/scheme_form.html", {"form": form, "scheme": None, "owner": owner})


@reader_required
def scheme_edit(request, pk):
    scheme = _scheme_for_edit(request, pk)
    published = schema.is_published(scheme)
    form = SchemeForm(request.POST or None, owner=scheme.owner, initial=SchemeForm.initial_of(scheme))
    if request.method == "POST" and form.is_valid():
        try:
            editing.scheme_save(actor=request.user, scheme=scheme, values=form.cleaned_data, source=Source.PAGE)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "已保存方案")
            return redirect("assessment_edit", scheme.pk)
    return render(
        request,
        "assessment/scheme_form.html",
        {
            "form": form,
            "scheme": scheme,
            "owner": scheme.owner,
            "items": _with_params_text(scheme.items.order_by("position", "id")),
            "published": published,
            "inputs": schema.input_names(scheme),
            "result_url": result_url(scheme),
        },
    )


def _with_params_text(items) -> list:
    items = list(items)
    for item in items:
        item.params_text = "；".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.params.items())
    return items


@require_POST
@reader_required
def scheme_delete(request, pk):
    scheme = _scheme_for_edit(request, pk)
    try:
        editing.scheme_delete(actor=request.user, scheme=scheme, source=Source.PAGE)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("assessment_edit", scheme.pk)
    messages.success(request, f"已删除考核方案“{scheme.name}”")
    return redirect("assessment_list")


@reader_required
def scheme_json(request, pk):
    scheme = _scheme_for_user(request, pk)
    body = json.dumps(schema.dump(scheme), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    name = f"{scheme.year}年{scheme.name}.json"
    from urllib.parse import quote  # noqa: PLC0415

    response["Content-Disposition"] = f"attachment; filename=\"scheme.json\"; filename*=UTF-8''{quote(name)}"
    return response


@bureau_required
def scheme_upload(request):
    owner = schema.bureau_unit(request.user)
    form = SchemeUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", "方案文件过大（最大1MB）")
        else:
            try:
                data = parse(upload.read())
                scheme = schema.load(data, actor=request.user, source=Source.PAGE, owner=owner)
            except ValueError as exc:
                form.add_error("file", str(exc))
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, f"已载入考核方案“{scheme}”（{scheme.items.count()}项）")
                return redirect("assessment_edit", scheme.pk)
    return render(request, "assessment/scheme_upload.html", {"form": form, "problems": problems, "owner": owner})


def _item_page(request, scheme, item):
    params = item.params if item else {}
    rows = None
    if request.method == "POST":
        try:
            rows = max(2, min(20, int(request.POST.get("rows", "3"))))
        except ValueError:
            rows = 3
        if "more" in request.POST:  # 增加一行: the same form again with a blank row more, nothing saved
            form = ItemForm(request.POST, rows=rows + 1)
            form.is_valid()
            form.errors.clear()
            return render(request, "assessment/item_form.html", _item_context(scheme, item, form))
    initial = ItemForm.initial_of(item) if item else {}
    form = ItemForm(request.POST or None, params=params, rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            editing.item_save(actor=request.user, scheme=scheme, item=item, data=form.to_item(), source=Source.PAGE)
        except ValidationError as exc:
            add_refusal(form, exc, by_field=False)
        else:
            messages.success(request, f"已保存考核项目“{form.cleaned_data['name']}”")
            return redirect("assessment_edit", scheme.pk)
    return render(request, "assessment/item_form.html", _item_context(scheme, item, form))


def _item_context(scheme, item, form):
    return {
        "scheme": scheme,
        "item": item,
        "form": form,
        "rows": max(form.row_counts.values()),
        "rule_keys": rule_keys_json(),
        "published": schema.is_published(scheme),
    }


@reader_required
def item_create(request, pk):
    return _item_page(request, _scheme_for_edit(request, pk), None)


@reader_required
def item_edit(request, pk, item_pk):
    scheme, item = _item_for_edit(request, pk, item_pk)
    return _item_page(request, scheme, item)


@require_POST
@reader_required
def item_delete(request, pk, item_pk):
    scheme, item = _item_for_edit(request, pk, item_pk)
    try:
        editing.item_delete(actor=request.user, item=item, source=Source.PAGE)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"已删除考核项目“{item.name}”")
    return redirect("assessment_edit", scheme.pk)


@require_POST
@reader_required
def item_move(request, pk, item_pk):
    scheme, item = _item_for_edit(request, pk, item_pk)
    try:
        editing.item_move(actor=request.user, item=item, up=request.POST.get("dir") == "up", source=Source.PAGE)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    return redirect("assessment_edit", scheme.pk)


# --- 考核数据 ---------------------------------------------------------------------------------------------------


def _cell_value(raw: str):
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{raw}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"“{raw}”不是数字")
    if value != value.quantize(Decimal("0.0001")):
        raise ValueError("最多四位小数")
    if abs(value) > editing.INPUT_MAX:
        raise ValueError("数值过大")
    return value


@reader_required
def scheme_inputs(request, pk):
    scheme = _scheme_for_user(request, pk)
    can_edit = editing.may_write(request.user, scheme)
    published = schema.is_published(scheme)
    units, names = schema.assessed_units(scheme), schema.input_names(scheme)
    recorded = editing.input_grid(scheme)
    typed, errors = {}, {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您只能查看考核数据，不能修改")
        wanted = {}
        for unit in units:
            for i, name in enumerate(names):
                key = f"v-{unit.pk}-{i}"
                typed[(unit.pk, name)] = request.POST.get(key, "")
                try:
                    wanted[(unit, name)] = _cell_value(typed[(unit.pk, name)])
                except ValueError as exc:
                    errors[(unit.pk, name)] = f"{unit.name} {name}：{exc}"
        if published:
            messages.error(request, "考核结果已发布，考核数据不能再修改；如需更正请发布新版本")
        elif errors:
            messages.error(request, "有数值不对，均未保存：" + "；".join(errors.values()))
        else:
            changed = 0
            try:
                with transaction.atomic():
                    for (unit, name), value in wanted.items():
                        outcome = editing.input_set(
                            actor=request.user, scheme=scheme, unit=unit, name=name, value=value, source=Source.PAGE
                        )
                        changed += outcome != "unchanged"
            except ValidationError as exc:
                messages.error(request, refusal_text(exc))
            else:
                messages.success(request, f"已保存考核数据（{changed}项有变化）")
                return redirect("assessment_inputs", scheme.pk)
    rows = []
    for unit in units:
        cells = []
        for i, name in enumerate(names):
            value = recorded.get((unit.pk, name))
            shown = typed.get((unit.pk, name), "" if value is None else f"{value.normalize():f}")
            cells.append(
                {"field": f"v-{unit.pk}-{i}", "name": name, "value": shown, "error": errors.get((unit.pk, name))}
            )
        rows.append({"unit": unit, "cells": cells})
    return render(
        request,
        "assessment/inputs.html",
        {
            "scheme": scheme,
            "names": names,
            "rows": rows,
            "can_edit": can_edit and not published,
            "published": published,
            "result_url": result_url(scheme),
        },
    )
