"""The problem list's pages: the list with its summary by department, reporting a problem, a problem's page,
and one POST view per step. Outside the user's scope: 404; a reader taking a step that is not its own: 403."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.coordination import exports, problems, queries, rights, rules
from zhaoshang.coordination.forms import AnswerForm, AssignForm, ConfirmForm, ProblemFilterForm, ProblemForm, ReturnForm
from zhaoshang.coordination.models import Problem, Status
from zhaoshang.core.errors import add_refusal
from zhaoshang.core.files import export_or_defer, wants_xlsx
from zhaoshang.core.periods import today
from zhaoshang.org import scoping
from zhaoshang.org.access import business_reader_required, business_writer_required
from zhaoshang.org.models import User
from zhaoshang.projects.lookups import get_project_for_user
from zhaoshang.projects.models import Project


def get_problem_for_user(request, pk) -> Problem:
    problem = (
        Problem.objects.readable_by(request.user)
        .select_related("project__responsible_unit", "department", "raised_by")
        .filter(pk=pk)
        .first()
    )
    if problem is None:
        raise Http404("问题不存在或不在您的权限范围内")
    return problem


@business_reader_required
def problem_list(request):
    if wants_xlsx(request):
        return export_or_defer(request, exports.problems_export(request.user, request.GET), kind="problems")
    on = today()
    form = ProblemFilterForm(request.GET or exports.landing_filters(request.user) or None, user=request.user)
    chosen = form.apply(Problem.objects.readable_by(request.user), today=on)
    listed = queries.ordered(chosen, today=on).select_related("project__responsible_unit", "department")
    page = Paginator(listed, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for problem in page:
        problem.late_days = rules.days_overdue(problem.deadline, on) if problem.is_overdue else 0
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "coordination/problem_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "summary": queries.department_summary(chosen, today=on),
            # Only the writing roles have editable units: a leader is offered no button.
            "can_raise": bool(scoping.editable_unit_ids(request.user)),
        },
    )


@business_writer_required
def problem_create(request):
    editable = Project.objects.writable_by(request.user).select_related("responsible_unit").order_by("-id")
    project = None
    if request.GET.get("project"):
        try:
            project, _ = get_project_for_user(request, int(request.GET["project"]))
        except ValueError:
            raise Http404("项目不存在") from None
        if not rights.can_raise(request.user, project):
            raise PermissionDenied("您只能查看此项目，不能为它反映问题")
    form = ProblemForm(request.POST or None, projects=editable, initial={"project": project})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = problems.problem_raise(
                actor=request.user,
                project=data["project"],
                category=data["category"],
                description=data["description"],
                help_wanted=data["help_wanted"],
            )
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "问题已提交，等待主管部门分派")
            return redirect("problem_detail", pk=problem.pk)
    return render(request, "coordination/problem_form.html", {"form": form, "project": project})


@business_reader_required
def problem_detail(request, pk):
    problem = get_problem_for_user(request, pk)
    user, on = request.user, today()
    open_ = problem.status != Status.CLOSED
    answering = problem.status == Status.ASSIGNED and rights.can_answer(user, problem)
    confirming = problem.status == Status.ANSWERED and rights.can_confirm(user, problem)
    return render(
        request,
        "coordination/problem_detail.html",
        {
            "problem": problem,
            "events": problem.events.select_related("actor"),
            "overdue": rules.is_overdue(problem.status, problem.deadline, on),
            "late_days": rules.days_overdue(problem.deadline, on),
            "days_open": rules.days_open(problem.raised_at, problem.closed_at, timezone.now()),
            "assign_form": AssignForm(problem=problem) if open_ and rights.can_assign(user) else None,
            "answer_form": AnswerForm(initial={"answer": problem.answer}) if answering else None,
            "confirm_form": ConfirmForm() if confirming else None,
            "return_form": ReturnForm() if confirming else None,
        },
    )


def _problem_for_step(request, pk, may: Callable[[User, Problem], bool], refusal: str) -> Problem:
    """The problem a step is taken on: 404 outside the user's scope, then 403 (`refusal`) for a user who may read it
    but may not take the step."""
    problem = get_problem_for_user(request, pk)
    if not may(request.user, problem):
        raise PermissionDenied(refusal)
    return problem


def _run_step(request, problem: Problem, step, done_message: str, *, form=None):
    """Take a step and go back to the problem's page, saying what happened: with `form`, its errors first (the step
    is not taken), then the step's refusal or `done_message`."""
    if form is not None and not form.is_valid():
        _form_errors(request, form)
        return redirect("problem_detail", pk=problem.pk)
    try:
        step()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect("problem_detail", pk=problem.pk)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))


@require_POST
@business_writer_required
def problem_assign(request, pk):
    problem = _problem_for_step(request, pk, lambda user, _: rights.can_assign(user), "只有主管部门可以分派问题")
    form = AssignForm(request.POST, problem=problem)
    if not form.is_valid():  # checked here, not in _run_step: the done message names what the form chose
        _form_errors(request, form)
        return redirect("problem_detail", pk=problem.pk)
    data = form.cleaned_data
    return _run_step(
        request,
        problem,
        lambda: problems.problem_assign(
            actor=request.user,
            problem=problem,
            department=data["department"],
            deadline=data["deadline"],
            note=data["note"],
        ),
        f"已分派至{data['department'].name}，办理时限{data['deadline']:%Y-%m-%d}",
    )


@require_POST
@business_writer_required
def problem_answer(request, pk):
    problem = _problem_for_step(request, pk, rights.can_answer, "只有承办部门可以答复该问题")
    form = AnswerForm(request.POST)
    return _run_step(
        request,
        problem,
        lambda: problems.problem_answer(actor=request.user, problem=problem, answer=form.cleaned_data["answer"]),
        "已答复，等待责任单位确认销号",
        form=form,
    )


@require_POST
@business_writer_required
def problem_confirm(request, pk):
    problem = _problem_for_step(request, pk, rights.can_confirm, "只有反映问题的责任单位可以确认销号")
    form = ConfirmForm(request.POST)
    # The note is optional, but one the form refuses (too long) stops the step: closing the problem and dropping
    # what the unit wrote would lose its words without a word said.
    return _run_step(
        request,
        problem,
        lambda: problems.problem_confirm(actor=request.user, problem=problem, note=form.cleaned_data["note"]),
        "问题已销号",
        form=form,
    )


@require_POST
@business_writer_required
def problem_return(request, pk):
    problem = _problem_for_step(request, pk, rights.can_confirm, "只有反映问题的责任单位可以退回重办")
    form = ReturnForm(request.POST)
    return _run_step(
        request,
        problem,
        lambda: problems.problem_return(actor=request.user, problem=problem, reason=form.cleaned_data["reason"]),
        "已退回承办部门重新办理",
        form=form,
    )
