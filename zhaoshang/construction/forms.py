"""Forms of the approval pages: the list's filters and period, and a project's steps."""

from django import forms
from django.core.validators import MaxValueValidator

from zhaoshang.construction import rules
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import current_month, parse_past_month, today
from zhaoshang.org.departments import departments_serving_any
from zhaoshang.org.models import TEAM_KINDS, Unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """YYYY-MM, not in the future."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_past_month(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ApprovalFilterForm(ProductForm):
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    department = forms.ModelChoiceField(
        label="办理部门", queryset=Unit.objects.none(), required=False, empty_label="全部部门"
    )
    step = forms.ChoiceField(label="手续", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态")] + [(s, s) for s in rules.STATUSES]
    )
    overdue = forms.BooleanField(label="只看逾期", required=False)
    start = MonthField(label="统计期间从", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    end = MonthField(label="至", required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        readable = Unit.objects.readable_by(user).exclude(kind__in=TEAM_KINDS)
        self.fields["unit"].queryset = readable
        self.fields["department"].queryset = departments_serving_any(readable)
        self.fields["step"].choices = (
            [("", "全部手续")] + [(n, n) for n in rules.STANDARD_STEPS] + [("其他", "其他手续")]
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束月份不能早于开始月份")
        return data

    def _valid_data(self) -> dict:
        """The filters that are valid: a wrong month leaves the other filters working."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def period(self) -> tuple:
        """The summary's months: as asked, else January to this month."""
        data = self._valid_data()
        end = data.get("end") or current_month()
        start = data.get("start") or end.replace(month=1)
        return start, end

    def apply(self, steps, *, for_summary: bool = False):
        """Narrow an already-scoped queryset by the valid filters. The summary takes the unit, department and step
        filters only: its own columns are the statuses."""
        data = self._valid_data()
        if data.get("unit"):
            steps = steps.under(data["unit"])
        if data.get("department"):
            steps = steps.filter(department=data["department"])
        if data.get("step") == "其他":
            steps = steps.exclude(name__in=rules.STANDARD_STEPS)
        elif data.get("step"):
            steps = steps.filter(name=data["step"])
        if for_summary:
            return steps
        if data.get("status"):
            steps = steps.with_status(data["status"])
        if data.get("overdue"):
            steps = steps.overdue(today())
        return steps


class StepForm(ProductModelForm):
    """One step, as its project's unit (or the bureau) edits it; `delete` only for a step nobody has filed."""

    delete = forms.BooleanField(label="删除", required=False)

    class Meta:
        model = ApprovalStep
        fields = ["sort_order", "name", "department", "planned_on", "filed_on", "done_on", "note"]
        widgets = {
            "planned_on": DATE_INPUT,
            "filed_on": DATE_INPUT,
            "done_on": DATE_INPUT,
            "name": forms.TextInput(attrs={"list": "step-names", "autocomplete": "off"}),
            "sort_order": forms.NumberInput(attrs={"min": 0, "max": 999, "class": "order"}),
        }

    def __init__(self, *args, departments, **kwargs):
        """departments: a list of those serving the project's unit (org.departments), read once for all rows:
        each row's drop-down is built from it, so the page makes the same number of queries however many steps
        the project has. The queryset only checks a posted choice."""
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        current = self.instance.department if self.instance.pk and self.instance.department_id else None
        if current is not None and current.pk not in {d.pk for d in departments}:
            # Assigned before the project moved county (or before departments were limited to its own): shown
            # and kept, so saving the page for another change does not silently unassign it. The service still
            # refuses choosing it anew.
            departments = [*departments, current]
        field.queryset = Unit.objects.filter(pk__in=[d.pk for d in departments])
        field.choices = [("", "（未指定）")] + [(d.pk, d.name) for d in departments]
        self.fields["sort_order"].required = False
        self.fields["sort_order"].validators.append(MaxValueValidator(999, "顺序应为0到999"))
        if self.instance.pk:
            # The page posts back what it showed beside what was typed, so only the fields this user changed
            # are saved: a date the department recorded after the page was loaded is not put back.
            for field in self.fields.values():
                field.show_hidden_initial = True
        if self.instance.pk and (self.instance.filed_on or self.instance.done_on):
            del self.fields["delete"]

    def _post_clean(self):
        # The service validates against the whole page (names unique within it) and reports in Chinese;
        # the model's own checks would only repeat them one step at a time.
        pass


class NewStepForm(StepForm):
    """The empty row at the bottom: a custom step (e.g. 消防设计审查, 水土保持方案), ignored when left blank."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["delete"]
        self.fields["name"].required = False
        self.initial["sort_order"] = None  # blank: placed last
        self.fields["sort_order"].widget.attrs["placeholder"] = "末尾"

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("name") or "").strip()


class ApproverForm(ProductModelForm):
    """One step, as its department records it: when filed, when done, a note."""

    class Meta:
        model = ApprovalStep
        fields = ["filed_on", "done_on", "note"]
        widgets = {"filed_on": DATE_INPUT, "done_on": DATE_INPUT}

    def _post_clean(self):
        pass
