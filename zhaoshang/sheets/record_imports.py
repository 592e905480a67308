"""The record sheets of the spreadsheet contract (README, Spreadsheets), one importer each: 单位, 项目台账,
年度投资计划, 目标任务, 经济指标. Each parses a row into plain values and applies it through the service a page
would call."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import cached_property

from zhaoshang.audit.models import Source
from zhaoshang.chains.refs import ChainDirectory
from zhaoshang.closing.guard import is_closed
from zhaoshang.core.creditcode import credit_code_error, normalize_credit_code
from zhaoshang.core.periods import current_month, today
from zhaoshang.org import services as org_services
from zhaoshang.org.accounts import manages_all, manages_unit
from zhaoshang.org.departments import teams_serving_any
from zhaoshang.org.models import AssessmentGroup, Role, Unit, UnitKind
from zhaoshang.org.scoping import editable_unit_ids, has_role
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.economy import ECONOMIC_NAMES, region_unit
from zhaoshang.progress.models import EconomicFigure, Target
from zhaoshang.projects import figures
from zhaoshang.projects import services as project_services
from zhaoshang.projects.exports import LEDGER_HEADERS
from zhaoshang.projects.indicators import TARGETED
from zhaoshang.projects.locks import lock_projects
from zhaoshang.projects.models import AnnualPlan, FundingType, KeyLevel, Project, Stage
from zhaoshang.projects.rules import allowed_next_stages
from zhaoshang.sheets import cells
from zhaoshang.sheets.account_import import AccountsImporter
from zhaoshang.sheets.row_import import CREATED, UNCHANGED, UPDATED, Row, RowImporter

KEY_LEVELS = [value for value, _ in KeyLevel.choices if value]
ECONOMIC_CODES = {name: code for code, name in ECONOMIC_NAMES.items()}
TARGET_CODES = {i.name: i.code for i in TARGETED}
COUNT_CODES = {i.code for i in TARGETED if not i.is_amount}


def is_command(actor) -> bool:
    """A command run without --user acts with full rights (and is audited as the system)."""
    return actor is None


def refusal_unless(may_import, message: str):
    """An importer's `refusal(actor)`: None (it may import the sheet) for a command without --user and for an
    actor `may_import(actor)` answers true for, `message` for anyone else."""

    def refusal(actor):
        return None if is_command(actor) or may_import(actor) else message

    return staticmethod(refusal)


def editable_units(actor) -> dict[str, Unit]:
    units = Unit.objects.filter(is_active=True)
    if not is_command(actor):
        units = units.writable_by(actor)
    return {u.name: u for u in units}


def unit_in_scope(row: Row, column: str, name: str | None, scope: dict[str, Unit]) -> Unit | None:
    """A unit named in a row must be one the actor may write: naming another is refused, never rewritten."""
    if name is None:
        return None
    unit = scope.get(name)
    if unit is None:
        exists = Unit.objects.filter(name=name).exists()
        row.error(column, f"“{name}”不在您的填报范围内" if exists else f"没有名为“{name}”的单位")
    return unit


def _year(value) -> int:
    year = cells.whole(value)
    if not 2000 <= year <= current_month().year + 1:
        raise ValueError(f"年度“{year}”不在合理范围内")
    return year


# --- 单位 ------------------------------------------------------------------------------------------------------------


class UnitsImporter(RowImporter):
    """Creates or updates units by name. Only the system admin manages units (等保 separation of duties)."""

    kind = "units"
    headers = ["单位名称", "单位类型", "上级单位", "考核组"]
    # The months a unit counts in (org.Unit.effective_from/to); a sheet without these columns keeps them as set.
    optional_headers = ["起始月份", "截止月份"]
    key_column = "单位名称"
    columns = {
        "name": "单位名称",
        "kind": "单位类型",
        "parent": "上级单位",
        "group": "考核组",
        "effective_from": "起始月份",
        "effective_to": "截止月份",
    }

    refusal = refusal_unless(lambda actor: has_role(actor, Role.SYSTEM_ADMIN), "单位表只能由系统管理员导入")

    def parse(self, row):
        return {
            "name": row.get("单位名称", required=True),
            "kind": row.choice("单位类型", UnitKind.values, required=True),
            "parent": row.get("上级单位"),
            "group": row.get("考核组"),
            **{
                field: row.get(column, cells.month)
                for field, column in (("effective_from", "起始月份"), ("effective_to", "截止月份"))
                if column in row.values
            },
        }

    def key(self, item):
        return item["name"]

    def apply(self, item):
        unit = Unit.objects.filter(name=item["name"]).select_related("parent", "group").first()
        if unit is not None and not manages_unit(self.actor, unit):
            raise ValidationError({"name": f"“{unit.name}”不在您管理的范围内"})
        before = org_services.unit_snapshot(unit) if unit else None
        unit = unit or Unit(name=item["name"])
        unit.kind = item["kind"]
        if item["parent"]:
            parent = Unit.objects.filter(name=item["parent"]).first()
            if parent is None:
                raise ValidationError({"parent": f"上级单位“{item['parent']}”不存在（须已有，或写在本表前面的行中）"})
            unit.parent = parent
        else:
            unit.parent = None
        unit.group = self._group(item["group"], unit.parent) if item["group"] else None
        for field in ("effective_from", "effective_to"):
            if field in item:
                setattr(unit, field, item[field])
        if before is not None and org_services.unit_snapshot(unit) == before:
            return UNCHANGED
        self._check_parent(unit, before)
        org_services.unit_save(actor=self.actor, unit=unit, before=before, source=Source.IMPORT)
        return UPDATED if before is not None else CREATED

    def _check_parent(self, unit: Unit, before: dict | None) -> None:
        """A county's system admin places units only below the units it manages: never at the top of the tree,
        never under a neighbouring county. A unit left where it is (its own county, under the city) is fine."""
        parent_name = unit.parent.name if unit.parent_id else None
        if before is not None and before["parent"] == parent_name:
            return
        if unit.parent_id is None and not manages_all(self.actor):
            raise ValidationError({"parent": "须填写上级单位：您只能管理本单位及其下级单位"})
        if unit.parent_id is not None and not manages_unit(self.actor, unit.parent):
            raise ValidationError({"parent": f"上级单位“{parent_name}”不在您管理的范围内"})

    def _group(self, name: str, parent: Unit | None) -> AssessmentGroup:
        """The 考核组 of that name owned by the nearest unit above the new one (a county's 乡镇组 is not its
        neighbour's); one named for the first time is created (and audited), owned by the nearest county or
        city above (the root for a top unit)."""
        above = ancestor_ids(parent.path) if parent else []
        owned = {
            g.owner_id: g for g in AssessmentGroup.objects.filter(Q(owner_id__in=above) | Q(owner=None), name=name)
        }
        for unit_id in [*reversed(above), None]:  # the nearest owner first; an ownerless group is the root's
            if unit_id in owned:
                return owned[unit_id]
        owner = (
            Unit.objects.filter(pk__in=above, kind__in=[UnitKind.COUNTY, UnitKind.CITY]).order_by("-path").first()
            if above
            else None
        )
        group = AssessmentGroup(name=name, owner=owner or (parent and Unit.objects.get(pk=above[0])))
        return org_services.group_save(actor=self.actor, group=group, before=None, source=Source.IMPORT)


# --- 项目台账 --------------------------------------------------------------------------------------------------------

# The date column that says when each stage was reached.
_STAGE_DATES = {Stage.SIGNED: "signed_on", Stage.STARTED: "started_on", Stage.PRODUCING: "production_on"}


class ProjectsImporter(RowImporter):
    """Creates projects, or updates them by 项目编号, within the actor's units. A changed 项目阶段 moves the
    project one step forward, dated by the stage's own date column, and lands in the stage history."""

    kind = "projects"
    headers = LEDGER_HEADERS  # the 项目台账 template, the same columns the ledger exports
    key_column = "项目编号"
    columns = dict(zip(project_services.LEDGER_FIELDS, headers, strict=True))
    columns.update({"to_stage": "项目阶段", "on_date": "项目阶段", "reason": "项目阶段", "__all__": "项目编号"})
    columns.update({"chain": "产业链", "chain_link": "产业链"})

    def __init__(self, actor):
        super().__init__(actor)
        self.chains = ChainDirectory()
        self.scope = editable_units(actor)
        self.teams = {u.name: u for u in teams_serving_any(Unit.objects.filter(pk__in=self._scope_ids(actor)))}

    @staticmethod
    def _scope_ids(actor):
        """The units whose teams the sheet may name: the actor's (every unit for a command without --user)."""
        return Unit.objects.values("pk") if is_command(actor) else editable_unit_ids(actor)

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入项目台账")
    code_required = True  # the 招商线索 sheet (frontline_imports.LeadsImporter) lets the product propose one

    def parse(self, row):
        credit_code = row.get("统一社会信用代码")
        if credit_code:
            credit_code = normalize_credit_code(credit_code)
            problem = credit_code_error(credit_code)
            if problem:
                row.error("统一社会信用代码", problem)
        team_name = row.get("招商小分队")
        team = self.teams.get(team_name) if team_name else None
        if team_name and team is None:
            row.error("招商小分队", f"没有名为“{team_name}”的招商小分队")
        unit = unit_in_scope(row, "责任单位", row.get("责任单位", required=True), self.scope)
        item = {
            "code": row.get("项目编号", required=self.code_required),
            "name": row.get("项目名称", required=True),
            "investor": row.get("投资方") or "",
            "credit_code": credit_code or "",
            "funding_type": row.choice("资金类型", FundingType.values, required=True),
            "responsible_unit": unit,
            "team": team,
            "leader_in_charge": row.get("包保领导") or "",
            "stage": row.choice("项目阶段", Stage.values, required=True),
            "signed_on": row.get("签约日期", cells.day),
            "contract_amount": row.get("协议资金", cells.amount),
            "planned_total": row.get("计划总投资(万元)", cells.amount),
            "started_on": row.get("开工日期", cells.day),
            "production_on": row.get("投产日期", cells.day),
            "key_level": row.choice("重点项目级别", KEY_LEVELS) or "",
        }
        item.update(self._chain(row, unit))
        return item

    def _chain(self, row, unit) -> dict:
        """The 产业链 cell: a chain's name or `链/环节` among the chains the unit may use; where its county has
        laid out no chain yet, the text kept as it was written (industry_chain), nothing lost. A named chain
        leaves the project's old text in place (it is what the bureau mapped from)."""
        text = row.get("产业链") or ""
        if not text:
            return {"chain": None, "chain_link": None, "industry_chain": ""}
        if unit is None:
            return {}
        chain, link, error = self.chains.resolve(text, unit)
        if error:
            row.error("产业链", error)
            return {}
        if chain is None:
            return {"chain": None, "chain_link": None, "industry_chain": text}
        return {"chain": chain, "chain_link": link}

    def key(self, item):
        return item["code"]

    def apply(self, item):
        # Read once the project is locked (projects.locks): its stage and values decide what this row changes,
        # so an edit or another import of the same row has finished and is seen here, or waits for this one.
        lock_projects(Project.objects.filter(code=item["code"]).values_list("pk", flat=True))
        project = Project.objects.filter(code=item["code"]).select_related("responsible_unit", "team").first()
        if project is None:
            project_services.project_create(actor=self.actor, values=item, source=Source.IMPORT)
            return CREATED
        if project.responsible_unit.name not in self.scope:
            raise ValidationError({"code": "该项目编号已被使用，且项目不在您的填报范围内"})
        stage_changed = item["stage"] != project.stage
        if stage_changed:
            self._advance(project, item)
        values = {k: v for k, v in item.items() if k in project_services.EDITABLE_FIELDS}
        changes = project_services.project_update(
            actor=self.actor, project=project, values=values, source=Source.IMPORT
        )
        return UPDATED if changes or stage_changed else UNCHANGED

    def _advance(self, project, item):
        to_stage = item["stage"]
        if to_stage == Stage.DROPPED:
            raise ValidationError({"stage": "终止项目须填写原因，请在项目页面操作"})
        if to_stage not in allowed_next_stages(project.stage):
            allowed = "、".join(s for s in allowed_next_stages(project.stage) if s != Stage.DROPPED) or "无"
            raise ValidationError({"stage": f"当前为“{project.stage}”，只能逐级变更为：{allowed}"})
        date_field = _STAGE_DATES.get(to_stage)
        on_date = item.get(date_field) if date_field else None
        if date_field and on_date is None:
            raise ValidationError({date_field: f"项目阶段变为“{to_stage}”，须填写该日期"})
        project_services.project_change_stage(
            actor=self.actor,
            project=project,
            to_stage=to_stage,
            on_date=on_date or today(),
            contract_amount=item["contract_amount"] if to_stage == Stage.SIGNED else None,
            source=Source.IMPORT,
        )


# --- 年度投资计划 ----------------------------------------------------------------------------------------------------


class PlansImporter(RowImporter):
    kind = "plans"
    headers = ["项目编号", "年度", "年度计划投资(万元)"]
    key_column = "项目编号"
    columns = {"amount": "年度计划投资(万元)", "month": "年度", "year": "年度"}
    figure_columns = ("年度计划投资(万元)",)

    def __init__(self, actor):
        super().__init__(actor)
        scope = {u.pk for u in editable_units(actor).values()}
        self.projects = {
            p.code: p for p in Project.objects.filter(responsible_unit_id__in=scope).select_related("responsible_unit")
        }

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入年度投资计划")

    def parse(self, row):
        code = row.get("项目编号", required=True)
        year = row.get("年度", _year, required=True)
        amount = row.get("年度计划投资(万元)", cells.amount, required=True)
        project = self.projects.get(code) if code else None
        if code and project is None:
            row.error("项目编号", f"项目“{code}”不存在或不在您的填报范围内")
        return {"project": project, "year": year, "amount": amount}

    def key(self, item):
        return (item["project"].pk, item["year"])

    def apply(self, item):
        project, year = item["project"], item["year"]
        lock_projects([project.pk])  # the plan read here is the one annual_plan_set replaces (projects.locks)
        old = AnnualPlan.objects.filter(project=project, year=year).values_list("amount", flat=True).first()
        if old == item["amount"]:
            return UNCHANGED
        figures.annual_plan_set(
            actor=self.actor, project=project, year=year, amount=item["amount"], source=Source.IMPORT
        )
        return CREATED if old is None else UPDATED


# --- 目标任务 --------------------------------------------------------------------------------------------------------


class TargetsImporter(RowImporter):
    """The bureau's annual targets, by unit name and indicator name."""

    kind = "targets"
    headers = ["单位", "年度", "指标", "目标值"]
    key_column = "单位"
    columns = {"value": "目标值", "indicator": "指标"}
    figure_columns = ("目标值",)

    def __init__(self, actor):
        super().__init__(actor)
        self.scope = editable_units(actor)

    refusal = refusal_unless(lambda actor: has_role(actor, Role.BUREAU_ADMIN), "目标任务只能由主管部门管理员导入")

    def parse(self, row):
        unit = unit_in_scope(row, "单位", row.get("单位", required=True), self.scope)
        code = row.choice("指标", TARGET_CODES, required=True)
        value = row.get("目标值", cells.figure, required=True)
        if code in COUNT_CODES and value is not None and value != value.to_integral_value():
            row.error("目标值", "个数指标应为整数")
        return {"unit": unit, "year": row.get("年度", _year, required=True), "code": code, "value": value}

    def key(self, item):
        return (item["unit"].pk, item["year"], item["code"])

    def apply(self, item):
        old = (
            Target.objects.filter(unit=item["unit"], year=item["year"], indicator=item["code"])
            .values_list("value", flat=True)
            .first()
        )
        if old is not None and old == item["value"]:
            return UNCHANGED
        progress_services.targets_save(
            actor=self.actor,
            year=item["year"],
            cells={(item["unit"], item["code"]): item["value"]},
            source=Source.IMPORT,
        )
        return CREATED if old is None else UPDATED


# --- 经济指标 --------------------------------------------------------------------------------------------------------


class IndicatorsImporter(RowImporter):
    """The statistics bureau's figures per region and month, entered by the bureau."""

    kind = "indicators"
    headers = ["地区", "月份", "指标", "累计值", "同比增长(%)"]
    key_column = "地区"
    columns = {"region": "地区", "indicator": "指标", "month": "月份"}
    figure_columns = ("累计值", "同比增长(%)")

    refusal = refusal_unless(lambda actor: has_role(actor, Role.BUREAU_ADMIN), "经济指标只能由主管部门管理员导入")

    @cached_property
    def _closed(self) -> dict:
        return {}

    def _is_closed(self, region: str, month) -> bool:
        """Closed for the region's own unit (or the root, for a region the install does not hold)."""
        key = (region, month)
        if key not in self._closed:
            unit = region_unit(region)
            self._closed[key] = unit is not None and is_closed(month, unit)
        return self._closed[key]

    def parse(self, row):
        month = row.get("月份", cells.month, required=True)
        region = row.get("地区", required=True)
        if month and month > current_month():
            row.error("月份", "不能填报未来月份")
        elif month and region and self._is_closed(region, month):
            row.error("月份", f"{month.year}年{month.month}月已关账")
        return {
            "region": region,
            "month": month,
            "indicator": row.choice("指标", ECONOMIC_CODES, required=True),
            "cumulative": row.get("累计值", cells.figure, required=True),
            "growth_pct": row.get("同比增长(%)", cells.signed, required=True),
        }

    def key(self, item):
        return (item["region"], item["month"], item["indicator"])

    def apply(self, item):
        old = EconomicFigure.objects.filter(
            region=item["region"], month=item["month"], indicator=item["indicator"]
        ).first()
        if old and (old.cumulative, old.growth_pct) == (item["cumulative"], item["growth_pct"]):
            return UNCHANGED
        progress_services.economic_figure_set(actor=self.actor, source=Source.IMPORT, **item)
        return CREATED if old is None else UPDATED


RECORD_IMPORTERS = {
    importer.kind: importer
    for importer in (
        UnitsImporter,
        ProjectsImporter,
        PlansImporter,
        TargetsImporter,
        IndicatorsImporter,
        AccountsImporter,
    )
}
