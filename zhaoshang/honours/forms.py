"""The honours pages' forms: a round's settings, adding or removing a 先进单位 with its reason, a 先进个人
nomination and the bureau's decision on it. The forms parse; the services check and save."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from zhaoshang.core.field_messages import ProductForm
from zhaoshang.honours.models import NominationStatus, UnitRule
from zhaoshang.projects.models import Project


def _pairs_text(mapping: dict) -> str:
    return "\n".join(f"{k}={v}" for k, v in mapping.items())


def _parse_pairs(text: str, label: str) -> list[tuple[str, str]]:
    pairs = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.replace("＝", "=").partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValidationError(f"{label}第{n}行应写成“考核组=值”")
        pairs.append((key.strip(), value.strip()))
    return pairs


class RoundForm(ProductForm):
    title = forms.CharField(label="表彰名称", max_length=100)
    rule = forms.ChoiceField(
        label="先进单位规则", choices=UnitRule.choices, widget=forms.RadioSelect(attrs={"class": "choice-chips"})
    )
    top_n = forms.IntegerField(
        label="每组名额",
        min_value=1,
        max_value=999,
        initial=3,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    group_top_n = forms.CharField(
        label="分组名额",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "某组名额不同时，每行一组，如：一类乡镇=3"}),
    )
    min_score = forms.DecimalField(
        label="分数线",
        required=False,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        help_text="按分数线评选时：总分达到（≥）此分数的单位列入",
    )
    honour = forms.CharField(label="荣誉称号", max_length=50)
    group_honours = forms.CharField(
        label="分组荣誉称号",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "某组称号不同时，每行一组，如：一类乡镇=先进乡镇"}),
    )
    reason = forms.CharField(label="表彰理由", widget=forms.Textarea(attrs={"rows": 4}))
    closing = forms.CharField(label="结束语", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_of(cls, honours) -> dict:
        return {
            "title": honours.title,
            "rule": honours.rule,
            "top_n": honours.top_n,
            "group_top_n": _pairs_text(honours.group_top_n),
            "min_score": honours.min_score,
            "honour": honours.honour,
            "group_honours": _pairs_text(honours.group_honours),
            "reason": honours.reason,
            "closing": honours.closing,
        }

    def clean_group_top_n(self) -> dict:
        out = {}
        for group, value in _parse_pairs(self.cleaned_data.get("group_top_n"), "分组名额"):
            if not value.isdigit() or int(value) < 1:
                raise ValidationError(f"{group}的名额应为正整数")
            out[group] = int(value)
        return out

    def clean_group_honours(self) -> dict:
        return dict(_parse_pairs(self.cleaned_data.get("group_honours"), "分组荣誉称号"))

    def clean(self):
        data = super().clean()
        if data.get("rule") == UnitRule.SCORE and data.get("min_score") is None and "min_score" not in self.errors:
            self.add_error("min_score", "按分数线评选时请填写分数线")
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("min_score") is not None:
            data["min_score"] = Decimal(data["min_score"])
        return data


class UnitAddForm(ProductForm):
    unit_name = forms.ChoiceField(label="单位")
    reason = forms.CharField(label="增列理由", max_length=200)

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_name"].choices = [("", "请选择")] + [(n, n) for n in names]


class UnitRemoveForm(ProductForm):
    reason = forms.CharField(label="移除理由", max_length=200)


class NominationForm(ProductForm):
    unit = forms.ModelChoiceField(label="推荐单位", queryset=None, empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(
        label="职务", max_length=100, widget=forms.TextInput(attrs={"placeholder": "如：党委副书记"})
    )
    deeds = forms.CharField(label="主要事迹", widget=forms.Textarea(attrs={"rows": 6}))
    project_codes = forms.CharField(
        label="相关项目编号",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "可不填；多个用空格或逗号分隔"}),
    )

    def __init__(self, *args, units, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.user = user
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk

    def clean_project_codes(self) -> list:
        text = self.cleaned_data.get("project_codes") or ""
        codes = [c for c in text.replace("，", " ").replace(",", " ").replace("、", " ").split() if c]
        found = {p.code: p for p in Project.objects.readable_by(self.user).filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(f"找不到项目编号：{'、'.join(missing)}")
        return [found[c] for c in dict.fromkeys(codes)]

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("unit", "name", "position", "deeds")}


class DecideForm(ProductForm):
    status = forms.ChoiceField(
        label="审核结果",
        choices=[(NominationStatus.APPROVED, "通过"), (NominationStatus.REJECTED, "未通过")],
        widget=forms.RadioSelect(attrs={"class": "choice-chips"}),
    )
    note = forms.CharField(label="审核意见", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("status") == NominationStatus.REJECTED and not (data.get("note") or "").strip():
            self.add_error("note", "未通过时请填写审核意见")
        return data
