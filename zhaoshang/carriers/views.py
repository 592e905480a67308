"""The carriers pages: the list that answers "what space can we offer an investor this week" (filters, totals,
pages, Excel), a carrier's page (its space, photos, the projects in it with their 亩均 figures), the forms, and the
photos, served only through `photo` after the reader's scope is checked (never a public URL).
Outside the user's scope: 404; a reader that may not write the carrier's unit (a leader, a sibling town): 403."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.carriers import exports, photos, queries, services, space
from zhaoshang.carriers.forms import CarrierFilterForm, CarrierForm, EndForm, OccupancyForm, PhotoForm
from zhaoshang.carriers.models import Carrier, CarrierPhoto, Occupancy
from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.core.periods import today
from zhaoshang.org.access import business_reader_required, business_writer_required
from zhaoshang.org.scoping import editable_unit_ids


def _carrier_for_user(request, pk) -> Carrier:
    carrier = Carrier.objects.readable_by(request.user).select_related("unit").filter(pk=pk).first()
    if carrier is None:
        raise Http404("载体不存在或不在您的权限范围内")
    return carrier


def _carrier_for_edit(request, pk) -> Carrier:
    carrier = _carrier_for_user(request, pk)
    if not services.may_write(request.user, carrier):
        raise PermissionDenied("您只能查看此载体，不能修改")
    return carrier


def _occupancy_for_edit(request, pk) -> Occupancy:
    occupancy = (
        Occupancy.objects.readable_by(request.user).select_related("carrier__unit", "project").filter(pk=pk).first()
    )
    if occupancy is None:
        raise Http404("入驻记录不存在或不在您的权限范围内")
    if not services.may_write(request.user, occupancy.carrier):
        raise PermissionDenied("您只能查看此入驻记录，不能修改")
    return occupancy


@business_reader_required
def carrier_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, exports.carriers_export(request.user, request.GET), kind="carriers")
    on = today()
    form = CarrierFilterForm(request.GET or None, user=request.user)
    chosen = form.apply(queries.readable(request.user, on))
    page = Paginator(queries.ordered(chosen, form.sort_key), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    found = queries.occupants([c.pk for c in page], request.user, on)
    for carrier in page:
        carrier.inside = found.get(carrier.pk) or queries.Occupants([], 0)
        _space_figures(carrier)
    return render(
        request,
        "carriers/carrier_list.html",
        {
            "form": form,
            "page": page,
            "totals": queries.totals(chosen),
            "can_add": bool(editable_unit_ids(request.user)),
            "on": on,
        },
    )


def _space_figures(carrier) -> None:
    carrier.use_mu = space.use_rate(carrier.taken_mu, carrier.land_mu)
    carrier.use_m2 = space.use_rate(carrier.taken_m2, carrier.building_m2)
    carrier.over_mu = space.over_full(carrier.taken_mu, carrier.land_mu)
    carrier.over_m2 = space.over_full(carrier.taken_m2, carrier.building_m2)


@business_reader_required
def carrier_detail(request, pk):
    on = today()
    carrier = queries.one_for(request.user, pk, on)
    if carrier is None:
        raise Http404("载体不存在或不在您的权限范围内")
    _space_figures(carrier)
    can_edit = services.may_write(request.user, carrier)
    return render(
        request,
        "carriers/carrier_detail.html",
        {
            "carrier": carrier,
            "occupancies": queries.occupancies_of(carrier, request.user),
            "photos": list(carrier.photos.all()),
            "can_edit": can_edit,
            "photo_form": PhotoForm() if can_edit else None,
            "max_photos": photos.max_count(),
            "on": on,
        },
    )


def _save(request, carrier=None):
    form = CarrierForm(request.POST or None, instance=carrier, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.carrier_save(actor=request.user, carrier=carrier, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "载体已保存")
            return redirect("carrier_detail", pk=saved.pk)
    return render(request, "carriers/carrier_form.html", {"form": form, "carrier": carrier})


@business_writer_required
def carrier_create(request):
    return _save(request)


@business_writer_required
def carrier_edit(request, pk):
    return _save(request, _carrier_for_edit(request, pk))


@require_POST
@business_writer_required
def carrier_delete(request, pk):
    carrier = _carrier_for_edit(request, pk)
    try:
        services.carrier_delete(actor=request.user, carrier=carrier)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("carrier_detail", pk=carrier.pk)
    messages.success(request, f"已删除载体“{carrier.name}”")
    return redirect("carrier_list")


def _occupancy_form(request, carrier, occupancy=None):
    form = OccupancyForm(request.POST or None, instance=occupancy, user=request.user, carrier=carrier)
    if request.method == "POST" and form.is_valid():
        try:
            services.occupancy_save(actor=request.user, carrier=carrier, occupancy=occupancy, values=form.values())
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "project" in exc.error_dict:  # the form names it by its 项目编号
                form.add_error("project_code", exc.error_dict.pop("project"))
            add_refusal(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "入驻记录已保存")
            return redirect("carrier_detail", pk=carrier.pk)
    return render(request, "carriers/occupancy_form.html", {"form": form, "carrier": carrier, "occupancy": occupancy})


@business_writer_required
def occupancy_create(request, pk):
    return _occupancy_form(request, _carrier_for_edit(request, pk))


@business_writer_required
def occupancy_edit(request, pk):
    occupancy = _occupancy_for_edit(request, pk)
    return _occupancy_form(request, occupancy.carrier, occupancy)


@business_writer_required
def occupancy_end(request, pk):
    occupancy = _occupancy_for_edit(request, pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.occupancy_end(
                actor=request.user, occupancy=occupancy, moved_out_on=form.cleaned_data["moved_out_on"]
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{occupancy.project.name} 已迁出")
            return redirect("carrier_detail", pk=occupancy.carrier_id)
    return render(request, "carriers/occupancy_end.html", {"form": form, "occupancy": occupancy})


@require_POST
@business_writer_required
def occupancy_delete(request, pk):
    occupancy = _occupancy_for_edit(request, pk)
    try:
        services.occupancy_delete(actor=request.user, occupancy=occupancy)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "已删除入驻记录")
    return redirect("carrier_detail", pk=occupancy.carrier_id)


@require_POST
@business_writer_required
def photo_upload(request, pk):
    carrier = _carrier_for_edit(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("carrier_detail", pk=carrier.pk)
    try:
        services.photo_add(
            actor=request.user, carrier=carrier, upload=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "照片已上传")
    return redirect("carrier_detail", pk=carrier.pk)


def _photo_for_user(request, pk) -> CarrierPhoto:
    readable = Carrier.objects.readable_by(request.user).values("pk")
    photo = CarrierPhoto.objects.filter(pk=pk, carrier_id__in=readable).select_related("carrier__unit").first()
    if photo is None:
        raise Http404("照片不存在或不在您的权限范围内")
    return photo


@business_reader_required
def photo(request, pk):
    """A photo, to the readers of its carrier only."""
    return photos.photo_response(_photo_for_user(request, pk).image.name)


@require_POST
@business_writer_required
def photo_delete(request, pk):
    found = _photo_for_user(request, pk)
    if not services.may_write(request.user, found.carrier):
        raise PermissionDenied("您只能查看此载体，不能修改")
    services.photo_delete(actor=request.user, photo=found)
    messages.success(request, "照片已删除")
    return redirect("carrier_detail", pk=found.carrier_id)
