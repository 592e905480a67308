"""The front line's sheets (招商一线): 外出招商, 接待客商, 招商线索, 跟进记录, one importer each, through the same
services the front line's pages call (frontline.services): the same scope (a unit's writer names only its own
units and projects), the same checks, the same audit, the closed-month guard refusing a row of a closed month.

A row that matches one already recorded (the same trip, reception, follow-up or lead) reads as "unchanged", so a
sheet imported twice does not count a trip twice."""

from django.core.exceptions import ValidationError

from zhaoshang.audit.models import Source
from zhaoshang.frontline import services as frontline
from zhaoshang.frontline.models import (
    FollowUp,
    FollowUpWay,
    LeaderCategory,
    LeadProfile,
    LeadSource,
    Reception,
    Trip,
)
from zhaoshang.org.models import User
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.models import Project, Stage
from zhaoshang.sheets import cells
from zhaoshang.sheets.base import CellError
from zhaoshang.sheets.record_imports import ProjectsImporter, editable_units, is_command, refusal_unless, unit_in_scope
from zhaoshang.sheets.row_import import CREATED, UNCHANGED, UPDATED, RowImporter

LEAD_STAGES = [Stage.LEAD, Stage.NEGOTIATING]


def _count(value) -> int:
    return cells.whole(value)


def _people(value) -> int:
    number = cells.whole(value)
    if number < 1:
        raise ValueError("至少1人")
    return number


class _DatedImporter(RowImporter):
    """A front-line sheet whose rows are dated: a closed month is reported on the date's column, not the key's."""

    date_column = ""

    def cell_errors(self, number, exc):
        if getattr(exc, "code", None) == "month_closed":
            return [CellError(number, self.date_column, message) for message in exc.messages]
        return super().cell_errors(number, exc)


def _unchanged(obj, fields, values) -> bool:
    """Whether `obj` already holds every value of `values` (compared as the audit would record them)."""
    current = frontline._snapshot(obj, fields)
    wanted = {f: (v.pk if hasattr(v, "pk") else v) for f, v in values.items()}
    return all(current.get(f) == wanted[f] for f in fields if f in wanted)


# --- 外出招商 --------------------------------------------------------------------------------------------------------


class TripsImporter(_DatedImporter):
    """One 外出招商 批次 a row. The same unit, 出发日期, 目的地 and 带队领导 is the same trip: updated, not repeated."""

    kind = "trips"
    headers = ["单位", "出发日期", "返回日期", "目的地", "带队领导", "领导类别", "参加人数", "拜访企业数", "接洽成果"]
    key_column = "单位"
    date_column = "出发日期"
    columns = {
        "unit": "单位",
        "departs_on": "出发日期",
        "returns_on": "返回日期",
        "destination": "目的地",
        "leader": "带队领导",
        "leader_category": "领导类别",
        "people": "参加人数",
        "visited_count": "拜访企业数",
        "visited": "拜访企业数",
        "outcome": "接洽成果",
    }

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入外出招商记录")

    def __init__(self, actor):
        super().__init__(actor)
        self.scope = editable_units(actor)

    def parse(self, row):
        departs_on = row.get("出发日期", cells.day, required=True)
        return {
            "unit": unit_in_scope(row, "单位", row.get("单位", required=True), self.scope),
            "departs_on": departs_on,
            # A trip of one day may leave 返回日期 blank.
            "returns_on": row.get("返回日期", cells.day) or departs_on,
            "destination": row.get("目的地", required=True),
            "leader": row.get("带队领导", required=True),
            "leader_category": row.choice("领导类别", LeaderCategory.values, required=True),
            "people": row.get("参加人数", _people, required=True),
            "visited_count": row.get("拜访企业数", _count) or 0,
            "outcome": row.get("接洽成果") or "",
        }

    def key(self, item):
        return (item["unit"].pk, item["departs_on"], item["destination"], item["leader"])

    def apply(self, item):
        trip = Trip.objects.filter(
            unit=item["unit"], departs_on=item["departs_on"], destination=item["destination"], leader=item["leader"]
        ).first()
        if trip is not None and _unchanged(trip, frontline.TRIP_FIELDS, item):
            return UNCHANGED
        frontline.trip_save(actor=self.actor, trip=trip, values=item, source=Source.IMPORT)
        return CREATED if trip is None else UPDATED


# --- 接待客商 --------------------------------------------------------------------------------------------------------


class ReceptionsImporter(_DatedImporter):
    """One 接待客商 批次 a row; the same unit, 日期 and 来访企业 is the same reception."""

    kind = "receptions"
    headers = ["单位", "日期", "来访企业", "来访人员", "事由", "成果"]
    key_column = "单位"
    date_column = "日期"
    columns = {
        "unit": "单位",
        "on_date": "日期",
        "company": "来访企业",
        "visitors": "来访人员",
        "purpose": "事由",
        "result": "成果",
    }

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入接待客商记录")

    def __init__(self, actor):
        super().__init__(actor)
        self.scope = editable_units(actor)

    def parse(self, row):
        return {
            "unit": unit_in_scope(row, "单位", row.get("单位", required=True), self.scope),
            "on_date": row.get("日期", cells.day, required=True),
            "company": row.get("来访企业", required=True),
            "visitors": row.get("来访人员") or "",
            "purpose": row.get("事由") or "",
            "result": row.get("成果") or "",
        }

    def key(self, item):
        return (item["unit"].pk, item["on_date"], item["company"])

    def apply(self, item):
        reception = Reception.objects.filter(
            unit=item["unit"], on_date=item["on_date"], company=item["company"]
        ).first()
        if reception is not None and _unchanged(reception, frontline.RECEPTION_FIELDS, item):
            return UNCHANGED
        frontline.reception_save(actor=self.actor, reception=reception, values=item, source=Source.IMPORT)
        return CREATED if reception is None else UPDATED


# --- 跟进记录 --------------------------------------------------------------------------------------------------------


class FollowUpsImporter(_DatedImporter):
    """Follow-ups of the projects the actor writes for (the project's responsible unit). A follow-up is a log:
    a row is added, never changes another; one already recorded (same project, 日期, 方式 and 内容) is unchanged."""

    kind = "followups"
    headers = ["项目编号", "日期", "方式", "参加人员", "内容", "下一步", "下一步日期"]
    key_column = "项目编号"
    date_column = "日期"
    columns = {
        "project": "项目编号",
        "on_date": "日期",
        "way": "方式",
        "participants": "参加人员",
        "content": "内容",
        "next_step": "下一步",
        "next_step_on": "下一步日期",
    }

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入跟进记录")

    def __init__(self, actor):
        super().__init__(actor)
        self.projects: dict[str, Project | None] = {}

    def _project(self, code: str) -> Project | None:
        """The project of that code if the actor may read and write it; the message never tells whether a project
        the actor may not see exists."""
        if code not in self.projects:
            projects = Project.objects.select_related("responsible_unit")
            if not is_command(self.actor):
                projects = projects.readable_by(self.actor).filter(
                    responsible_unit_id__in=editable_unit_ids(self.actor)
                )
            self.projects[code] = projects.filter(code=code).first()
        return self.projects[code]

    def parse(self, row):
        code = row.get("项目编号", required=True)
        project = self._project(code) if code else None
        if code and project is None:
            row.error("项目编号", f"项目“{code}”不存在或不在您的填报范围内")
        elif project is not None and project.stage == Stage.DROPPED:
            row.error("项目编号", f"项目“{code}”已终止，不再填写跟进记录")
        return {
            "project": project,
            "on_date": row.get("日期", cells.day, required=True),
            "way": row.choice("方式", FollowUpWay.values, required=True),
            "participants": row.get("参加人员") or "",
            "content": row.get("内容", required=True),
            "next_step": row.get("下一步") or "",
            "next_step_on": row.get("下一步日期", cells.day),
        }

    def key(self, item):
        return (item["project"].pk, item["on_date"], item["way"], item["content"])

    def apply(self, item):
        values = {k: v for k, v in item.items() if k != "project"}
        same = FollowUp.objects.filter(
            project=item["project"], on_date=item["on_date"], way=item["way"], content=item["content"]
        )
        if same.exists():
            return UNCHANGED
        frontline.followup_add(actor=self.actor, project=item["project"], values=values, source=Source.IMPORT)
        return CREATED


# --- 招商线索 --------------------------------------------------------------------------------------------------------

LEAD_COLUMNS = {
    "registered_on": "登记日期",
    "source": "来源",
    "referrer": "引荐人",
    "first_responsible": "首问负责人",
}


class LeadsImporter(ProjectsImporter):
    """The lead register: the 项目台账's columns (stage 线索 or 在谈 only) and the register's own. A new 项目编号 (or
    none: the product proposes one) registers a lead through frontline.services.lead_register — the ledger project
    and its register in one; an existing lead is updated like a ledger row, and its register's cells that are
    filled in. A lead matching another unit's investor (首报首谈) is registered and flagged, with a warning that,
    as on the page, never names the other unit."""

    kind = "leads"
    headers = ProjectsImporter.headers + list(LEAD_COLUMNS.values())
    columns = {**ProjectsImporter.columns, **LEAD_COLUMNS}
    code_required = False

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入招商线索")

    def __init__(self, actor):
        super().__init__(actor)
        self.warnings: list[CellError] = []
        self._accounts: dict[int, list[User]] = {}

    def parse(self, row):
        if cells.is_blank(row.values.get("项目阶段")):
            row.values["项目阶段"] = Stage.LEAD  # a lead's first stage when the cell is left blank
        item = super().parse(row)
        if item["stage"] is not None and item["stage"] not in LEAD_STAGES:
            row.error("项目阶段", "招商线索只能是“线索”或“在谈”；已签约的项目请用项目台账表")
        item["number"] = row.number
        item["registered_on"] = row.get("登记日期", cells.day)
        item["source"] = row.choice("来源", LeadSource.values)
        item["referrer"] = row.get("引荐人") or ""
        name = row.get("首问负责人")
        item["first_responsible"] = self._account(row, name, item["responsible_unit"]) if name else None
        return item

    def key(self, item):
        return item["code"]

    def _account(self, row, name: str, unit) -> User | None:
        """The account named by its 用户名 or its 姓名 among the responsible unit's accounts."""
        if unit is None:
            return None
        if unit.pk not in self._accounts:
            self._accounts[unit.pk] = list(User.objects.filter(memberships__unit=unit, is_active=True).distinct())
        accounts = self._accounts[unit.pk]
        found = [u for u in accounts if u.username.lower() == name.lower()]
        found = found or [u for u in accounts if u.full_name == name]
        if len(found) > 1:
            row.error("首问负责人", f"{unit.name}有多个名为“{name}”的账号，请填写用户名")
            return None
        if not found:
            row.error("首问负责人", f"{unit.name}没有用户名或姓名为“{name}”的账号")
            return None
        return found[0]

    def apply(self, item):
        # A blank 来源, 登记日期 or 首问负责人 keeps what the lead has (a new lead: 自主对接, today, none yet).
        lead_values = {f: item[f] for f in LEAD_COLUMNS if item[f] not in (None, "")}
        project = Project.objects.filter(code=item["code"]).first() if item["code"] else None
        if project is None:
            project_values = {k: v for k, v in item.items() if k not in LEAD_COLUMNS and k != "number"}
            _, warning = frontline.lead_register(
                actor=self.actor, project_values=project_values, lead_values=lead_values, source=Source.IMPORT
            )
            if warning:
                self.warnings.append(CellError(item["number"], "投资方", warning))
            return CREATED
        profile = LeadProfile.objects.filter(pk=project.pk).first()
        if profile is None:
            if project.responsible_unit.name not in self.scope:
                raise ValidationError({"code": "该项目编号已被使用，且项目不在您的填报范围内"})
            raise ValidationError({"code": "该项目已在项目台账中，未登记为招商线索；请用项目台账表修改"})
        outcome = super().apply(item)  # the ledger's columns, scope and stage step as in the 项目台账 sheet
        lead_values["referrer"] = item["referrer"]  # a text cell: blank clears it, as the ledger's text cells do
        changes = frontline.lead_update(actor=self.actor, profile=profile, values=lead_values, source=Source.IMPORT)
        return UPDATED if changes or outcome == UPDATED else UNCHANGED


FRONTLINE_IMPORTERS = {
    importer.kind: importer for importer in (TripsImporter, ReceptionsImporter, LeadsImporter, FollowUpsImporter)
}
