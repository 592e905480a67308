"""Bulletin pages: the draft for any period and unit, issuing, the issued ones (frozen), and their files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.bulletins import output, services
from zhaoshang.bulletins.document import FORMS, annex_choice, bulletin_document, draft_issue, issue_of
from zhaoshang.bulletins.forms import OfficeForm, annex_initial, list_limit_initial, tables_initial
from zhaoshang.bulletins.models import Bulletin
from zhaoshang.bulletins.office import FIELDS, letterhead_for, office_of
from zhaoshang.bulletins.period_pages import bureau_period, page_period, period_context, period_query
from zhaoshang.bulletins.tables import bulletin_tables
from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import DOCX, XLSX
from zhaoshang.core.files import download as _download
from zhaoshang.core.params import whole_number
from zhaoshang.core.pdf import PdfUnavailable, docx_to_pdf, pdf_available
from zhaoshang.org import versions
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import is_bureau_admin

PDF = "application/pdf"


def _draft_figures(root, month) -> dict:
    snapshot, text, previous = services.draft(root, month)
    snapshot["text"] = text
    # Only what the page shows of the previous bulletin: not its snapshot nor its full lists, kept in the cache.
    return {"snapshot": snapshot, "previous": previous and {"pk": previous.pk, "title": previous.title}}


def _draft(request):
    """The draft's snapshot: the same for every reader of the unit and month, so cached by the data's version
    (org/versions.py) and shared by the page, its Word, Excel and JSON."""
    month, root = page_period(request)
    draft = versions.cached("bulletin_draft", root, {"month": month}, lambda: _draft_figures(root, month))
    return month, root, draft["snapshot"], draft["previous"]


def _document_file(request, snapshot, title, issue, name):
    """?format=docx|pdf, &form=gongwen (the 公文, default) or brief (the 简报): the file, or None. A PDF where
    LibreOffice is missing (or fails) goes back to the page, which says so and offers the Word file."""
    form = request.GET.get("form") if request.GET.get("form") in FORMS else "gongwen"
    suffix = "" if form == "gongwen" else "（简报）"
    content = output.as_docx(snapshot, title, issue, form)
    if request.GET.get("format") == "docx":
        return _download(content, f"{name}{suffix}.docx", DOCX)
    try:
        return _download(docx_to_pdf(content), f"{name}{suffix}.pdf", PDF)
    except PdfUnavailable as exc:
        messages.error(request, str(exc))
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{request.path}?{query.urlencode()}")


def _page_context(snapshot, title, issue) -> dict:
    return {
        "title": title,
        "snapshot": snapshot,
        "document": bulletin_document(snapshot, title, issue),
        "tables": bulletin_tables(snapshot, annex_choice(issue)),
        "forms": FORMS,
        "pdf_available": pdf_available(),
    }


@business_reader_required
def bulletin_draft(request):
    month, root, snapshot, previous = _draft(request)
    fmt = request.GET.get("format")
    title = services.bulletin_title(root, month)
    if fmt in ("docx", "pdf"):
        return _document_file(request, snapshot, title, draft_issue(root), f"{title}（草稿）")
    if fmt == "xlsx":
        full = versions.cached(
            "bulletin_draft_lists", root, {"month": month}, lambda: services.full_lists(root, month, snapshot)
        )
        xlsx = output.as_xlsx(snapshot, title, annex_choice(draft_issue(root)), full)
        return _download(xlsx, f"{title}（附表）.xlsx", XLSX)
    if fmt == "json":
        return HttpResponse(output.as_json(snapshot), content_type="application/json; charset=utf-8")
    can_issue = is_bureau_admin(request.user) and manages(request.user, root)
    return render(
        request,
        "bulletins/bulletin.html",
        {
            **_page_context(snapshot, title, draft_issue(root)),
            **period_context(month, root),
            "previous": previous,
            "issued": None,
            "can_issue": can_issue,
            "earlier": services.earlier_requirements(root) if can_issue else [],
        },
    )


@require_POST
@business_reader_required
def bulletin_issue(request):
    month, root = bureau_period(request, "只有主管部门管理员可以印发通报")
    try:
        bulletin = services.bulletin_issue(
            actor=request.user,
            unit=root,
            month=month,
            requirements=request.POST.get("requirements", ""),
            requirements_from=whole_number(request.POST.get("requirements_from") or ""),
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return redirect(f"{reverse('bulletin_draft')}?{period_query(month, root)}")
    messages.success(request, f"已印发：{bulletin.title}（{bulletin.doc_number}）")
    return redirect("bulletin_issued", pk=bulletin.pk)


def _issued_for(request, pk) -> Bulletin:
    bulletin = (
        Bulletin.objects.readable_by(request.user)
        .filter(pk=pk)
        .select_related("unit", "issued_by")
        .defer("annex_rows")  # the Excel 附表's full lists: read by that download only
        .first()
    )
    if bulletin is None:
        raise Http404("通报不存在或不在您的权限范围内")
    return bulletin


@business_reader_required
def bulletin_issued(request, pk):
    bulletin = _issued_for(request, pk)
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        return _document_file(request, bulletin.snapshot, bulletin.title, issue_of(bulletin), bulletin.title)
    if fmt == "xlsx":
        full = Bulletin.objects.filter(pk=bulletin.pk).values_list("annex_rows", flat=True).first()
        xlsx = output.as_xlsx(bulletin.snapshot, bulletin.title, annex_choice(issue_of(bulletin)), full)
        return _download(xlsx, f"{bulletin.title}（附表）.xlsx", XLSX)
    if fmt == "json":
        return HttpResponse(output.as_json(bulletin.snapshot), content_type="application/json; charset=utf-8")
    return render(
        request,
        "bulletins/bulletin.html",
        {
            **_page_context(bulletin.snapshot, bulletin.title, issue_of(bulletin)),
            "issued": bulletin,
            "previous": bulletin.previous,
            "query": "",
        },
    )


@business_reader_required
def bulletin_list(request):
    bulletins = Bulletin.objects.readable_by(request.user).select_related("unit", "issued_by").defer("annex_rows")[:200]
    return render(request, "bulletins/bulletin_list.html", {"bulletins": bulletins})


@bureau_required
def bulletin_office(request):
    """发文设置: how the unit's office issues its bulletins; a bureau sees and edits only the units it manages."""
    unit = unit_from_request(request)
    if not manages(request.user, unit):
        raise PermissionDenied("您无权修改该单位的发文设置：不在您的管理范围内")
    if request.method == "POST":
        form = OfficeForm(request.POST)
        if form.is_valid():
            try:
                services.office_save(actor=request.user, unit=unit, values=form.cleaned_data)
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                messages.success(request, "发文设置已保存，此后印发的通报按新设置编排")
                return redirect(f"{reverse('bulletin_office')}?unit={unit.pk}")
    else:
        current = letterhead_for(unit)
        if office_of(unit) is None or not office_of(unit).mark:
            current["mark"] = ""  # blank means the default, shown as the hint
        form = OfficeForm(
            initial={
                **{name: current[name] for name in FIELDS},
                "annex_columns": annex_initial(unit),
                "annex_tables": tables_initial(unit),
                "list_limit": list_limit_initial(unit),
            }
        )
    return render(
        request,
        "bulletins/office.html",
        {"form": form, "unit": unit, "saved": office_of(unit) is not None, "letterhead": letterhead_for(unit)},
    )
