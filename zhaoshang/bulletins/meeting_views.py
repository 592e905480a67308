"""The meeting rhythm's pages: what falls due in a month, each meeting's material, its docx, and the 观摩 picks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.bulletins import meetings, services
from zhaoshang.bulletins.output import issuer_for
from zhaoshang.core.files import DOCX
from zhaoshang.core.files import download as _download
from zhaoshang.core.gongwen import render_document
from zhaoshang.core.params import whole_number
from zhaoshang.core.periods import format_month
from zhaoshang.org.access import business_reader_required
from zhaoshang.org.lookups import unit_from_request
from zhaoshang.org.scoping import is_bureau_admin
from zhaoshang.progress.views.common import period_from, recent_months


@business_reader_required
def meeting_list(request):
    month, root = period_from(request), unit_from_request(request)
    due = meetings.meetings_due(month)
    return render(
        request,
        "bulletins/meetings.html",
        {
            "month": month,
            "months": recent_months(),
            "report": {"root": root},
            "due": [(kind, meetings.MEETING_TITLES[kind]) for kind in due],
            "others": [(kind, title) for kind, title in meetings.MEETING_TITLES.items() if kind not in due],
            "query": f"month={format_month(month)}&unit={root.pk}",
        },
    )


@business_reader_required
def meeting_material(request, kind):
    if kind not in meetings.KINDS:
        raise Http404("没有这种会议")
    month, root = period_from(request), unit_from_request(request)
    material = meetings.build(kind, root, month)
    if request.GET.get("format") == "docx":
        content = render_document(
            title=material.title,
            byline=issuer_for({"unit": root.name}),
            paragraphs=material.paragraphs,
            tables=material.tables,
        )
        return _download(content, f"{material.title}.docx", DOCX)
    return render(
        request,
        "bulletins/meeting_material.html",
        {
            "material": material,
            "kind": kind,
            "month": month,
            "months": recent_months(),
            "report": {"root": root},
            "query": f"month={format_month(month)}&unit={root.pk}",
            "can_pick": is_bureau_admin(request.user),
            "due": kind in meetings.meetings_due(month),
        },
    )


@require_POST
@business_reader_required
def observation_picks(request):
    if not is_bureau_admin(request.user):
        raise PermissionDenied("只有主管部门管理员可以选定观摩项目")
    month, root = period_from(request), unit_from_request(request)
    offered = {p.pk: p for p in meetings.observation_candidates(root, month)}
    wanted = {pk for pk in map(whole_number, request.POST.getlist("project")) if pk is not None}
    if wanted - set(offered):
        raise Http404("所选项目不在候选范围内")
    changed = 0
    for pk, project in offered.items():
        changed += services.observation_pick(actor=request.user, project=project, month=month, picked=pk in wanted)
    messages.success(request, f"已保存观摩项目，变更 {changed} 个")
    return redirect(f"{reverse('meeting_material', args=['observation'])}?month={format_month(month)}&unit={root.pk}")
