"""The 宣传与培训 pages: typical cases (list per period with filters, pages and Excel; a case's page with its photos;
the forms), training sessions (list, page, form) and the hours per unit and per person.
Outside the reader's scope: 404; a reader that may not write (a leader, a sibling town, a non-bureau on a
session): 403. Photos are served only by `case_photo`, after the reader's scope is checked."""

import calendar
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.carriers import photos
from zhaoshang.carriers.forms import PhotoForm
from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import wants_xlsx
from zhaoshang.org.access import bureau_required, business_reader_required, business_writer_required
from zhaoshang.org.scoping import editable_unit_ids, home_unit, is_bureau_admin
from zhaoshang.outreach import exports, queries, services
from zhaoshang.outreach.forms import CaseFilterForm, CaseForm, PeriodFilterForm, SessionForm
from zhaoshang.outreach.models import CasePhoto, TypicalCase


def _window(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


# --- Cases ------------------------------------------------------------------------------------------------------


def _case_for_user(request, pk) -> TypicalCase:
    case = queries.cases_for(request.user).select_related("unit").filter(pk=pk).first()
    if case is None:
        raise Http404("典型案例不存在或不在您的权限范围内")
    return case


def _case_for_edit(request, pk) -> TypicalCase:
    case = _case_for_user(request, pk)
    if not services.may_write_case(request.user, case):
        raise PermissionDenied("您只能查看此案例，不能修改")
    return case


@business_reader_required
def case_list(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    year, first, last, unit = form.period()
    rows = queries.cases_for(request.user).filter(published_on__range=_window(year, first, last))
    if form.is_bound and not form.is_valid():
        rows = rows.none()
    if unit is not None:
        rows = rows.under(unit)
    level = form.cleaned_data.get("level") if form.is_bound and form.is_valid() else ""
    if level:
        rows = rows.filter(level=level)
    rows = rows.select_related("unit").prefetch_related("projects").order_by("-published_on", "-id")
    if wants_xlsx(request):
        return exports.cases_response(rows.iterator(chunk_size=500), f"典型案例{year}年{first}-{last}月")
    page = Paginator(rows.annotate(photo_count=Count("photos")), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    by_level = dict(rows.order_by().values_list("level").annotate(n=Count("id")))
    return render(
        request,
        "outreach/case_list.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "by_level": [
                (label, by_level.get(value, 0)) for value, label in TypicalCase._meta.get_field("level").choices
            ],
            "period": f"{year}年{first}月至{last}月" if first != last else f"{year}年{first}月",
            "can_add": bool(editable_unit_ids(request.user)),
        },
    )


@business_reader_required
def case_detail(request, pk):
    case = _case_for_user(request, pk)
    can_edit = services.may_write_case(request.user, case)
    return render(
        request,
        "outreach/case_detail.html",
        {
            "case": case,
            "projects": list(case.projects.readable_by(request.user).select_related("responsible_unit")),
            "photos": list(case.photos.all()),
            "can_edit": can_edit,
            "photo_form": PhotoForm() if can_edit else None,
            "max_photos": services.MAX_PHOTOS,
        },
    )


def _save_case(request, case=None):
    form = CaseForm(request.POST or None, instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.case_save(actor=request.user, case=case, values=form.values(), projects=form.projects)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "projects" in exc.error_dict:
                form.add_error("project_codes", exc.error_dict.pop("projects"))
            add_refusal(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "典型案例已保存")
            return redirect("case_detail", pk=saved.pk)
    return render(request, "outreach/case_form.html", {"form": form, "case": case})


@business_writer_required
def case_create(request):
    return _save_case(request)


@business_writer_required
def case_edit(request, pk):
    return _save_case(request, _case_for_edit(request, pk))


@require_POST
@business_writer_required
def case_delete(request, pk):
    case = _case_for_edit(request, pk)
    services.case_delete(actor=request.user, case=case)
    messages.success(request, f"已删除典型案例“{case.title}”")
    return redirect("case_list")


@require_POST
@business_writer_required
def case_photo_upload(request, pk):
    case = _case_for_edit(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("case_detail", pk=case.pk)
    try:
        services.photo_add(
            actor=request.user, case=case, upload=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "照片已上传")
    return redirect("case_detail", pk=case.pk)


def _photo_for_user(request, pk) -> CasePhoto:
    readable = queries.cases_for(request.user).values("pk")
    photo = CasePhoto.objects.filter(pk=pk, case_id__in=readable).select_related("case__unit").first()
    if photo is None:
        raise Http404("照片不存在或不在您的权限范围内")
    return photo


@business_reader_required
def case_photo(request, pk):
    """A photo, to the readers of its case only."""
    return photos.photo_response(_photo_for_user(request, pk).image.name)


@require_POST
@business_writer_required
def case_photo_delete(request, pk):
    found = _photo_for_user(request, pk)
    if not services.may_write_case(request.user, found.case):
        raise PermissionDenied("您只能查看此案例，不能修改")
    services.photo_delete(actor=request.user, photo=found)
    messages.success(request, "照片已删除")
    return redirect("case_detail", pk=found.case_id)


# --- Training ---------------------------------------------------------------------------------------------------


def _session_for_user(request, pk):
    session = queries.sessions_for(request.user).select_related("owner").filter(pk=pk).first()
    if session is None:
        raise Http404("培训不存在或不在您的权限范围内")
    return session


def _session_for_edit(request, pk):
    session = _session_for_user(request, pk)
    if not services.may_write_session(request.user, session):
        raise PermissionDenied("只有主管部门管理员可以修改培训")
    return session


@business_reader_required
def training_list(request):
    form = PeriodFilterForm(request.GET or None, user=request.user)
    year, first, last, unit = form.period()
    rows = queries.sessions_for(request.user).filter(held_on__range=_window(year, first, last))
    if form.is_bound and not form.is_valid():
        rows = rows.none()
    if unit is not None:
        rows = rows.filter(attendances__unit__path__startswith=unit.path).distinct()
    rows = rows.select_related("owner").annotate(people=Count("attendances", distinct=True)).order_by("-held_on", "-id")
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/training_list.html",
        {"form": form, "page": page, "query": _query(request), "can_add": is_bureau_admin(request.user)},
    )


@business_reader_required
def training_detail(request, pk):
    session = _session_for_user(request, pk)
    attendances = session.attendances.readable_by(request.user).select_related("user", "unit")
    return render(
        request,
        "outreach/training_detail.html",
        {
            "session": session,
            "attendances": list(attendances),
            "total": session.attendances.count(),
            "can_edit": services.may_write_session(request.user, session),
        },
    )


def _save_session(request, session=None):
    owner = session.owner if session else home_unit(request.user)
    form = SessionForm(request.POST or None, instance=session, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(
                actor=request.user, owner=owner, session=session, values=form.values(), attendees=form.chosen()
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "培训已保存")
            return redirect("training_detail", pk=saved.pk)
    return render(request, "outreach/training_form.html", {"form": form, "session": session, "owner": owner})


@bureau_required
def training_create(request):
    return _save_session(request)


@bureau_required
def training_edit(request, pk):
    return _save_session(request, _session_for_edit(request, pk))


@require_POST
@bureau_required
def training_delete(request, pk):
    session = _session_for_edit(request, pk)
    services.session_delete(actor=request.user, session=session)
    messages.success(request, f"已删除培训“{session.topic}”")
    return redirect("training_list")


@business_reader_required
def training_hours(request):
    form = PeriodFilterForm(request.GET or None, user=request.user)
    year, first, last, unit = form.period()
    per_unit, per_person = ([], [])
    if not (form.is_bound and not form.is_valid()):
        per_unit, per_person = queries.hours(request.user, *_window(year, first, last), unit)
    title = f"培训学时{year}年{first}-{last}月"
    if wants_xlsx(request):
        return exports.hours_response(per_unit, per_person, title)
    return render(
        request,
        "outreach/training_hours.html",
        {
            "form": form,
            "per_unit": per_unit,
            "per_person": per_person,
            "period": f"{year}年{first}月至{last}月",
            "total_hours": sum((r["hours"] for r in per_unit), start=queries.tenths(0)),
            "total_times": sum(r["times"] for r in per_unit),
        },
    )
