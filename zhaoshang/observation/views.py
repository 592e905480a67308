"""The 观摩 pages: the bureau's list, new and edit pages (criteria, judges, the route and its weights, status,
reopening sheets, typing a named judge's scores); the judges' phone pages (their events, a project at a time, the
submission); the results (page, xlsx, docx)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import add_refusal
from zhaoshang.core.files import download, xlsx_response
from zhaoshang.core.money import parse_amount
from zhaoshang.core.params import whole_number
from zhaoshang.observation import documents, results, services
from zhaoshang.observation.forms import CriterionForm, EventForm, JudgeAddForm
from zhaoshang.observation.lookups import (
    events_visible_to,
    get_event_for_user,
    get_event_to_manage,
    get_named_sheet,
    get_own_sheet,
)
from zhaoshang.observation.models import Judge, Score, Status
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.ownership import manages, managing_unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@business_reader_required
def event_list(request):
    events = list(
        events_visible_to(request.user)
        .select_related("owner")
        .annotate(visit_count=Count("visits", distinct=True), judge_count=Count("judges", distinct=True))
    )
    for event in events:
        event.can_manage = manages(request.user, event.owner)
    return render(
        request,
        "observation/event_list.html",
        {"events": events, "can_create": managing_unit(request.user) is not None},
    )


@bureau_required
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"已建立观摩活动“{event.name}”，请设置评分项目、评委和观摩项目")
            return redirect("observation_edit", event.pk)
    return render(request, "observation/event_new.html", {"form": form})


def _edit_page(request, event, *, form=None, criterion_form=None, judge_form=None, status=200):
    judges = list(event.judges.select_related("user").annotate(scored=Count("scores")))
    visits = list(event.visits.select_related("project", "unit"))
    criteria = list(event.criteria.all())
    return render(
        request,
        "observation/event_edit.html",
        {
            "event": event,
            "form": form or EventForm(instance=event),
            "criteria": criteria,
            "full_marks": sum((c.full_marks for c in criteria), 0),
            "scored": any(j.scored for j in judges),
            "criterion_form": criterion_form or CriterionForm(prefix="c"),
            "judges": judges,
            "judge_form": judge_form or JudgeAddForm(prefix="j", owner=event.owner),
            "visits": visits,
            "pick_months": services.pick_months(event),
            "statuses": Status,
        },
        status=status,
    )


@bureau_required
def event_edit(request, pk):
    event = get_event_to_manage(request.user, pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, values=form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("observation_edit", event.pk)
    return _edit_page(request, event, form=form, status=400 if request.method == "POST" else 200)


def _decimal_or_none(raw, noun):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return parse_amount(raw, noun=noun)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


@bureau_required
@require_POST
def event_change(request, pk):
    """Every change of the edit page's lists, by `op`: status, criterion_add, criterion_remove, judge_add,
    judge_remove, visit_add, picks_import, weights, visit_move, visit_remove, reopen."""
    event = get_event_to_manage(request.user, pk)
    op, post, actor = request.POST.get("op", ""), request.POST, request.user
    back = redirect("observation_edit", event.pk)
    try:
        if op == "status":
            services.event_set_status(actor=actor, event=event, status=post.get("status", ""))
            messages.success(request, f"状态已改为“{post.get('status')}”")
        elif op == "criterion_add":
            form = CriterionForm(post, prefix="c")
            if not form.is_valid():
                return _edit_page(request, event, criterion_form=form, status=400)
            services.criterion_add(actor=actor, event=event, **form.cleaned_data)
        elif op == "criterion_remove":
            criterion = get_object_or_404(event.criteria, pk=whole_number(post.get("criterion")))
            services.criterion_remove(actor=actor, criterion=criterion)
        elif op == "judge_add":
            form = JudgeAddForm(post, prefix="j", owner=event.owner)
            if not form.is_valid():
                return _edit_page(request, event, judge_form=form, status=400)
            services.judge_add(actor=actor, event=event, **form.cleaned_data)
        elif op in ("judge_remove", "reopen"):
            judge = get_object_or_404(event.judges, pk=whole_number(post.get("judge")))
            if op == "reopen":
                services.sheet_reopen(actor=actor, judge=judge, reason=post.get("reason", ""))
                messages.success(request, f"已退回评委“{judge.name}”的评分表")
            else:
                services.judge_remove(actor=actor, judge=judge)
        elif op == "visit_add":
            visit = services.visit_add(actor=actor, event=event, text=post.get("project", ""))
            messages.success(request, f"已添加观摩项目“{visit.project.name}”")
        elif op == "picks_import":
            try:
                month = date.fromisoformat(post.get("month", ""))
            except ValueError:
                raise ValidationError("请选择观摩推荐的月份") from None
            added = services.visits_import_picks(actor=actor, event=event, month=month)
            messages.success(request, f"已从观摩推荐导入 {added} 个项目")
        elif op == "weights":
            for visit in event.visits.select_related("project"):
                key = f"weight-{visit.pk}"
                if key in post:
                    weight = _decimal_or_none(post[key], f"“{visit.project.name}”的权重")
                    services.visit_update(actor=actor, visit=visit, weight=weight)
            messages.success(request, "已保存权重")
        elif op in ("visit_move", "visit_remove"):
            visit = get_object_or_404(event.visits, pk=whole_number(post.get("visit")))
            if op == "visit_move":
                services.visit_move(actor=actor, visit=visit, step=-1 if post.get("dir") == "up" else 1)
            else:
                services.visit_remove(actor=actor, visit=visit)
        else:
            messages.error(request, "未知的操作")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return back


@business_reader_required
def event_result(request, pk):
    event, can_manage = get_event_for_user(request.user, pk)
    computed = results.compute(event)
    for project in computed.projects:
        project.cells = [project.totals.get(j.pk) for j in computed.submitted]
    wanted = request.GET.get("format")
    if wanted == "xlsx":
        return xlsx_response(documents.xlsx_sheets(computed), documents.filename(computed, "xlsx"))
    if wanted == "docx":
        return download(documents.render_docx(computed), documents.filename(computed, "docx"), DOCX)
    return render(
        request, "observation/event_result.html", {"event": event, "results": computed, "can_manage": can_manage}
    )


# --- judges --------------------------------------------------------------------------------------------------------


@login_required
def judge_home(request):
    sheets = list(
        Judge.objects.filter(user=request.user).select_related("event__owner").order_by("-event__date", "-event_id")
    )
    return render(request, "observation/judge_home.html", {"sheets": sheets})


def _sheet_urls(judge, *, named: bool):
    if named:
        return (
            reverse("observation_enter", args=[judge.event_id, judge.pk]),
            reverse("observation_enter_submit", args=[judge.event_id, judge.pk]),
        )
    return reverse("observation_score", args=[judge.event_id]), reverse("observation_submit", args=[judge.event_id])


def _score_page(request, judge, *, named: bool):
    event = judge.event
    visits = list(event.visits.select_related("project", "unit"))
    criteria = list(event.criteria.all())
    score_url, submit_url = _sheet_urls(judge, named=named)
    if not visits:
        return render(request, "observation/score.html", {"judge": judge, "event": event, "visits": []})
    at = whole_number(request.GET.get("p")) or 1
    at = min(max(at, 1), len(visits))
    visit = visits[at - 1]
    typed, errors, status = None, [], 200
    if request.method == "POST":
        typed = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
        try:
            services.scores_save(actor=request.user, judge=judge, visit=visit, values=typed)
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            messages.success(request, f"已暂存“{visit.project.name}”的评分")
            if at < len(visits):
                return redirect(f"{score_url}?p={at + 1}")
            return redirect(submit_url)
    saved = {s.criterion_id: s.value for s in Score.objects.filter(judge=judge, visit=visit)}
    counts = Score.objects.filter(judge=judge).values("visit_id").annotate(n=Count("id"))
    done = {row["visit_id"] for row in counts if row["n"] == len(criteria)}
    fields = [
        {"criterion": c, "name": f"c{c.pk}", "value": typed[c.pk] if typed is not None else saved.get(c.pk, "")}
        for c in criteria
    ]
    total = sum(saved.values()) if len(saved) == len(criteria) else None
    return render(
        request,
        "observation/score.html",
        {
            "judge": judge,
            "event": event,
            "visits": visits,
            "visit": visit,
            "at": at,
            "count": len(visits),
            "fields": fields,
            "errors": errors,
            "done": done,
            "total": total,
            "score_url": score_url,
            "submit_url": submit_url,
            "editable": event.is_scoring and not judge.is_submitted,
            "named": named,
        },
        status=status,
    )


def _submit_page(request, judge, *, named: bool):
    score_url, submit_url = _sheet_urls(judge, named=named)
    errors = []
    if request.method == "POST":
        try:
            services.sheet_submit(actor=request.user, judge=judge)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "评分已提交")
            if named:
                return redirect("observation_edit", judge.event_id)
            return redirect("observation_submit", judge.event_id)
    missing = services.missing_of(judge)
    positions = {v.pk: i for i, v in enumerate(judge.event.visits.all(), start=1)}
    return render(
        request,
        "observation/submit.html",
        {
            "judge": judge,
            "event": judge.event,
            "missing": [(positions[v.pk], v, lacking) for v, lacking in missing],
            "errors": errors,
            "score_url": score_url,
            "editable": judge.event.is_scoring and not judge.is_submitted,
            "named": named,
        },
        status=400 if errors else 200,
    )


@login_required
def score(request, pk):
    return _score_page(request, get_own_sheet(request.user, pk), named=False)


@login_required
def submit(request, pk):
    return _submit_page(request, get_own_sheet(request.user, pk), named=False)


@bureau_required
def enter(request, pk, judge_pk):
    return _score_page(request, get_named_sheet(request.user, pk, judge_pk), named=True)


@bureau_required
def enter_submit(request, pk, judge_pk):
    return _submit_page(request, get_named_sheet(request.user, pk, judge_pk), named=True)
