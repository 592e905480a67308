"""The result page of a scheme: the live result of a draft (the bureau and the leaders over the owner), the
published versions (also every assessed unit: 公示), their Excel, Word and JSON, and publishing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.assessment import outputs, services
from zhaoshang.assessment.models import Scheme
from zhaoshang.assessment.scoring import SchemeError, score
from zhaoshang.core.errors import refusal_text
from zhaoshang.core.files import DOCX, XLSX, download, write_book
from zhaoshang.core.params import whole_number
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.models import Role, Unit
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import is_bureau_admin, memberships, readable_unit_ids

OVERSEEING = (Role.BUREAU_ADMIN, Role.LEADER)


def _oversees(user, scheme) -> bool:
    """A bureau admin or a leader whose scope covers the scheme's owner (its subtree)."""
    return any(m.role in OVERSEEING and scheme.owner.path.startswith(m.unit.path) for m in memberships(user))


def _assessed_reader(user, publication) -> bool:
    """A user of a unit the published result assesses (公示: every assessed unit reads the whole table)."""
    if publication is None:
        return False
    names = [u["unit"] for u in publication.result.get("units", [])]
    ids = set(Unit.objects.filter(name__in=names).values_list("pk", flat=True))
    return bool(ids & readable_unit_ids(user))


def _access(request, pk):
    """(scheme, its publications newest first, may the user see the live result); 404 to anyone else."""
    scheme = Scheme.objects.select_related("owner", "group").filter(pk=pk).first()
    if scheme is None:
        raise Http404("考核方案不存在或不在您的权限范围内")
    publications = list(scheme.publications.select_related("published_by").order_by("-version"))
    live = _oversees(request.user, scheme)
    if not live and not _assessed_reader(request.user, publications[0] if publications else None):
        raise Http404("考核方案不存在或不在您的权限范围内")
    return scheme, publications, live


def _can_publish(user, scheme) -> bool:
    return is_bureau_admin(user) and manages(user, scheme.owner)


def _file(result: dict, scheme, publication, fmt: str):
    name = outputs.title_of(result) + (f"（第{publication.version}版）" if publication else "（草稿）")
    if fmt == "json":
        return HttpResponse(outputs.as_json(result), content_type="application/json; charset=utf-8")
    if fmt == "xlsx":
        return download(write_book(outputs.xlsx_sheets(result)), f"{name}.xlsx", XLSX)
    content = outputs.as_docx(
        result,
        scheme.owner,
        published_on=publication.published_at.date() if publication else None,
        version=publication.version if publication else None,
    )
    return download(content, f"{name}公示.docx", DOCX)


def _table(result: dict) -> list[dict]:
    """The result's units by group for the page, each item with its flags."""
    return [{"group": group, "units": units} for group, units in outputs.groups_of(result)]


@business_reader_required
def assessment_result(request, pk):
    scheme, publications, live_allowed = _access(request, pk)
    wanted = request.GET.get("version")
    publication, result, error = None, None, ""
    if wanted:
        number = whole_number(wanted)
        publication = next((p for p in publications if p.version == number), None)
        if publication is None:
            raise Http404("该版本不存在")
    elif publications and not (live_allowed and request.GET.get("live")):
        publication = publications[0]
    if publication is not None:
        result = publication.result
    else:
        try:
            result = score(scheme).as_json()
        except SchemeError as exc:
            error = str(exc)
    fmt = request.GET.get("format")
    if fmt in ("json", "xlsx", "docx") and result is not None:
        return _file(result, scheme, publication, fmt)
    return render(
        request,
        "assessment/result.html",
        {
            "scheme": scheme,
            "title": outputs.title_of({"year": scheme.year, "scheme": scheme.name}),
            "result": result,
            "items": outputs.item_names(result) if result else [],
            "groups": _table(result) if result else [],
            "error": error,
            "publication": publication,
            "publications": publications,
            "live_allowed": live_allowed,
            "can_publish": _can_publish(request.user, scheme),
            "query": f"version={publication.version}" if publication else ("live=1" if publications else ""),
        },
    )


@require_POST
@business_reader_required
def assessment_publish(request, pk):
    scheme, _publications, _live = _access(request, pk)
    if not _can_publish(request.user, scheme):
        raise PermissionDenied("只有制定方案的主管部门管理员可以发布考核结果")
    try:
        publication = services.publish(scheme, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("assessment_result", pk=scheme.pk)
    messages.success(request, f"已发布{scheme}考核结果（第{publication.version}版），此后数据修改不影响已发布结果")
    return redirect("assessment_result", pk=scheme.pk)
