"""The `assessment_inputs` sheet (考核数据): the figures a bureau enters per unit for its schemes' `input:NAME`
sources, one a row: 方案, 单位, 指标 (the NAME), 数值. Through assessment.editing.input_set (its rights, its
refusal once the result is published, its audit); all or nothing, every error as `第N行 列名: 原因`. A row whose
数值 is blank is skipped (the template lists every unit × indicator, filled in with what is recorded, so it
re-imports unchanged)."""

from decimal import Decimal, InvalidOperation

from zhaoshang.assessment import editing, schema
from zhaoshang.assessment.models import Scheme
from zhaoshang.audit.models import Source
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin
from zhaoshang.sheets.record_imports import is_command, refusal_unless
from zhaoshang.sheets.row_import import CREATED, UNCHANGED, UPDATED, RowImporter
from zhaoshang.sheets.templates_xlsx import Column, Template

HEADERS = ["方案", "单位", "指标", "数值"]


def number(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是数字")
    raw = str(value).strip().replace(",", "")
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{value}”不是数字") from None
    if not result.is_finite():
        raise ValueError(f"“{value}”不是数字")
    if abs(result) > editing.INPUT_MAX:
        raise ValueError("数值过大")
    if result != result.quantize(Decimal("0.0001")):
        raise ValueError("最多四位小数")
    return result


def writable_schemes(actor) -> list[Scheme]:
    schemes = Scheme.objects.select_related("owner", "group").order_by("-year", "name")
    if not is_command(actor):
        schemes = schemes.filter(owner_id__in=editable_unit_ids(actor))
    return list(schemes)


def scheme_label(scheme: Scheme, schemes: list[Scheme]) -> str:
    """The scheme's name, or 「YYYY年名称」 when several of the actor's schemes share the name."""
    same = [s for s in schemes if s.name == scheme.name]
    return scheme.name if len(same) == 1 else str(scheme)


class _SchemeFacts:
    def __init__(self, scheme):
        self.scheme = scheme
        self.units = {u.name: u for u in schema.assessed_units(scheme)}
        self.names = schema.input_names(scheme)
        self.published = schema.is_published(scheme)
        self.values = editing.input_grid(scheme)


class AssessmentInputsImporter(RowImporter):
    kind = "assessment_inputs"
    headers = HEADERS
    key_column = "方案"
    figure_columns = ("数值",)

    refusal = refusal_unless(is_bureau_admin, "只有主管部门管理员可以导入考核数据")

    def __init__(self, actor):
        super().__init__(actor)
        schemes = writable_schemes(actor)
        self.by_label = {}
        for scheme in schemes:
            self.by_label.setdefault(str(scheme), []).append(scheme)
            self.by_label.setdefault(scheme.name, []).append(scheme)
        self.facts: dict[int, _SchemeFacts] = {}

    def _facts(self, scheme):
        if scheme.pk not in self.facts:
            self.facts[scheme.pk] = _SchemeFacts(scheme)
        return self.facts[scheme.pk]

    def parse(self, row):
        label = row.get("方案", required=True)
        unit_name = row.get("单位", required=True)
        name = row.get("指标", required=True)
        value = row.get("数值", number)
        if label is None:
            return None
        found = self.by_label.get(label, [])
        if not found:
            row.error("方案", f"没有名为“{label}”的考核方案（或不是您制定的方案）")
            return None
        if len(found) > 1:
            row.error("方案", f"名为“{label}”的方案不止一个，请写作“年度+名称”，如“{found[0]}”")
            return None
        facts = self._facts(found[0])
        if facts.published:
            row.error("方案", "考核结果已发布，考核数据不能再修改；如需更正请发布新版本")
        unit = None
        if unit_name is not None:
            unit = facts.units.get(unit_name)
            if unit is None:
                row.error("单位", f"“{unit_name}”不是方案“{facts.scheme.name}”考核的单位")
        if name is not None and name not in facts.names:
            used = "、".join(facts.names) or "无"
            row.error("指标", f"方案“{facts.scheme.name}”没有用到考核数据“{name}”（用到的：{used}）")
        return {"facts": facts, "unit": unit, "name": name, "value": value}

    def key(self, item):
        return (item["facts"].scheme.pk, item["unit"].pk, item["name"])

    def apply(self, item):
        facts = item["facts"]
        outcome = editing.input_set(
            actor=self.actor,
            scheme=facts.scheme,
            unit=item["unit"],
            name=item["name"],
            value=item["value"],
            source=Source.IMPORT,
        )
        return {"created": CREATED, "updated": UPDATED}.get(outcome, UNCHANGED)


def assessment_inputs_template(*, actor, month, year) -> Template:
    """Every unit × indicator of the actor's unpublished schemes, with the figures recorded."""
    schemes = writable_schemes(actor)
    rows = []
    for scheme in schemes:
        facts = _SchemeFacts(scheme)
        if facts.published:
            continue
        for unit in facts.units.values():
            for name in facts.names:
                value = facts.values.get((unit.pk, name))
                rows.append([scheme_label(scheme, schemes), unit.name, name, None if value is None else value])
    comments = {
        "方案": "考核方案名称；同名方案有多个年度时写作“2026年招商引资工作考核”",
        "单位": "方案考核的单位",
        "指标": "方案中 input:名称 的名称，如 省外新增实际投资",
        "数值": "数字，最多四位小数；留空的行不导入",
    }
    widths = {"方案": 26, "单位": 18, "指标": 24, "数值": 16}
    columns = [Column(h, comments[h], widths[h], signed=h == "数值") for h in HEADERS]
    return Template("考核数据", columns, rows=rows)
