"""The honours pages: the list, starting a round from a published result, a round's page (its 先进单位, the
nominations, the bureau's actions, docx and xlsx), its settings, and the units' nomination form.
Outside the user's scope (another county): 404; a reader that may not do the write (a leader, a township on the
bureau's actions): 403. See honours/access.py for who sees what."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.assessment.models import Publication
from zhaoshang.core.errors import add_refusal, refusal_text
from zhaoshang.core.files import DOCX, download, wants_xlsx, xlsx_response
from zhaoshang.honours import access, exports, proposal, services
from zhaoshang.honours.document import decision_title, listing, render_decision
from zhaoshang.honours.forms import DecideForm, NominationForm, RoundForm, UnitAddForm, UnitRemoveForm
from zhaoshang.honours.models import HonouredUnit, HonoursRound, Nomination, NominationStatus, UnitRule, default_title
from zhaoshang.org.access import bureau_required, business_reader_required, business_writer_required
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin, readable_unit_ids


def _round_for(request, pk) -> HonoursRound:
    honours = access.readable_rounds(request.user).filter(pk=pk).first()
    if honours is None:
        raise Http404("表彰不存在或不在您的权限范围内")
    return honours


def _round_for_manage(request, pk) -> HonoursRound:
    honours = _round_for(request, pk)
    if not access.may_manage(request.user, honours):
        raise PermissionDenied("只有表彰单位的主管部门管理员可以进行此操作")
    return honours


def _startable(user):
    """The published results the user's bureau may start a round from: the latest version of each scheme."""
    if not is_bureau_admin(user):
        return []
    rows = Publication.objects.filter(scheme__owner_id__in=editable_unit_ids(user)).select_related("scheme")
    latest = {}
    for p in rows.order_by("scheme_id", "-version"):
        latest.setdefault(p.scheme_id, p)
    return sorted(latest.values(), key=lambda p: (-p.scheme.year, p.scheme.name))


@business_reader_required
def honours_list(request):
    # the counts in the query, not two more per round
    rounds = list(
        access.readable_rounds(request.user).annotate(
            listed=Count("units", filter=Q(units__removed=False), distinct=True),
            nominated=Count("nominations", distinct=True),
        )
    )
    for r in rounds:
        r.whole = access.reads_whole(request.user, r)
    return render(request, "honours/round_list.html", {"rounds": rounds, "startable": _startable(request.user)})


def _publication_from(request):
    choices = {p.pk: p for p in _startable(request.user)}
    allowed = Publication.objects.filter(scheme__owner_id__in=editable_unit_ids(request.user))
    raw_pub, raw_scheme = request.GET.get("publication", ""), request.GET.get("scheme", "")
    if raw_pub.isdigit():
        found = allowed.filter(pk=int(raw_pub)).first()
    elif raw_scheme.isdigit():
        found = allowed.filter(scheme_id=int(raw_scheme)).order_by("-version").first()
    else:
        return None, choices
    if found is None:
        raise Http404("考核结果不存在或不在您的权限范围内")
    return found, choices


@bureau_required
def honours_new(request):
    publication, choices = _publication_from(request)
    if publication is None:
        return render(request, "honours/round_new.html", {"choices": choices.values(), "form": None})
    year = publication.scheme.year
    initial = {
        "title": default_title(year),
        "rule": UnitRule.TOP,
        "top_n": 3,
        "honour": "招商引资先进单位",
        "reason": services.default_reason(year),
        "closing": services.DEFAULT_CLOSING,
    }
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            honours = services.round_create(actor=request.user, publication=publication, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "表彰已创建，请点“提议”按规则列出先进单位")
            return redirect("honours_detail", pk=honours.pk)
    groups = list(proposal.groups_of(publication.result))
    return render(
        request, "honours/round_new.html", {"publication": publication, "form": form, "groups": groups, "choices": []}
    )


@business_reader_required
def honours_detail(request, pk):
    honours = _round_for(request, pk)
    whole = access.reads_whole(request.user, honours)
    nominations = access.visible_nominations(request.user, honours)
    fmt = request.GET.get("format")
    if fmt == "docx":
        if not whole:
            raise PermissionDenied("表彰定稿后才能下载表彰决定")
        return download(render_decision(honours), f"{decision_title(honours)}（草稿）.docx", DOCX)
    if wants_xlsx(request):
        sheets = exports.round_sheets(honours, nominations, with_units=whole, readable=readable_unit_ids(request.user))
        return xlsx_response(sheets, f"{honours.title}.xlsx")
    manage = access.may_manage(request.user, honours) and not honours.is_final
    readable = readable_unit_ids(request.user)
    nominations = list(nominations)
    for n in nominations:  # a project is named only to who reads it (a passed nomination is seen county-wide)
        n.shown_projects = [p for p in n.projects.all() if p.responsible_unit_id in readable]
    units = list(honours.units.all()) if whole else []
    taken = {u.unit_name for u in units if not u.removed}
    latest = services.latest_publication(honours.publication)
    result_names = [row["unit"] for row in honours.publication.result.get("units", [])]
    context = {
        "honours": honours,
        "whole": whole,
        "manage": manage,
        "units": units,
        "listing": listing(honours) if whole else None,
        "ties": honours.tie_notes if whole else [],
        "newer": latest if latest.pk != honours.publication_id else None,
        "nominations": nominations,
        "can_nominate": not honours.is_final and access.nominating_units(request.user, honours).exists(),
        "add_form": UnitAddForm(names=[n for n in result_names if n not in taken]) if manage else None,
        "pending": sum(1 for n in nominations if n.status == NominationStatus.NOMINATED),
    }
    return render(request, "honours/round_detail.html", context)


@bureau_required
def honours_edit(request, pk):
    honours = _round_for_manage(request, pk)
    if honours.is_final:
        messages.error(request, "该表彰已定稿，不能再修改")
        return redirect("honours_detail", pk=honours.pk)
    form = RoundForm(request.POST or None, initial=RoundForm.initial_of(honours))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, honours=honours, values=form.values())
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "表彰设置已保存；规则有变化时请重新提议")
            return redirect("honours_detail", pk=honours.pk)
    groups = list(proposal.groups_of(honours.publication.result))
    return render(request, "honours/round_new.html", {"honours": honours, "form": form, "groups": groups})


def _act(request, honours, action, done: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, done)
    return redirect("honours_detail", pk=honours.pk)


@require_POST
@bureau_required
def honours_propose(request, pk):
    honours = _round_for_manage(request, pk)
    return _act(
        request,
        honours,
        lambda: services.round_propose(actor=request.user, honours=honours),
        "已按规则提议先进单位",
    )


@require_POST
@bureau_required
def honours_unit_add(request, pk):
    honours = _round_for_manage(request, pk)
    names = [row["unit"] for row in honours.publication.result.get("units", [])]
    form = UnitAddForm(request.POST, names=names)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("honours_detail", pk=honours.pk)
    data = form.cleaned_data
    return _act(
        request,
        honours,
        lambda: services.unit_add(
            actor=request.user, honours=honours, unit_name=data["unit_name"], reason=data["reason"]
        ),
        f"已增列{data['unit_name']}",
    )


@require_POST
@bureau_required
def honours_unit_remove(request, pk):
    honoured = HonouredUnit.objects.filter(pk=pk).select_related("round").first()
    if honoured is None:
        raise Http404("先进单位不存在")
    honours = _round_for_manage(request, honoured.round_id)
    form = UnitRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写移除理由")
        return redirect("honours_detail", pk=honours.pk)
    return _act(
        request,
        honours,
        lambda: services.unit_remove(actor=request.user, honoured=honoured, reason=form.cleaned_data["reason"]),
        f"已移除{honoured.unit_name}",
    )


@business_writer_required
def honours_nominate(request, pk):
    honours = _round_for(request, pk)
    if honours.is_final:
        messages.error(request, "该表彰已定稿，不再接受推荐")
        return redirect("honours_detail", pk=honours.pk)
    units = access.nominating_units(request.user, honours)
    if not units.exists():
        raise PermissionDenied("您没有可推荐先进个人的单位")
    form = NominationForm(request.POST or None, units=units, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_add(
                actor=request.user, honours=honours, values=form.values(), projects=form.cleaned_data["project_codes"]
            )
        except ValidationError as exc:
            add_refusal(form, exc, field=None)
        else:
            messages.success(request, f"已推荐{nomination.name}")
            return redirect("honours_detail", pk=honours.pk)
    return render(request, "honours/nominate.html", {"honours": honours, "form": form})


@require_POST
@bureau_required
def honours_decide(request, pk):
    nomination = Nomination.objects.filter(pk=pk).select_related("round").first()
    if nomination is None:
        raise Http404("推荐不存在")
    honours = _round_for_manage(request, nomination.round_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("honours_detail", pk=honours.pk)
    data = form.cleaned_data
    return _act(
        request,
        honours,
        lambda: services.nomination_decide(
            actor=request.user, nomination=nomination, status=data["status"], note=data["note"]
        ),
        f"{nomination.name}：{dict(NominationStatus.choices)[data['status']]}",
    )


@require_POST
@bureau_required
def honours_finalize(request, pk):
    honours = _round_for_manage(request, pk)
    return _act(request, honours, lambda: services.round_finalize(actor=request.user, honours=honours), "表彰已定稿")
