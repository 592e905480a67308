"""Forms of the lead register's pages. Each derives from the product's forms (core.field_messages), so every
field's errors read in the product's words; the writes themselves are the services'."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import today
from zhaoshang.frontline.models import Judgement, LeadProfile, LeadSource
from zhaoshang.frontline.services import ClaimDecision, first_responsible_choices
from zhaoshang.org.departments import teams_serving_any
from zhaoshang.org.models import TEAM_KINDS, Unit, subtree_q
from zhaoshang.projects.chain_fields import set_chain_fields
from zhaoshang.projects.models import Project, Stage

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEAD_REGISTER_FIELDS = [
    "registered_on",
    "source",
    "referrer",
    "referrer_contact",
    "investor_contact",
    "investor_phone",
    "land_need",
    "energy_need",
    "environment_need",
    "summary",
]


class LeadProjectForm(ProductModelForm):
    """The ledger's 项目台账 fields that make sense for a lead (the code is proposed by the service)."""

    class Meta:
        model = Project
        fields = [
            "name",
            "investor",
            "credit_code",
            "funding_type",
            "responsible_unit",
            "team",
            "chain",
            "chain_link",
            "planned_total",
            "stage",
        ]
        labels = {"planned_total": "拟投资额（万元）"}
        help_texts = {"credit_code": "选填，签约前补齐"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        writable = Unit.objects.writable_by(user).filter(is_active=True).exclude(kind__in=TEAM_KINDS)
        self.fields["responsible_unit"].queryset = writable
        self.fields["team"].queryset = teams_serving_any(writable)
        self.fields["team"].empty_label = "无"
        set_chain_fields(self, writable)
        self.fields["stage"].choices = [(Stage.LEAD, Stage.LEAD), (Stage.NEGOTIATING, Stage.NEGOTIATING)]
        self.fields["investor"].required = True

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def _post_clean(self):
        """The project's number and checks are the service's (lead_register): nothing of the model here."""


class LeadRegisterForm(ProductModelForm):
    """The register's own fields. 首问负责人 is offered among the accounts of the chosen unit(s)."""

    class Meta:
        model = LeadProfile
        fields = [*LEAD_REGISTER_FIELDS, "first_responsible"]
        widgets = {"registered_on": DATE_INPUT, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        chooser = self.fields.get("first_responsible")
        if chooser is not None:
            chooser.queryset = first_responsible_choices(*units)
            chooser.empty_label = "暂不指定"
            chooser.label_from_instance = lambda u: u.display_name
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("registered_on", today())

    def clean_registered_on(self):
        day = self.cleaned_data.get("registered_on")
        if day and day > today():
            raise ValidationError("登记日期不能晚于今天")
        return day


class LeadEditForm(LeadRegisterForm):
    """Editing the register's fields of a lead (lead_update); 首问负责人 has its own form."""

    class Meta(LeadRegisterForm.Meta):
        fields = LEAD_REGISTER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, units=[], **kwargs)


class AssignFirstForm(ProductForm):
    user = forms.ModelChoiceField(label="首问负责人", queryset=None)
    on_date = forms.DateField(label="确定日期", widget=DATE_INPUT, initial=today)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = first_responsible_choices(unit)
        self.fields["user"].label_from_instance = lambda u: u.display_name


class JudgeForm(ProductForm):
    judgement = forms.ChoiceField(
        label="研判结果", choices=[(Judgement.VALID, "有效"), (Judgement.REJECTED, "不予跟进")]
    )
    on_date = forms.DateField(label="研判日期", widget=DATE_INPUT, initial=today)
    reason = forms.CharField(label="研判意见（不予跟进须填写理由）", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("judgement") == Judgement.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", "不予跟进须填写理由")
        return data


class TellReferrerForm(ProductForm):
    on_date = forms.DateField(label="告知日期", widget=DATE_INPUT, initial=today)


class TransferForm(ProductForm):
    to_unit = forms.ModelChoiceField(label="调整到", queryset=None)
    reason = forms.CharField(label="调整理由", max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class ClaimForm(ProductForm):
    decision = forms.ChoiceField(label="认定结果", choices=ClaimDecision.choices)


STAGE_FILTERS = [("", "全部阶段"), *Stage.choices]


class LeadFilterForm(ProductForm):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "编号、名称或投资方"})
    )
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源"), *LeadSource.choices])
    judgement = forms.ChoiceField(
        label="研判",
        required=False,
        choices=[("", "全部"), ("pending", "待研判"), ("有效", "有效"), ("不予跟进", "不予跟进")],
    )
    stage = forms.ChoiceField(label="阶段", required=False, choices=STAGE_FILTERS)
    registered_from = forms.DateField(label="登记日期从", required=False, widget=DATE_INPUT)
    registered_to = forms.DateField(label="至", required=False, widget=DATE_INPUT)
    overdue = forms.BooleanField(label="只看逾期", required=False)
    claim = forms.BooleanField(label="首报首谈待认定", required=False)
    stale = forms.BooleanField(label="长期未跟进", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.readable_by(user)

    def clean(self):
        data = super().clean()
        if (
            data.get("registered_from")
            and data.get("registered_to")
            and data["registered_from"] > data["registered_to"]
        ):
            self.add_error("registered_to", "结束日期不能早于开始日期")
        return data

    def apply(self, leads):
        """Narrow an already-scoped LeadProfile queryset by the valid filters done in SQL (overdue and stale are
        the deadlines', applied by the caller)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            text = data["q"].strip()
            leads = leads.filter(
                Q(project__code__icontains=text)
                | Q(project__name__icontains=text)
                | Q(project__investor__icontains=text)
            )
        if data.get("unit"):
            unit = data["unit"]
            leads = leads.filter(subtree_q([unit], "project__responsible_unit") | subtree_q([unit], "project__team"))
        if data.get("source"):
            leads = leads.filter(source=data["source"])
        if data.get("judgement") == "pending":
            leads = leads.filter(judgement="")
        elif data.get("judgement"):
            leads = leads.filter(judgement=data["judgement"])
        if data.get("stage"):
            leads = leads.filter(project__stage=data["stage"])
        if data.get("registered_from"):
            leads = leads.filter(registered_on__gte=data["registered_from"])
        if data.get("registered_to"):
            leads = leads.filter(registered_on__lte=data["registered_to"])
        if data.get("claim"):
            leads = leads.filter(claim_conflict__isnull=False, claim_settled_on__isnull=True)
        return leads

    def wants(self, name: str) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get(name))
