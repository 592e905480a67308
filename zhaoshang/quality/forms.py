"""The 数据质量 pages' forms: the list's filters, a unit's 说明, the bureau's 关闭 and the rule settings. The services
check and save (the forms only parse)."""

from django import forms

from zhaoshang.construction.forms import MonthField
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.org.models import Unit
from zhaoshang.quality.models import FlagStatus, Rule
from zhaoshang.quality.services import TEXT_MAX
from zhaoshang.quality.thresholds import RULES


class FlagFilterForm(ProductForm):
    rule = forms.ChoiceField(label="规则", required=False, choices=[("", "全部规则"), *Rule.choices])
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "待处理（待说明、已说明）"), ("all", "全部"), *FlagStatus.choices]
    )
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    month = MonthField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.readable_by(user).filter(is_active=True).order_by("path")


class ExplainForm(ProductForm):
    explanation = forms.CharField(label="情况说明", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(ProductForm):
    note = forms.CharField(label="关闭意见", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class SettingsForm(ProductForm):
    """One row of fields per rule: `<rule>-enabled`, and the values the rule reads (thresholds.RULES)."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for rule, spec in RULES.items():
            setting = current[rule]
            self.fields[f"{rule}-enabled"] = forms.BooleanField(label="启用", required=False)
            self.initial[f"{rule}-enabled"] = setting.enabled
            for name in ("ratio", "count", "amount"):
                knob = getattr(spec, name)
                if knob is None:
                    continue
                if name == "count":
                    field = forms.IntegerField(label=knob.label, min_value=knob.low, max_value=knob.high)
                else:
                    field = forms.DecimalField(
                        label=knob.label, min_value=knob.low, max_value=knob.high, max_digits=16, decimal_places=2
                    )
                field.help_text = knob.unit
                self.fields[f"{rule}-{name}"] = field
                self.initial[f"{rule}-{name}"] = getattr(setting, name)

    def rows(self):
        """[(rule label, what it looks for, [bound fields])] in the rules' order, for the page."""
        return [
            (label, RULES[rule].explain, [self[name] for name in self.fields if name.startswith(f"{rule}-")])
            for rule, label in Rule.choices
        ]

    def values(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            rule: {name: data.get(f"{rule}-{name}") for name in ("enabled", "ratio", "count", "amount")}
            for rule in RULES
        }
