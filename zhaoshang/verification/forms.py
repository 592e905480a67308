"""Forms of the 认定 pages; the writes are the services'. Each derives from the product's forms, so every error
reads in the product's words."""

from django import forms

from zhaoshang.core.field_messages import ProductForm
from zhaoshang.evidence.models import EvidenceKind
from zhaoshang.projects.models import CountedBasis, VerificationKind, VerificationStatus
from zhaoshang.verification import rules

STATUS_CHOICES = [("", "全部状态"), *VerificationStatus.choices]
KIND_CHOICES = [("", "全部事项"), *VerificationKind.choices]
SPAN_CHOICES = list(rules.PERIOD_KINDS.items())


def unit_choices(units) -> list:
    """A subtree's units as a select's choices, indented by depth below the highest one offered."""
    top = min((u.path.count("/") for u in units), default=0)
    return [(str(u.pk), f"{'　' * (u.path.count('/') - top)}{u.name}") for u in units]


class QueueFilterForm(ProductForm):
    """单位 (a subtree), 期间 (a month and 月/季/年), 事项, 状态 (待认定 by default)."""

    unit = forms.ChoiceField(label="单位", required=False)
    month = forms.CharField(label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"}))
    span = forms.ChoiceField(label="期间", required=False, choices=SPAN_CHOICES)
    kind = forms.ChoiceField(label="事项", required=False, choices=KIND_CHOICES)
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)


class DecideForm(ProductForm):
    decision = forms.ChoiceField(label="认定结果", choices=[("pass", "认定"), ("refuse", "不予认定")])
    reason = forms.CharField(label="不予认定原因", max_length=200, required=False)


class RulesForm(ProductForm):
    """The counted basis and, per item, up to three groups of evidence kinds: the item needs one of each group."""

    counted = forms.ChoiceField(label="排名与完成率计", choices=CountedBasis.choices, widget=forms.RadioSelect)

    def __init__(self, *args, requirements=None, **kwargs):
        super().__init__(*args, **kwargs)
        requirements = requirements or {}
        for kind, label in VerificationKind.choices:
            groups = requirements.get(kind) or []
            for index in range(rules.MAX_GROUPS):
                name = f"{kind}_{index}"
                self.fields[name] = forms.MultipleChoiceField(
                    label=f"{label}：第{index + 1}组（任一即可）",
                    choices=EvidenceKind.choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                if index < len(groups):
                    self.initial.setdefault(name, groups[index])

    def rows(self):
        """[(item label, [bound fields of its groups])] for the template."""
        return [
            (label, [self[f"{kind}_{i}"] for i in range(rules.MAX_GROUPS)]) for kind, label in VerificationKind.choices
        ]

    def requirements(self) -> dict:
        return {
            kind: [
                self.cleaned_data[f"{kind}_{i}"] for i in range(rules.MAX_GROUPS) if self.cleaned_data[f"{kind}_{i}"]
            ]
            for kind in VerificationKind.values
        }


class GrantForm(ProductForm):
    username = forms.CharField(label="账号（用户名）", max_length=150)
    unit = forms.ChoiceField(label="认定范围")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
