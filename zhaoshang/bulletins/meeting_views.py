"""The meeting rhythm's pages: what falls due in a month, each meeting's material, its docx, and the 观摩 picks."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.bulletins import meetings, services
from zhaoshang.bulletins.grouping import group_by_unit, unit_counts
from zhaoshang.bulletins.office import list_limit_for
from zhaoshang.bulletins.output import issuer_for
from zhaoshang.bulletins.period_pages import bureau_period, page_period, period_context, period_query
from zhaoshang.bulletins.xlsx_render import tables_xlsx
from zhaoshang.core.files import DOCX, XLSX
from zhaoshang.core.files import download as _download
from zhaoshang.core.gongwen import render_document
from zhaoshang.core.params import whole_number
from zhaoshang.org import versions
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.scoping import is_bureau_admin


@business_reader_required
def meeting_list(request):
    month, root = page_period(request)
    due = meetings.meetings_due(month)
    return render(
        request,
        "bulletins/meetings.html",
        {
            **period_context(month, root),
            "due": [(kind, meetings.MEETING_TITLES[kind]) for kind in due],
            "others": [(kind, title) for kind, title in meetings.MEETING_TITLES.items() if kind not in due],
        },
    )


@business_reader_required
def meeting_material(request, kind):
    if kind not in meetings.KINDS:
        raise Http404("没有这种会议")
    month, root = page_period(request)
    if request.GET.get("format") == "xlsx":  # every list whole: where a list's "另有N项" points
        material = meetings.build(kind, root, month, whole=True)
        return _download(tables_xlsx(material.title, material.tables), f"{material.title}（附表）.xlsx", XLSX)
    # The material (page and docx) is the same for every reader of the unit and month: cached by the data's
    # version (org/versions.py), which every write it shows moves (tests/progress/test_cache_tables.py).
    material = versions.cached(
        "meeting_material", root, {"kind": kind, "month": month}, lambda: meetings.build(kind, root, month)
    )
    if request.GET.get("format") == "docx":
        content = render_document(
            title=material.title,
            byline=issuer_for({"unit": root.name}),
            paragraphs=material.paragraphs,
            tables=material.tables,
        )
        return _download(content, f"{material.title}.docx", DOCX)
    grouped = [group_by_unit(spec) for spec in material.tables] if kind == "dispatch" else None
    can_pick = is_bureau_admin(request.user)
    picker = _picker(request, root, month, material) if kind == "observation" and can_pick else None
    return render(
        request,
        "bulletins/meeting_material.html",
        {
            "material": material,
            "grouped": grouped,
            "unit_counts": unit_counts(grouped) if grouped else None,
            "kind": kind,
            **period_context(month, root),
            "can_pick": can_pick,
            "picker": picker,
            "due": kind in meetings.meetings_due(month),
        },
    )


PICKER_PARAMS = ("cand_q", "cand_page")  # the picker's search and page, carried by its form's address


def _picker(request, root, month, material=None):
    """The page of candidates the bureau picks from (every candidate, a page of N at a time, searchable), and
    the query string that asks for that same page again (the form posts to it; the pager keeps the search).
    `material`: the 观摩 material on the page, whose N candidates are the picker's first page and whose count
    is the picker's (neither asked again)."""
    text = request.GET.get("cand_q", "").strip()[:50]
    page = meetings.candidate_page(
        root,
        month,
        size=list_limit_for(root),
        number=request.GET.get("cand_page"),
        text=text,
        total=material and material.total,
        shortlist=material and material.candidates,
    )
    page.text = text
    page.search_query = urlencode({"cand_q": text}) if text else ""
    page.own_query = "&".join(filter(None, [page.search_query, f"cand_page={page.number}"]))
    return page


@require_POST
@business_reader_required
def observation_picks(request):
    month, root = bureau_period(request, "只有主管部门管理员可以选定观摩项目")
    # The candidates the page offered (the page of the picker it posted from, the month's picks among them): a
    # box left unticked there is unpicked; a project on another page is left as it is.
    offered = {p.pk: p for p in _picker(request, root, month).object_list}
    wanted = {pk for pk in map(whole_number, request.POST.getlist("project")) if pk is not None}
    if wanted - set(offered):
        raise Http404("所选项目不在候选范围内")
    changed = 0
    for pk, project in offered.items():
        changed += services.observation_pick(actor=request.user, project=project, month=month, picked=pk in wanted)
    messages.success(request, f"已保存观摩项目，变更 {changed} 个")
    kept = urlencode({k: request.GET[k] for k in PICKER_PARAMS if request.GET.get(k)})
    back = f"{reverse('meeting_material', args=['observation'])}?{period_query(month, root)}"
    return redirect(f"{back}&{kept}" if kept else back)
