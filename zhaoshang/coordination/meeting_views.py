"""Dispatch meeting pages: the list (and a new meeting), one meeting's agenda with a decision form per item and
its minutes (?format=docx), and the tasks the meetings decided, which their owner units report done.

A meeting covers a unit's subtree and its agenda names projects of many units, so a meeting is shown to those
who may read its unit (the bureau and the leaders); a unit sees the tasks it owns on the task list."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from zhaoshang.coordination import meetings
from zhaoshang.coordination.meeting_models import AgendaItem, DispatchMeeting, MeetingTask, TaskStatus
from zhaoshang.coordination.minutes import minutes_docx
from zhaoshang.core.errors import refusal_text
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.files import DOCX, download
from zhaoshang.core.links import url_for_each
from zhaoshang.core.periods import today
from zhaoshang.org.access import bureau_required, business_reader_required
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import home_unit, is_bureau_admin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(ProductForm):
    held_on = forms.DateField(label="召开日期", widget=DATE)
    title = forms.CharField(
        label="会议名称", max_length=100, required=False, help_text="留空则为“X年X月项目建设调度会”"
    )
    place = forms.CharField(label="地点", max_length=100, required=False)
    chair = forms.CharField(label="主持人", max_length=50, required=False)


class DecisionForm(ProductForm):
    decision = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    deadline = forms.DateField(label="完成时限", widget=DATE)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Unit.objects.under(meeting.unit).filter(is_active=True)


class TaskDoneForm(ProductForm):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 2}))


def _meetings_for(user):
    return DispatchMeeting.objects.readable_by(user).select_related("unit")


def _meeting(request, pk) -> DispatchMeeting:
    return get_object_or_404(_meetings_for(request.user), pk=pk)


@business_reader_required
def dispatch_list(request):
    form = MeetingForm(request.POST or None, initial={"held_on": today()})
    if request.method == "POST":
        if not is_bureau_admin(request.user):
            raise PermissionDenied("只有主管部门管理员可以组织调度会")
        if form.is_valid():
            meeting = meetings.meeting_create(actor=request.user, unit=home_unit(request.user), **form.cleaned_data)
            messages.success(
                request, f"已创建，议程已根据待协调问题、逾期手续和滞后项目生成（{meeting.items.count()} 项）"
            )
            return redirect("dispatch_detail", pk=meeting.pk)
    listed = _meetings_for(request.user)[:50]
    return render(request, "coordination/dispatch_list.html", {"meetings": listed, "form": form})


@business_reader_required
def dispatch_detail(request, pk):
    meeting = _meeting(request, pk)
    if request.GET.get("format") == "docx":
        return download(minutes_docx(meeting), f"{meeting.title}会议纪要.docx", DOCX)
    items = list(meeting.items.select_related("task__owner", "carried_task__owner", "project__responsible_unit"))
    can_edit = is_bureau_admin(request.user) and not meeting.is_closed
    # The units a decision may name: once for the page (a <template> the items' lists are filled from).
    names = dict(DecisionForm(meeting=meeting).fields["owner"].queryset.values_list("pk", "name")) if can_edit else {}
    context = {
        "meeting": meeting,
        "sections": _agenda_sections(meeting, items, can_edit, names),
        "can_edit": can_edit,
        "unit_options": format_html_join("", '<option value="{}">{}</option>', names.items()),
    }
    return render(request, "coordination/dispatch_detail.html", context)


def _agenda_sections(meeting, items, can_edit: bool, names: dict) -> list[dict]:
    """The agenda as the page shows it: one section per kind of item, each item a plain dict.

    The page prints a hundred items or more, most with a decision form; resolving model attributes, reverse()
    and the missing `task` of an undecided item (which the template would raise and swallow) per item made it
    a third slower than it needs to be, so everything an item shows is looked up here once."""
    project_url = url_for_each("project_detail")
    problem_url = url_for_each("problem_detail")
    decide_url = url_for_each("dispatch_decide", meeting.pk)
    sections: dict[str, dict] = {}
    for item in items:
        task = getattr(item, "task", None)
        row = {
            "pk": item.pk,
            "title": item.title,
            "detail": item.detail,
            "project_url": project_url.format(item.project_id) if item.project_id else "",
            "problem_url": problem_url.format(item.problem_id) if item.problem_id else "",
            "carried": _carried_state(item.carried_task, meeting),
            "task": task,
            "decide_url": decide_url.format(item.pk),
        }
        if can_edit:
            row["owner_options"] = _likely_owners(item, task, names)
        label = item.get_kind_display()
        section = sections.setdefault(label, {"label": label, "count": 0, "units": {}})
        section["count"] += 1
        section["units"].setdefault(_item_unit(item), []).append(row)
    # The meeting goes unit by unit: within each kind, the units with most items first, each folded on the page.
    for section in sections.values():
        units = sorted(section["units"].items(), key=lambda pair: (-len(pair[1]), pair[0]))
        section["units"] = [{"unit": unit, "items": rows} for unit, rows in units]
    return list(sections.values())


def _likely_owners(item, task, names: dict) -> str:
    """The options an item's 责任单位 list starts with: the unit already decided, else the item's project's unit.

    Each item used to carry every unit of the meeting's subtree: a city's meeting of 600 items and 161 units made
    a 5.6 MB page. Now the page carries the full list once (a <template>, `unit_options`), and static/js/app.js
    fills an item's list from it when the list is first opened; without the script the likely unit is offered."""
    chosen = task.owner_id if task else None
    likely = chosen or (item.project.responsible_unit_id if item.project_id else None)
    if likely not in names:
        return ""
    return format_html(
        '<option value="{}"{}>{}</option>', likely, mark_safe(" selected") if chosen else "", names[likely]
    )


def _item_unit(item) -> str:
    """The unit an item is put to: its project's 责任单位, else the owner of the task it carries over."""
    if item.project_id:
        return item.project.responsible_unit.name
    if item.carried_task_id:
        return item.carried_task.owner.name
    return "其他议题"


def _carried_state(task, meeting) -> tuple[str, str] | None:
    """How the last meeting's decision an item carries over stands: (label, tag class)."""
    if task is None:
        return None
    if task.status == TaskStatus.DONE:
        return "已完成", "tag-open"
    if task.deadline < meeting.held_on:
        return "逾期未完成", "tag-closed"
    return "未完成", ""


def _attempt(request, write, success: str = "") -> None:
    """Run one service call; its refusal becomes the page's error message, its success the given message."""
    try:
        write()
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        if success:
            messages.success(request, success)


@require_POST
@bureau_required
def dispatch_decide(request, pk, item_pk):
    meeting = _meeting(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = DecisionForm(request.POST, meeting=meeting, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        _attempt(
            request,
            lambda: meetings.agenda_item_decide(actor=request.user, item=item, **form.cleaned_data),
            "已记录议定事项",
        )
    return redirect(f"{reverse('dispatch_detail', args=[meeting.pk])}#item-{item.pk}")


@require_POST
@bureau_required
def dispatch_add_item(request, pk):
    meeting = _meeting(request, pk)
    _attempt(
        request,
        lambda: meetings.agenda_item_add(
            actor=request.user,
            meeting=meeting,
            title=request.POST.get("title", ""),
            detail=request.POST.get("detail", ""),
        ),
    )
    return redirect("dispatch_detail", pk=meeting.pk)


@require_POST
@bureau_required
def dispatch_close(request, pk):
    meeting = _meeting(request, pk)
    _attempt(
        request,
        lambda: meetings.meeting_close(actor=request.user, meeting=meeting, summary=request.POST.get("summary", "")),
        "会议已结束，议定事项已转为督办任务",
    )
    return redirect("dispatch_detail", pk=meeting.pk)


def _tasks_for(user):
    return MeetingTask.objects.readable_by(user)


@business_reader_required
def task_list(request):
    tasks = _tasks_for(request.user).select_related("meeting", "owner", "item")
    show = request.GET.get("show", "open")
    if show == "open":
        tasks = tasks.filter(status=TaskStatus.OPEN)
    on = today()
    rows = [
        {"task": t, "overdue": t.is_overdue(on), "can_report": meetings.can_report_task(request.user, t)}
        for t in tasks[:300]
    ]
    return render(
        request,
        "coordination/task_list.html",
        {"rows": rows, "show": show, "form": TaskDoneForm(initial={"done_on": on})},
    )


@require_POST
@business_reader_required
def task_done(request, pk):
    task = _tasks_for(request.user).filter(pk=pk).select_related("owner").first()
    if task is None:
        raise Http404("事项不存在或不在您的权限范围内")
    if not meetings.can_report_task(request.user, task):
        raise PermissionDenied("只有责任单位或主管部门可以报告完成情况")
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写完成日期和完成情况")
    else:
        _attempt(request, lambda: meetings.task_done(actor=request.user, task=task, **form.cleaned_data), "已报告完成")
    return redirect("task_list")
