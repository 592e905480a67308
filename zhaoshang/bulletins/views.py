"""Bulletin pages: the draft for any period and unit, issuing, the issued ones (frozen), and their files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.bulletins import output, services
from zhaoshang.bulletins.models import Bulletin
from zhaoshang.bulletins.period_pages import bureau_period, page_period, period_context, period_query
from zhaoshang.bulletins.tables import bulletin_tables
from zhaoshang.core.errors import refusal_text
from zhaoshang.core.files import DOCX, XLSX
from zhaoshang.core.files import download as _download
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.scoping import is_bureau_admin


def _draft(request):
    month, root = page_period(request)
    snapshot, text, previous = services.draft(root, month)
    snapshot["text"] = text
    return month, root, snapshot, previous


@business_reader_required
def bulletin_draft(request):
    month, root, snapshot, previous = _draft(request)
    fmt = request.GET.get("format")
    title = services.bulletin_title(root, month)
    if fmt == "docx":
        return _download(output.as_docx(snapshot, title, None), f"{title}（草稿）.docx", DOCX)
    if fmt == "xlsx":
        return _download(output.as_xlsx(snapshot, title), f"{title}（附表）.xlsx", XLSX)
    if fmt == "json":
        return HttpResponse(output.as_json(snapshot), content_type="application/json; charset=utf-8")
    return render(
        request,
        "bulletins/bulletin.html",
        {
            "title": title,
            "snapshot": snapshot,
            "paragraphs": snapshot["text"].split("\n"),
            "tables": bulletin_tables(snapshot),
            **period_context(month, root),
            "previous": previous,
            "issued": None,
            "can_issue": is_bureau_admin(request.user),
        },
    )


@require_POST
@business_reader_required
def bulletin_issue(request):
    month, root = bureau_period(request, "只有主管部门管理员可以印发通报")
    try:
        bulletin = services.bulletin_issue(actor=request.user, unit=root, month=month)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect(f"{reverse('bulletin_draft')}?{period_query(month, root)}")
    messages.success(request, f"已印发：{bulletin.title}")
    return redirect("bulletin_issued", pk=bulletin.pk)


def _issued_for(request, pk) -> Bulletin:
    bulletin = Bulletin.objects.readable_by(request.user).filter(pk=pk).select_related("unit", "issued_by").first()
    if bulletin is None:
        raise Http404("通报不存在或不在您的权限范围内")
    return bulletin


@business_reader_required
def bulletin_issued(request, pk):
    bulletin = _issued_for(request, pk)
    fmt = request.GET.get("format")
    if fmt == "docx":
        return _download(
            output.as_docx(bulletin.snapshot, bulletin.title, bulletin.issued_at.date()), f"{bulletin.title}.docx", DOCX
        )
    if fmt == "xlsx":
        return _download(output.as_xlsx(bulletin.snapshot, bulletin.title), f"{bulletin.title}（附表）.xlsx", XLSX)
    if fmt == "json":
        return HttpResponse(output.as_json(bulletin.snapshot), content_type="application/json; charset=utf-8")
    return render(
        request,
        "bulletins/bulletin.html",
        {
            "title": bulletin.title,
            "snapshot": bulletin.snapshot,
            "paragraphs": bulletin.text.split("\n"),
            "tables": bulletin_tables(bulletin.snapshot),
            "issued": bulletin,
            "previous": bulletin.previous,
            "query": "",
        },
    )


@business_reader_required
def bulletin_list(request):
    bulletins = Bulletin.objects.readable_by(request.user).select_related("unit", "issued_by")[:200]
    return render(request, "bulletins/bulletin_list.html", {"bulletins": bulletins})
