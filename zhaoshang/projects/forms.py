from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import parse_month, today
from zhaoshang.org.departments import teams_serving_any
from zhaoshang.org.models import TEAM_KINDS, Unit
from zhaoshang.projects import rules
from zhaoshang.projects.chain_fields import set_chain_fields
from zhaoshang.projects.codes import propose_code
from zhaoshang.projects.drill import DRILLABLE, NAMES, projects_behind
from zhaoshang.projects.indicators import BY_CODE
from zhaoshang.projects.models import FundingType, KeyLevel, Project, Stage
from zhaoshang.projects.services import LEDGER_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The ledger's fields with 产业链 as the chain and link selects in place of the old free text (which stays on the
# project until the bureau maps it: /chains/unmapped/).
_AT = LEDGER_FIELDS.index("industry_chain")
FORM_FIELDS = [*LEDGER_FIELDS[:_AT], "chain", "chain_link", *LEDGER_FIELDS[_AT + 1 :]]


def team_choices(units):
    """The teams of the county (and city) of `units`: never a neighbouring county's."""
    return teams_serving_any(units)


class ProjectForm(ProductModelForm):
    """Every field of the 项目台账 template. The stage is chosen on creation only; afterwards it moves
    through the stage form, so that each change lands in the history with its date and reason."""

    class Meta:
        model = Project
        fields = [*FORM_FIELDS, "dropped_reason"]
        widgets = {f: DATE_INPUT for f in ("signed_on", "started_on", "production_on")}
        help_texts = {
            "contract_amount": "内资填万元，外资填万美元",
            "credit_code": "18位，按 GB 32100-2015 校验",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = Unit.objects.writable_by(user).filter(is_active=True)
        self.fields["responsible_unit"].queryset = editable
        self.fields["team"].queryset = team_choices(editable)
        self.fields["team"].empty_label = "无（不属于招商小分队）"
        set_chain_fields(self, editable)
        self.fields["key_level"].required = False
        self.fields["key_level"].choices = [("", "非重点项目"), *KeyLevel.choices]
        for name in ("contract_amount", "planned_total"):
            unit = "内资万元、外资万美元" if name == "contract_amount" else "万元"
            label = self.fields[name].label.split("(")[0]
            self.fields[name].error_messages["max_decimal_places"] = f"{label}最多保留两位小数（单位：{unit}）"
        if not self.instance.pk and not self.is_bound:
            # The next free number of the year, to keep or overwrite (projects.codes).
            self.initial.setdefault("code", propose_code())
        if self.instance.pk:
            del self.fields["stage"]
            del self.fields["dropped_reason"]
        else:
            self.fields["stage"].choices = [(s, s) for s in Stage.values if s != Stage.DROPPED]
            del self.fields["dropped_reason"]

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if code and Project.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"项目编号 {code} 已被使用，请换一个编号（下一个可用的是 {propose_code()}）")
        return code

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def clean(self):
        """Show the stage/date rules together with the field errors, not one round trip later."""
        data = super().clean()
        values = {**{f: getattr(self.instance, f) for f in ("stage", "dropped_reason")}, **data}
        for field, message in rules.consistency_errors(values, today=today()).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class StageChangeForm(ProductForm):
    to_stage = forms.ChoiceField(label="变更为")
    on_date = forms.DateField(label="日期", widget=DATE_INPUT, initial=today)
    contract_amount = forms.DecimalField(
        label="协议资金（签约时填写）", required=False, min_value=0, max_digits=16, decimal_places=2
    )
    reason = forms.CharField(label="原因（终止时必填）", required=False, max_length=200)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, s) for s in rules.allowed_next_stages(project.stage)]


class ProjectFilterForm(ProductForm):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "编号、名称或投资方"})
    )
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    team = forms.ModelChoiceField(
        label="招商小分队", queryset=Unit.objects.none(), required=False, empty_label="全部小分队"
    )
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部阶段")] + Stage.choices)
    chain = forms.ModelChoiceField(
        label="产业链", queryset=Chain.objects.none(), required=False, empty_label="全部产业链"
    )
    # the chain map's "另有N个" links here with ?chain=&link= (a link of a chain the user reads)
    link = forms.ModelChoiceField(
        label="环节", queryset=ChainLink.objects.none(), required=False, empty_label="全部环节"
    )
    funding_type = forms.ChoiceField(
        label="资金类型", required=False, choices=[("", "内资和外资")] + FundingType.choices
    )
    key_level = forms.ChoiceField(
        label="重点项目",
        required=False,
        choices=[("", "全部"), ("any", "全部重点项目")] + KeyLevel.choices + [("none", "非重点")],
    )
    major = forms.ChoiceField(
        label="亿元以上", required=False, choices=[("", "不限"), ("1", "亿元以上"), ("0", "亿元以下")]
    )
    signed_from = forms.DateField(label="签约日期从", required=False, widget=DATE_INPUT)
    signed_to = forms.DateField(label="至", required=False, widget=DATE_INPUT)
    # Set by the progress pages' drill-down links: the projects behind one indicator in one period.
    figure = forms.CharField(required=False, widget=forms.HiddenInput)
    period = forms.CharField(required=False, widget=forms.HiddenInput)
    span = forms.ChoiceField(
        required=False, choices=[("ytd", "1至本月累计"), ("month", "本月")], widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        readable = Unit.objects.readable_by(user)
        self.fields["unit"].queryset = readable.exclude(kind__in=TEAM_KINDS)
        self.fields["team"].queryset = team_choices(readable)
        chains = Chain.objects.visible_to(user).order_by("owner__path", "sort_order", "id")
        self.fields["chain"].queryset = chains
        self.fields["link"].queryset = ChainLink.objects.filter(chain__in=chains).select_related("chain")
        self.fields["link"].label_from_instance = lambda item: f"{item.chain.name}/{item.name}"

    def clean(self):
        data = super().clean()
        if data.get("signed_from") and data.get("signed_to") and data["signed_from"] > data["signed_to"]:
            self.add_error("signed_to", "结束日期不能早于开始日期")
        return data

    def apply(self, projects):
        """Narrow an already-scoped queryset by the valid filters."""

        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            text = data["q"].strip()
            projects = projects.filter(Q(code__icontains=text) | Q(name__icontains=text) | Q(investor__icontains=text))
        if data.get("unit"):
            projects = projects.under(data["unit"])
        if data.get("team"):
            projects = projects.filter(team=data["team"])
        if data.get("chain"):
            projects = projects.filter(chain=data["chain"])
        if data.get("link"):
            projects = projects.filter(chain_link=data["link"])
        for field in ("stage", "funding_type"):
            if data.get(field):
                projects = projects.filter(**{field: data[field]})
        level = data.get("key_level")
        if level == "any":
            projects = projects.exclude(key_level="")
        elif level == "none":
            projects = projects.filter(key_level="")
        elif level:
            projects = projects.filter(key_level=level)
        if data.get("major") in ("0", "1"):
            projects = projects.filter(is_major=data["major"] == "1")
        if data.get("signed_from"):
            projects = projects.filter(signed_on__gte=data["signed_from"])
        if data.get("signed_to"):
            projects = projects.filter(signed_on__lte=data["signed_to"])
        drill = self.drill()
        if drill:
            projects = projects_behind(projects, drill["code"], drill["first"], drill["last"])
        return projects

    def drill(self) -> dict | None:
        """The indicator and months of a drill-down link, when it is one and it is valid."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("figure") not in DRILLABLE or not data.get("period"):
            return None
        try:
            last = parse_month(data["period"])
        except ValueError:
            return None
        first = last if data.get("span") == "month" else last.replace(month=1)
        return {
            "code": data["figure"],
            "name": NAMES.get(data["figure"]) or BY_CODE[data["figure"]].name,
            "first": first,
            "last": last,
        }
