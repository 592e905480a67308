"""Undoing a whole import, while nothing later has touched its rows.

Every audit entry written during an import carries the import's id, with each row's value before and after.
Undo reads those entries back, checks that every row still holds exactly what the import wrote (otherwise
someone has touched it since, and the undo is refused, naming the row), and puts the earlier values back
through the same services the pages use: closed months still refuse, and every restored row is audited.
All or nothing, in one transaction.

What cannot be undone this way is refused up front: a stage change (the stage history only moves forward), a
new project (a project is never deleted), and the 单位 sheet (units are the system admin's, changed in its
own pages)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry, Source
from zhaoshang.audit.services import record
from zhaoshang.chains.models import Chain
from zhaoshang.core.errors import Refused, refusal_text
from zhaoshang.core.periods import parse_month
from zhaoshang.org.models import Unit
from zhaoshang.org.ownership import manages
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.economy import ECONOMIC_BY_NAME, region_unit
from zhaoshang.progress.models import EconomicFigure, Target
from zhaoshang.projects import figures
from zhaoshang.projects import services as project_services
from zhaoshang.projects.indicators import BY_NAME
from zhaoshang.projects.locks import lock_projects
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project
from zhaoshang.sheets import frontline_undo
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.monthly_write import Change, write_changes

MONTHLY_KINDS = {"funds": (MonthlyFunds, "funds.set"), "investment": (MonthlyInvestment, "investment.set")}


class UndoRefused(Refused):
    """The import cannot be undone; the message says why."""


_NOT_UNDOABLE = {
    "project.created": "导入新建了项目，项目不能删除",
    "project.stage_changed": "导入变更了项目阶段，阶段历史只能向前",
    "unit.created": "单位表的导入不能撤销，请在系统管理中修改单位",
    "unit.updated": "单位表的导入不能撤销，请在系统管理中修改单位",
    "group.created": "单位表的导入不能撤销，请在系统管理中修改考核组",
    **frontline_undo.NOT_UNDOABLE,
    **{
        action: "产业链表的导入不能撤销，请在产业链管理页面修改"
        for action in ("chain.created", "chain.updated", "chain.link_created", "chain.link_updated")
    },
    "enterprise.created": "导入新增了目标企业，请在目标企业库中修改或删除",
    "enterprise.updated": "导入修改了目标企业，请在目标企业库中修改",
    "carrier.created": "载体表的导入不能撤销，请在载体页面修改或删除",
    "carrier.updated": "载体表的导入不能撤销，请在载体页面修改",
}

# Entries written as a consequence of another one of the same row, and put back with it: a corrected stage history
# follows its project.updated (projects.services.project_update moves it back when the dates are restored).
_FOLLOWING = {"project.stage_history_corrected"}


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def import_entries(log: ImportLog):
    return (
        AuditEntry.objects.filter(source=Source.IMPORT, created_at__gte=log.created_at, data__import=log.pk)
        .exclude(action="import.committed")
        .order_by("-pk")
    )


def undo_blockers(log: ImportLog, actor=None) -> list[str]:
    """Why this import cannot be undone now, by this actor (empty: it can). The actor must still be allowed to
    write every row: a project handed to another unit since the import is no longer its to change."""
    if log.undone_at:
        return [f"已于 {timezone.localtime(log.undone_at):%Y-%m-%d %H:%M} 撤销"]
    if log.kind in MONTHLY_KINDS:
        return MonthlyUndo(log, actor).blockers
    if log.kind == "accounts":
        return ["账号表的导入不能撤销（账号不删除），请在系统管理中停用账号"]
    problems, gone = [], 0
    for entry in import_entries(log):
        never = _NOT_UNDOABLE.get(entry.action)
        # the 单位, 产业链 and 载体 sheets' rows are no project's
        business = not entry.action.startswith(("unit.", "group.", "chain.", "carrier."))
        if business and _out_of_reach(entry, actor):
            gone += 1  # named nowhere: what left the user's reach is no longer its to see
            continue
        reason = never or _touched(entry)
        if reason:
            problems.append(f"{entry.target_repr}：{reason}")
    return _with_gone(problems, gone)


def _with_gone(problems: list[str], gone: int) -> list[str]:
    if gone:
        problems.append(f"有 {gone} 行数据已不在您的填报范围内（例如项目已移交其他单位）")
    return problems


class MonthlyUndo:
    """Undo of a 到位资金 or 完成投资 import, set-based like the import itself: one query for the rows as they
    stand, one for the projects' units, then monthly_write puts every earlier value back (and audits each) with a
    few statements. Row by row through the page's service, 5,000 rows took 39 s; 100,000 would outlast any page."""

    def __init__(self, log: ImportLog, actor):
        self.model, self.action = MONTHLY_KINDS[log.kind]
        self.actor = actor
        months: dict = {}
        self.entries = []  # (project id, project text, month, amount before the import, amount it wrote)
        for target_id, target_repr, data in (
            import_entries(log).filter(action=self.action).values_list("target_id", "target_repr", "data")
        ):
            text = data["month"]
            month = months.get(text) or months.setdefault(text, parse_month(text))
            self.entries.append((int(target_id), target_repr, month, data["amount"][0], data["amount"][1]))
        ids = {e[0] for e in self.entries}
        lock_projects(ids)  # the rows read below stay as read until the undo is written (projects.locks)
        self.units = dict(Project.objects.filter(pk__in=ids).values_list("pk", "responsible_unit_id"))
        current = self.model.objects.filter(project_id__in=ids, month__in=set(months.values()))
        self.current = {
            (p, m): (pk, amount) for pk, p, m, amount in current.values_list("pk", "project_id", "month", "amount")
        }

    @property
    def blockers(self) -> list[str]:
        editable = None if self.actor is None else set(editable_unit_ids(self.actor))
        problems, gone = [], 0
        for project_id, text, month, _, written in self.entries:
            if editable is not None and self.units.get(project_id) not in editable:
                gone += 1
                continue
            now = self.current.get((project_id, month), (None, None))[1]
            if now != _amount(written):
                problems.append(f"{text}：导入后已被修改（现为 {now if now is not None else '空'}）")
        return _with_gone(problems, gone)

    def apply(self, *, source: str) -> int:
        changes = [
            Change(
                project_id,
                self.units[project_id],
                month,
                None if before is None else int(Decimal(before) * 100),
                self.current[(project_id, month)][0],
                written,
            )
            for project_id, _, month, before, written in self.entries
        ]
        write_changes(self.model, self.action, changes, actor=self.actor, source=source)
        return len(changes)


@transaction.atomic
def import_undo(*, actor, log: ImportLog, source: str = Source.PAGE) -> int:
    """Put back what the import changed; returns how many rows were restored."""
    log = ImportLog.objects.select_for_update().get(pk=log.pk)
    monthly = MonthlyUndo(log, actor) if log.kind in MONTHLY_KINDS and not log.undone_at else None
    blockers = monthly.blockers if monthly else undo_blockers(log, actor)
    if blockers:
        raise UndoRefused("不能撤销：" + "；".join(blockers[:10]) + ("等" if len(blockers) > 10 else ""))
    restored = 0
    try:
        if monthly:
            restored = monthly.apply(source=source)
        else:
            for entry in import_entries(log):
                if entry.action in _FOLLOWING:
                    continue
                _restore(entry, actor=actor, source=source)
                restored += 1
    except ValidationError as exc:  # a closed month (MonthClosed) among them
        raise UndoRefused(f"不能撤销：{refusal_text(exc)}") from None
    log.undone_at = timezone.now()
    log.undone_by = actor if getattr(actor, "pk", None) else None
    log.save(update_fields=["undone_at", "undone_by"])
    record(actor, action="import.undone", target=log, source=source, data={"file": log.file_name, "rows": restored})
    return restored


# --- Per action: is the row still as the import left it, and how to put it back -------------------------------------


def _out_of_reach(entry: AuditEntry, actor) -> str | None:
    if actor is None:  # a command without --user acts with full rights
        return None
    if frontline_undo.handles(entry.action):
        return frontline_undo.out_of_reach(entry, actor)
    if entry.action == "economy.set":
        return None if manages(actor, region_unit(entry.data.get("region", ""))) else "经济指标不在您的管理范围内"
    if entry.action == "target.set":
        unit_id = Target.objects.filter(pk=entry.target_id).values_list("unit_id", flat=True).first()
        allowed = is_bureau_admin(actor) and unit_id in editable_unit_ids(actor)
    else:
        unit_id = Project.objects.filter(pk=entry.target_id).values_list("responsible_unit_id", flat=True).first()
        allowed = unit_id in editable_unit_ids(actor)
    return None if allowed else "已不在您的填报范围内"


def _touched(entry: AuditEntry) -> str | None:
    current, written = _current(entry), _written(entry)
    if current != written:
        return f"导入后已被修改（现为 {current if current is not None else '空'}）"
    return None


def _written(entry: AuditEntry):
    data = entry.data
    if frontline_undo.handles(entry.action):
        return frontline_undo.written(entry)
    if entry.action in ("funds.set", "investment.set", "plan.set"):
        return _amount(data["amount"][1])
    if entry.action == "target.set":
        return _amount(data["value"][1])
    if entry.action == "economy.set":
        return (_amount(data["cumulative"][1]), _amount(data["growth_pct"][1]))
    if entry.action == "project.updated":
        return {field: pair[1] for field, pair in data.items() if isinstance(pair, list)}
    return None


def _current(entry: AuditEntry):
    data = entry.data
    if frontline_undo.handles(entry.action):
        return frontline_undo.current(entry)
    if entry.action in ("funds.set", "investment.set"):
        model = MonthlyFunds if entry.action == "funds.set" else MonthlyInvestment
        month = parse_month(data["month"])
        return model.objects.filter(project_id=entry.target_id, month=month).values_list("amount", flat=True).first()
    if entry.action == "plan.set":
        rows = AnnualPlan.objects.filter(project_id=entry.target_id, year=data["year"])
        return rows.values_list("amount", flat=True).first()
    if entry.action == "target.set":
        return Target.objects.filter(pk=entry.target_id).values_list("value", flat=True).first()
    if entry.action == "economy.set":
        row = EconomicFigure.objects.filter(
            region=data["region"], month=parse_month(data["month"]), indicator=ECONOMIC_BY_NAME[data["indicator"]]
        ).first()
        return (row.cumulative, row.growth_pct) if row else None
    if entry.action == "project.updated":
        project = Project.objects.select_related("responsible_unit", "team").get(pk=entry.target_id)
        snapshot = project_services.project_snapshot(project)
        fields = [f for f, pair in data.items() if isinstance(pair, list)]
        return {f: _json(snapshot.get(f)) for f in fields}
    return None


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _restore(entry: AuditEntry, *, actor, source: str) -> None:
    data = entry.data
    if frontline_undo.handles(entry.action):
        frontline_undo.restore(entry, actor=actor, source=source)
        return
    if entry.action in ("funds.set", "investment.set"):
        project = Project.objects.select_related("responsible_unit").get(pk=entry.target_id)
        setter = figures.monthly_funds_set if entry.action == "funds.set" else figures.monthly_investment_set
        setter(
            actor=actor,
            project=project,
            month=parse_month(data["month"]),
            amount=_amount(data["amount"][0]),
            source=source,
        )
    elif entry.action == "plan.set":
        project = Project.objects.select_related("responsible_unit").get(pk=entry.target_id)
        figures.annual_plan_set(
            actor=actor, project=project, year=data["year"], amount=_amount(data["amount"][0]), source=source
        )
    elif entry.action == "target.set":
        target = Target.objects.select_related("unit").get(pk=entry.target_id)
        progress_services.targets_save(
            actor=actor,
            year=target.year,
            cells={(target.unit, BY_NAME[data["indicator"]].code): _amount(data["value"][0])},
            source=source,
        )
    elif entry.action == "economy.set":
        where = {
            "region": data["region"],
            "month": parse_month(data["month"]),
            "indicator": ECONOMIC_BY_NAME[data["indicator"]],
        }
        if data["cumulative"][0] is None:
            progress_services.economic_figure_clear(actor=actor, source=source, **where)
        else:
            progress_services.economic_figure_set(
                actor=actor,
                cumulative=_amount(data["cumulative"][0]),
                growth_pct=_amount(data["growth_pct"][0]),
                source=source,
                **where,
            )
    elif entry.action == "project.updated":
        project = Project.objects.select_related("responsible_unit", "chain").get(pk=entry.target_id)
        values = {f: _field_value(f, pair[0]) for f, pair in data.items() if isinstance(pair, list)}
        values.update(_chain_values(project, data))
        project_services.project_update(actor=actor, project=project, values=values, source=source)


def _chain_values(project: Project, data: dict) -> dict:
    """The chain and link a project had, from their audited names: the chain of that name the project's unit
    reads (the nearest owner above it), the link of that name in it."""
    values = {}
    chain = project.chain
    if isinstance(data.get("chain"), list):
        name = data["chain"][0]
        owners = ancestor_ids(project.responsible_unit.path)
        chain = Chain.objects.filter(owner_id__in=owners, name=name).order_by("-owner__path").first() if name else None
        values["chain"] = chain
    if isinstance(data.get("chain_link"), list):
        name = data["chain_link"][0]
        values["chain_link"] = chain.links.filter(name=name).first() if chain and name else None
    return values


def _field_value(field: str, text):
    """A ledger field's value from its audited text form."""
    if text is None:
        return None
    if field in ("responsible_unit", "team"):
        return Unit.objects.get(name=text)
    if field in ("signed_on", "started_on", "production_on"):
        return date.fromisoformat(text)
    if field in ("contract_amount", "planned_total"):
        return Decimal(text)
    return text
