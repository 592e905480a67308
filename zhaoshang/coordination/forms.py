"""The problem list's forms: report, the filters, and one small form per step."""

from datetime import timedelta

from django import forms
from django.db.models import Q

from zhaoshang.coordination.models import Category, Problem, Status
from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import today
from zhaoshang.org.departments import departments_serving, departments_serving_any
from zhaoshang.org.models import TEAM_KINDS, Unit
from zhaoshang.projects.models import Project

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_DAYS_TO_HANDLE = 15


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class ProblemForm(ProductModelForm):
    project = ProjectChoiceField(label="项目", queryset=Project.objects.none(), empty_label="请选择项目")

    class Meta:
        model = Problem
        fields = ["project", "category", "description", "help_wanted"]
        widgets = {
            "category": forms.RadioSelect(attrs={"class": "choice-chips"}),
            "description": forms.Textarea(attrs={"rows": 4, "placeholder": "问题的具体情况、影响项目的哪项进度"}),
            "help_wanted": forms.Textarea(attrs={"rows": 3, "placeholder": "希望哪个方面、在什么时间前帮助解决什么"}),
        }

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["category"].choices = Category.choices  # no empty choice among the chips


class AssignForm(ProductForm):
    department = forms.ModelChoiceField(
        label="责任部门",
        queryset=Unit.objects.none(),
        empty_label="请选择部门",
        error_messages={"required": "请选择责任部门", "invalid_choice": "请选择一个部门（单位类型为“部门”）承办"},
    )
    deadline = forms.DateField(
        label="办理时限",
        widget=DATE_INPUT,
        error_messages={"required": "请填写办理时限", "invalid": "办理时限不是有效日期"},
    )
    note = forms.CharField(label="分派意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_serving(problem.project.responsible_unit)
        if problem is not None and problem.department_id:
            self.fields["department"].initial = problem.department_id
        self.fields["deadline"].initial = (problem and problem.deadline) or today() + timedelta(
            days=DEFAULT_DAYS_TO_HANDLE
        )


class AnswerForm(ProductForm):
    answer = forms.CharField(
        label="办理情况",
        max_length=2000,
        error_messages={"required": "请填写办理情况"},
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "已采取的措施和结果"}),
    )


class ConfirmForm(ProductForm):
    note = forms.CharField(label="确认意见（可不填）", required=False, max_length=500)


class ReturnForm(ProductForm):
    reason = forms.CharField(
        label="退回原因",
        max_length=500,
        error_messages={"required": "退回重办须说明原因"},
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "问题尚未解决的地方"}),
    )


class ProblemFilterForm(ProductForm):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "项目或问题描述"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态")] + Status.choices)
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别")] + Category.choices)
    department = forms.ModelChoiceField(
        label="责任部门", queryset=Unit.objects.none(), required=False, empty_label="全部部门"
    )
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        readable = Unit.objects.readable_by(user).filter(is_active=True).exclude(kind__in=TEAM_KINDS)
        self.fields["department"].queryset = departments_serving_any(readable)
        self.fields["unit"].queryset = readable

    def apply(self, problems, *, today):

        if not self.is_valid():
            return problems
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            problems = problems.filter(
                Q(project__name__icontains=text) | Q(project__code__icontains=text) | Q(description__icontains=text)
            )
        if data["status"]:
            problems = problems.filter(status=data["status"])
        if data["category"]:
            problems = problems.filter(category=data["category"])
        if data["department"]:
            problems = problems.filter(department=data["department"])
        if data["unit"]:
            problems = problems.under(data["unit"])
        if data["overdue"]:
            problems = problems.overdue(today)
        return problems
