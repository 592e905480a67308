"""The scheme pages' forms. An item's form writes the item as the scheme file does (`to_item`), and the file's own
check (schema.check_item) judges it, so a scheme edited on the page exports what `assessment load` reads. Each
field's label names the file's key, so a message such as “第2项“到位资金”：ratio 规则缺少“target”” points at it."""

from decimal import Decimal

from django import forms

from zhaoshang.assessment import schema
from zhaoshang.assessment.models import Rule
from zhaoshang.assessment.sources import KIND_LABELS
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.periods import format_month, parse_month
from zhaoshang.org.models import AssessmentGroup, Unit

KIND_CHOICES = [("", "（不用）"), *((k, f"{k}：{label}") for k, label in KIND_LABELS.items())]
SOURCE_FIELDS = {"actual": "实际值", "target": "目标值", "of": "数据来源"}
NUMBER_FIELDS = {
    "cap": "封顶系数",
    "base": "基础分",
    "floor": "最低分",
    "max": "最高分",
    "each_missing": "每少1个扣分",
    "per_point": "每超1个百分点加分",
}
# The repeated rows: key → [(field, label, is a source)]
ROWS = {
    "parts": [("actual", "实际值", True), ("target", "目标值", True), ("share", "权重", False), ("cap", "封顶", False)],
    "counts": [("of", "个数来源", True), ("each", "每个计分", False)],
    "bands": [("of", "个数来源", True), ("at_least", "保底个数", False)],
    "tiers": [("threshold", "完成率门槛", False), ("share", "得分比例", False)],
}
RULE_HELP = "；".join(
    f"{rule.value}（{rule.label}）需要 {'、'.join(schema.RULE_KEYS[rule.value][0])}"
    + (f"，可选 {'、'.join(schema.RULE_KEYS[rule.value][1])}" if schema.RULE_KEYS[rule.value][1] else "")
    for rule in Rule
)


def _number_field(label, required=False):
    return forms.DecimalField(label=label, required=required, max_digits=15, decimal_places=6)


def _text(value) -> str:
    """A number of the file as the form shows it (1.2, 50, -10)."""
    return "" if value is None else f"{schema.as_decimal(value).normalize():f}"


class SchemeForm(ProductForm):
    name = forms.CharField(label="方案名称", max_length=100)
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    period = forms.CharField(label="考核期", help_text="YYYY-MM，如 2026-12：按该月的1至M月累计计分")
    group = forms.ModelChoiceField(label="考核组", queryset=AssessmentGroup.objects.none(), required=False)
    units = forms.ModelMultipleChoiceField(
        label="考核单位", queryset=Unit.objects.none(), required=False, help_text="不按考核组时，逐个选择考核的单位"
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        groups = AssessmentGroup.objects.filter(owner=owner)
        if owner.parent_id is None:
            groups = AssessmentGroup.objects.filter(owner=owner) | AssessmentGroup.objects.filter(owner=None)
        self.fields["group"].queryset = groups.order_by("sort_order", "name")
        self.fields["group"].empty_label = "（不按考核组，逐个选择单位）"
        self.fields["units"].queryset = Unit.objects.under(owner).filter(is_active=True).exclude(pk=owner.pk)
        self.fields["units"].widget.attrs["size"] = 8

    def clean_period(self):
        try:
            return parse_month(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if not self.errors:
            if data.get("group") and data.get("units"):
                self.add_error("units", "已选考核组时不再逐个选择单位")
            elif not data.get("group") and not data.get("units"):
                self.add_error("group", "请选择考核组，或逐个选择考核单位")
            elif data["period"].year != data["year"]:
                self.add_error("period", f"考核期不在考核年度{data['year']}年内")
        return data

    @staticmethod
    def initial_of(scheme) -> dict:
        return {
            "name": scheme.name,
            "year": scheme.year,
            "period": format_month(scheme.period),
            "group": scheme.group_id,
            "units": list(scheme.units.values_list("pk", flat=True)),
            "note": scheme.note,
        }


class ItemForm(ProductForm):
    """One item: its rule's keys as fields, the repeated ones (parts, counts, bands, tiers) as numbered rows."""

    name = forms.CharField(label="项目名称（name）", max_length=100)
    points = forms.DecimalField(label="分值（points）", min_value=0, max_digits=8, decimal_places=2)
    rule = forms.ChoiceField(label="计分规则（rule）", choices=Rule.choices, help_text=RULE_HELP)

    def __init__(self, *args, params=None, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        params = params or {}
        for key, label in SOURCE_FIELDS.items():
            self.fields[f"{key}_kind"] = forms.ChoiceField(
                label=f"{label}（{key}）类别", choices=KIND_CHOICES, required=False
            )
            self.fields[f"{key}_name"] = forms.CharField(label=f"{label}（{key}）名称", max_length=100, required=False)
        for key, label in NUMBER_FIELDS.items():
            self.fields[key] = _number_field(f"{label}（{key}）")
        self.row_counts = {}
        for key, columns in ROWS.items():
            count = rows if rows is not None else len(params.get(key) or []) + 2
            self.row_counts[key] = count
            for n in range(count):
                for field, label, is_source in columns:
                    if is_source:
                        self.fields[f"{key}-{n}-{field}_kind"] = forms.ChoiceField(
                            label=f"{key} 第{n + 1}条{label}类别", choices=KIND_CHOICES, required=False
                        )
                        self.fields[f"{key}-{n}-{field}_name"] = forms.CharField(
                            label=f"{key} 第{n + 1}条{label}名称", max_length=100, required=False
                        )
                    else:
                        self.fields[f"{key}-{n}-{field}"] = _number_field(f"{key} 第{n + 1}条{label}（{field}）")

    # --- the item as the file writes it, and back ------------------------------------------------------------

    @staticmethod
    def initial_of(item) -> dict:
        initial = {"name": item.name, "points": item.points, "rule": item.rule}
        params = item.params
        for key in SOURCE_FIELDS:
            if isinstance(params.get(key), str):
                initial[f"{key}_kind"], _, initial[f"{key}_name"] = params[key].partition(":")
        for key in NUMBER_FIELDS:
            if key in params:
                initial[key] = _text(params[key])
        for key, columns in ROWS.items():
            for n, row in enumerate(params.get(key) or []):
                if key == "tiers":
                    row = {"threshold": row[0], "share": row[1]}
                for field, _, is_source in columns:
                    if field not in row:
                        continue
                    if is_source:
                        kind, _, name = str(row[field]).partition(":")
                        initial[f"{key}-{n}-{field}_kind"], initial[f"{key}-{n}-{field}_name"] = kind, name
                    else:
                        initial[f"{key}-{n}-{field}"] = _text(row[field])
        return initial

    def _source(self, prefix):
        kind = self.cleaned_data.get(f"{prefix}_kind") or ""
        name = (self.cleaned_data.get(f"{prefix}_name") or "").strip()
        if not kind and not name:
            return None
        return f"{kind}:{name}"

    def to_item(self) -> dict:
        """The item as the scheme file writes it: the rule's keys that are filled in (a key the rule needs and
        left empty is then named by the file's check)."""
        data = self.cleaned_data
        rule = data["rule"]
        required, optional = schema.RULE_KEYS[rule]
        allowed = (*required, *optional)
        item = {"name": data["name"].strip(), "points": _plain(data["points"]), "rule": rule}
        for key in allowed:
            if key in SOURCE_FIELDS:
                value = self._source(key)
            elif key in NUMBER_FIELDS:
                value = _plain(data.get(key))
            else:
                value = self._rows(key)
            if value not in (None, []):
                item[key] = value
        return item

    def _rows(self, key):
        out = []
        for n in range(self.row_counts[key]):
            row = {}
            for field, _, is_source in ROWS[key]:
                value = (
                    self._source(f"{key}-{n}-{field}")
                    if is_source
                    else _plain(self.cleaned_data.get(f"{key}-{n}-{field}"))
                )
                if value is not None:
                    row[field] = value
            if not row:
                continue
            if key == "tiers":
                out.append([row.get("threshold"), row.get("share")])
            else:
                out.append(row)
        return out

    def source_fields(self):
        return [(key, self[f"{key}_{part}"]) for key in SOURCE_FIELDS for part in ("kind", "name")]

    def number_fields(self):
        return [(key, self[key]) for key in NUMBER_FIELDS]

    def row_fields(self):
        """[(key, [[bound fields of row 1], …])] for the template."""
        found = []
        for key, columns in ROWS.items():
            rows = []
            for n in range(self.row_counts[key]):
                names = []
                for field, _, is_source in columns:
                    names += (
                        [f"{key}-{n}-{field}_kind", f"{key}-{n}-{field}_name"] if is_source else [f"{key}-{n}-{field}"]
                    )
                rows.append([self[name] for name in names])
            found.append((key, [label for _, label, _ in columns], rows))
        return found


def _plain(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


class SchemeUploadForm(ProductForm):
    file = forms.FileField(label="方案文件（JSON）", help_text="与 manage.py assessment load 读入的格式相同，最大1MB")


def rule_keys_json() -> str:
    """{rule: [its keys]} for the item page's script, which shows only the chosen rule's fields."""
    import json  # noqa: PLC0415

    return json.dumps({rule: [*required, *optional] for rule, (required, optional) in schema.RULE_KEYS.items()})
