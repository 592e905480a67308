"""The 宣传与培训 pages' forms: a typical case, a training session with its attendees, and the filters of the case
list and the hours page. One column on a phone. The services check and save (the forms only parse)."""

import re

from django import forms
from django.core.exceptions import ValidationError

from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import today
from zhaoshang.org.models import Unit
from zhaoshang.outreach import queries
from zhaoshang.outreach.models import CaseLevel, TrainingSession, TypicalCase
from zhaoshang.outreach.services import projects_for

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [(m, f"{m}月") for m in range(1, 13)]


class CaseForm(ProductModelForm):
    """A case: its unit, where and when it was published, the text; the linked projects by their 项目编号 (a
    county holds thousands: no drop-down lists them)."""

    project_codes = forms.CharField(
        label="关联项目编号",
        required=False,
        max_length=500,
        help_text="多个编号用空格、逗号或顿号隔开；须是该单位及其下级单位的台账项目",
    )

    link = forms.URLField(
        label="链接",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = TypicalCase
        fields = ["unit", "title", "media", "level", "published_on", "link", "text"]
        widgets = {
            "level": forms.RadioSelect(attrs={"class": "choice-chips"}),
            "published_on": DATE_INPUT,
            "text": forms.Textarea(attrs={"rows": 6}),
            "media": forms.TextInput(attrs={"placeholder": "如：人民日报、安徽日报、市电视台"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.projects = user, []
        self.fields["unit"].queryset = Unit.objects.writable_by(user).filter(is_active=True).order_by("path")
        self.fields["level"].choices = CaseLevel.choices
        self.order_fields([*self._meta.fields[:6], "project_codes", "text"])
        if self.instance.pk and not self.is_bound:
            self.initial["project_codes"] = " ".join(self.instance.projects.values_list("code", flat=True))
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("published_on", today())

    def clean(self):
        data = super().clean()
        codes = [c for c in re.split(r"[\s,，、;；]+", data.get("project_codes") or "") if c]
        unit = data.get("unit")
        if codes and unit is not None:
            found = {p.code: p for p in projects_for(self.user, unit).filter(code__in=codes)}
            missing = [c for c in codes if c not in found]
            if missing:
                self.add_error(
                    "project_codes", f"“{'、'.join(missing)}”不是{unit.name}及其下级单位中您可查看的台账项目"
                )
            self.projects = list(dict.fromkeys(found[c] for c in codes if c in found))
        return data

    def _post_clean(self):
        pass  # the service validates the model with the unit's rights, in one transaction

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class GroupedAttendees(forms.CheckboxSelectMultiple):
    """The accounts as check boxes, grouped by unit (the choices are (unit name, [(pk, name)…]) groups)."""

    option_template_name = "django/forms/widgets/checkbox_option.html"


class SessionForm(ProductModelForm):
    attendees = forms.MultipleChoiceField(label="参训人员", required=False, widget=GroupedAttendees)

    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "organiser", "hours", "place", "note"]
        widgets = {
            "held_on": DATE_INPUT,
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": "0"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "organiser": forms.TextInput(attrs={"placeholder": "如：县投资促进中心、省商务厅"}),
        }
        help_texts = {"hours": "保留一位小数，如 3.5"}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        rows = queries.attendee_rows(owner)
        self.people = {str(user.pk): user for user, _unit in rows}
        groups: dict[str, list] = {}
        for user, unit in rows:
            groups.setdefault(unit.name, []).append((str(user.pk), user.display_name))
        self.fields["attendees"].choices = list(groups.items())
        if self.instance.pk and not self.is_bound:
            self.initial["attendees"] = [str(pk) for pk in self.instance.attendances.values_list("user_id", flat=True)]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("held_on", today())

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def chosen(self) -> list:
        return [self.people[pk] for pk in self.cleaned_data["attendees"]]


class PeriodFilterForm(ProductForm):
    """A year and a range of its months, and a unit (its subtree)."""

    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    first = forms.TypedChoiceField(label="起始月", required=False, choices=MONTHS, coerce=int, empty_value=1)
    last = forms.TypedChoiceField(label="截止月", required=False, choices=MONTHS, coerce=int, empty_value=12)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.readable_by(user).filter(is_active=True).order_by("path")
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        if not self.is_bound:
            self.initial.update(year=today().year, first=1, last=today().month)

    def clean(self):
        data = super().clean()
        if (data.get("first") or 1) > (data.get("last") or 12):
            raise ValidationError("起始月不能晚于截止月")
        return data

    def period(self):
        """(year, first month, last month, unit), the defaults when unbound or invalid."""
        year, first, last, unit = today().year, 1, today().month, None
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            year, first, last, unit = data["year"] or year, data["first"] or 1, data["last"] or 12, data["unit"]
        return year, first, last, unit


class CaseFilterForm(PeriodFilterForm):
    level = forms.ChoiceField(label="媒体级别", required=False, choices=[("", "全部级别"), *CaseLevel.choices])
