"""佐证材料 pages: upload to a project or a trip (a refused file shows the form again as filled in, with the reason),
the phone's one-step site photo, the download (scope checked on every request, the bytes streamed by the app: no
public URL exists), deletion. Outside the user's scope: 404; a reader that may not write: 403."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.evidence import services
from zhaoshang.evidence.forms import EvidenceForm, SitePhotoForm
from zhaoshang.evidence.models import Attachment, EvidenceKind
from zhaoshang.frontline.models import Trip
from zhaoshang.org.access import business_reader_required, business_writer_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.lookups import get_project_for_edit


def _trip_for_edit(request, pk) -> Trip:
    trip = Trip.objects.readable_by(request.user).select_related("unit").filter(pk=pk).first()
    if trip is None:
        raise Http404("外出招商记录不存在或不在您的权限范围内")
    if trip.unit_id not in editable_unit_ids(request.user):
        raise PermissionDenied("您只能查看此外出招商记录，不能上传材料")
    return trip


@business_writer_required
def project_upload(request, pk):
    project = get_project_for_edit(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach(
                actor=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                **form.target_of(project),
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "佐证材料已上传")
            return redirect(f"{_project_url(project)}#evidence")
    context = {"form": form, "project": project, "back": f"{_project_url(project)}#evidence"}
    return render(request, "evidence/upload.html", context)


@require_POST
@business_writer_required
def project_photo(request, pk):
    """拍照上传: the photo the phone's camera just took, a 现场照片 of the project or of its latest stage change."""
    project = get_project_for_edit(request, pk)
    form = SitePhotoForm(request.POST, request.FILES)
    back = f"{_project_url(project)}#evidence"
    if not form.is_valid():
        messages.error(request, "请拍摄或选择一张照片")
        return redirect(back)
    target = {}
    if form.cleaned_data.get("to") == "stage":
        latest = project.stage_changes.order_by("-changed_on", "-id").first()
        target = {"stage_change": latest} if latest else {}
    try:
        services.attach(
            actor=request.user,
            project=project,
            kind=EvidenceKind.SITE_PHOTO,
            upload=form.cleaned_data["file"],
            **target,
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "现场照片已上传")
    return redirect(back)


@business_writer_required
def trip_upload(request, pk):
    trip = _trip_for_edit(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    back = f"{_trip_url(trip)}#evidence"
    if request.method == "POST" and form.is_valid():
        try:
            services.attach(
                actor=request.user,
                trip=trip,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "材料已上传")
            return redirect(back)
    return render(request, "evidence/upload.html", {"form": form, "trip": trip, "back": back})


def _project_url(project) -> str:
    return reverse("project_detail", args=[project.pk])


def _trip_url(trip) -> str:
    return reverse("trip_detail", args=[trip.pk])


def _readable(request, pk) -> Attachment:
    found = (
        Attachment.objects.readable_by(request.user)
        .select_related("project__responsible_unit", "trip__unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("材料不存在或不在您的权限范围内")
    return found


@business_reader_required
def download(request, pk):
    """The file, to the readers of what it proves only. `?inline=1` shows an image in the page (its thumbnail);
    anything else is always a download, never rendered by the browser."""
    found = _readable(request, pk)
    storage = found.file.storage
    try:
        handle = storage.open(found.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("文件不存在") from None
    response = FileResponse(handle, content_type=found.content_type)
    inline = request.GET.get("inline") == "1" and found.is_image
    response["Content-Disposition"] = disposition(found.name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def disposition(name: str, *, inline: bool = False) -> str:
    """The header naming the file: RFC 5987's UTF-8 form for the Chinese name (every browser of today reads it),
    an ASCII `filename` beside it for old clients ("file.pdf" when nothing of the name is ASCII)."""
    stem, _, extension = name.rpartition(".")
    plain = "".join(ch for ch in stem if ch.isascii() and (ch.isalnum() or ch in "-_ ")).strip() or "file"
    fallback = f"{plain}.{extension}" if extension.isascii() and extension.isalnum() else plain
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_POST
@business_writer_required
def delete(request, pk):
    found = _readable(request, pk)
    back = f"{_project_url(found.project)}#evidence" if found.project_id else f"{_trip_url(found.trip)}#evidence"
    try:
        services.remove(actor=request.user, attachment=found)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"已删除 {found.name}")
    return redirect(back)
