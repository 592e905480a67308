"""The forms of the trips, receptions and follow-ups pages: entry (usable on a phone: one column, native date
pickers, chips for the few choices) and the lists' filters.

The leads a trip or reception produced are named by project number in a text box: a county holds tens of
thousands of projects, so no drop-down lists them; static/js/leadpick.js searches the user's leads as they type
and adds the number, and without the script the numbers are typed."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import add_months, format_month, parse_month, today
from zhaoshang.frontline.models import FollowUp, FollowUpWay, LeaderCategory, LeadProfile, Reception, Trip
from zhaoshang.org.models import Unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def lead_codes(text: str) -> list[str]:
    """The project numbers in what was typed, in order, each once."""
    seen: dict[str, None] = {}
    for code in CODE_SEPARATORS.split(text or ""):
        if code:
            seen.setdefault(code, None)
    return list(seen)


class LeadCodesMixin:
    """A `lead_codes` box: project numbers of leads the user reads, cleaned into `leads` (projects)."""

    def _lead_field(self, obj):
        self.fields["lead_codes"] = forms.CharField(
            label="形成的线索",
            required=False,
            max_length=2000,
            help_text="填写线索的项目编号，多个用逗号或换行分隔；输入名称可查找",
            widget=forms.Textarea(attrs={"rows": 2, "data-lead-search": "", "autocomplete": "off"}),
        )
        # The links to leads this user does not read (moved to another unit since, or linked by the bureau) are
        # neither shown nor dropped: they are kept as they are (`values()`), and only the service may refuse them.
        self.kept_leads = []
        if obj is not None and obj.pk:
            readable = LeadProfile.objects.readable_by(self.user).values("pk")
            linked = obj.leads.order_by("code")
            self.kept_leads = list(linked.exclude(pk__in=readable))
            if not self.is_bound:
                self.initial["lead_codes"] = "\n".join(linked.filter(pk__in=readable).values_list("code", flat=True))

    def clean_lead_codes(self):
        codes = lead_codes(self.cleaned_data.get("lead_codes", ""))
        if len(codes) > 50:
            raise ValidationError("一次最多关联50条线索")
        found = {
            profile.project.code: profile.project
            for profile in LeadProfile.objects.readable_by(self.user)
            .filter(project__code__in=codes)
            .select_related("project")
        }
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValidationError(f"以下编号不是您可查看的招商线索：{'、'.join(missing[:10])}")
        self.leads = [found[code] for code in codes]
        return "\n".join(codes)


def _writable_units(user):
    # Teams (招商小分队) and 驻外联络处 are units like the others: their trips and receptions count for them.
    return Unit.objects.writable_by(user).filter(is_active=True).order_by("path")


class TripForm(LeadCodesMixin, ProductModelForm):
    class Meta:
        model = Trip
        fields = [
            "unit",
            "departs_on",
            "returns_on",
            "destination",
            "leader",
            "leader_category",
            "people",
            "visited",
            "visited_count",
            "outcome",
        ]
        widgets = {
            "departs_on": DATE_INPUT,
            "returns_on": DATE_INPUT,
            "leader_category": forms.RadioSelect(attrs={"class": "choice-chips"}),
            "destination": forms.TextInput(attrs={"placeholder": "如：深圳市、长三角"}),
            "people": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "visited_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "visited": forms.Textarea(attrs={"rows": 4, "placeholder": "每行一家企业"}),
            "outcome": forms.Textarea(attrs={"rows": 3, "placeholder": "洽谈了什么、达成了什么意向"}),
        }
        help_texts = {"visited_count": "不填则按上面列出的企业计数；只知道家数时可只填家数"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.leads = []
        self.fields["unit"].queryset = _writable_units(user)
        self.fields["leader_category"].choices = LeaderCategory.choices
        self.fields["visited_count"].required = False
        if not self.instance.pk and not self.is_bound:
            self.initial["visited_count"] = None  # blank: the enterprises listed are counted (0 would refuse them)
        # The model's limits, checked with the other fields so the page says every error at once
        for name in ("people", "visited_count"):
            limits = Trip._meta.get_field(name).validators
            self.fields[name].validators.extend(
                v for v in limits if isinstance(v, (MinValueValidator, MaxValueValidator))
            )
        self._lead_field(self.instance)

    def _post_clean(self):
        pass  # the service validates the model, with the closed month and the unit's rights, in one transaction

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**data, "leads": [*self.leads, *self.kept_leads]}


class ReceptionForm(LeadCodesMixin, ProductModelForm):
    class Meta:
        model = Reception
        fields = ["unit", "on_date", "company", "visitors", "purpose", "result"]
        widgets = {
            "on_date": DATE_INPUT,
            "visitors": forms.TextInput(attrs={"placeholder": "姓名、职务"}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.leads = []
        self.fields["unit"].queryset = _writable_units(user)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("on_date", today())
        self._lead_field(self.instance)

    def _post_clean(self):
        pass  # as TripForm

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**data, "leads": [*self.leads, *self.kept_leads]}


class FollowUpForm(ProductModelForm):
    class Meta:
        model = FollowUp
        fields = ["on_date", "way", "participants", "content", "next_step", "next_step_on"]
        widgets = {
            "on_date": DATE_INPUT,
            "next_step_on": DATE_INPUT,
            "way": forms.RadioSelect(attrs={"class": "choice-chips"}),
            "participants": forms.TextInput(attrs={"placeholder": "我方和对方参加的人"}),
            "content": forms.Textarea(attrs={"rows": 3, "placeholder": "谈了什么、对方的意向和顾虑"}),
            "next_step": forms.TextInput(attrs={"placeholder": "如：安排实地考察"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["way"].choices = FollowUpWay.choices
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("on_date", today())
            self.initial.setdefault("way", FollowUpWay.PHONE)

    def _post_clean(self):
        pass  # the service checks and saves

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


# --- Filters --------------------------------------------------------------------------------------------------------


class MonthRangeFilter(ProductForm):
    """Unit (a subtree among the user's readable units, teams and 驻外联络处 included), a month range, and text."""

    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    start = forms.CharField(label="起始月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    end = forms.CharField(label="截止月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    q = forms.CharField(label="搜索", required=False, max_length=50)

    date_field = ""  # the model's date that places a row in a month
    text_fields: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.readable_by(user).filter(is_active=True).order_by("path")

    def _month(self, name):
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "截止月份不能早于起始月份")
        return data

    def apply(self, rows):
        """The rows these filters choose; an invalid filter chooses none (the page says why beside the field)."""
        if not self.is_bound:
            return rows
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["unit"]:
            rows = rows.under(data["unit"])
        if data["start"]:
            rows = rows.filter(**{f"{self.date_field}__gte": data["start"]})
        if data["end"]:
            rows = rows.filter(**{f"{self.date_field}__lt": add_months(data["end"], 1)})
        if data["q"].strip():
            text = data["q"].strip()
            match = Q()
            for name in self.text_fields:
                match |= Q(**{f"{name}__icontains": text})
            rows = rows.filter(match)
        return rows

    def period_text(self) -> str:
        data = getattr(self, "cleaned_data", None) or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            return f"{format_month(start)} 至 {format_month(end)}"
        if start:
            return f"{format_month(start)} 起"
        if end:
            return f"至 {format_month(end)}"
        return "全部时间"


class TripFilterForm(MonthRangeFilter):
    """The trip list's filters: months by 出发日期 (a trip counts in the month it departs)."""

    leader_category = forms.ChoiceField(
        label="领导类别", required=False, choices=[("", "全部类别"), *LeaderCategory.choices]
    )
    date_field = "departs_on"
    text_fields = ("destination", "leader", "visited", "outcome")

    def apply(self, rows):
        rows = super().apply(rows)
        if self.is_bound and self.is_valid() and self.cleaned_data["leader_category"]:
            rows = rows.filter(leader_category=self.cleaned_data["leader_category"])
        return rows


class ReceptionFilterForm(MonthRangeFilter):
    date_field = "on_date"
    text_fields = ("company", "visitors", "purpose", "result")


class FollowUpFilterForm(MonthRangeFilter):
    way = forms.ChoiceField(label="方式", required=False, choices=[("", "全部方式"), *FollowUpWay.choices])
    date_field = "on_date"
    text_fields = ("project__name", "project__code", "content", "next_step")

    def apply(self, rows):
        rows = super().apply(rows)  # a follow-up's unit is its project's 责任单位 (ProjectRowQuerySet.unit_field)
        if self.is_bound and self.is_valid() and self.cleaned_data["way"]:
            rows = rows.filter(way=self.cleaned_data["way"])
        return rows
