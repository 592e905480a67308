"""Running an import: read the file safely, check every row, and (unless a dry run) write all in one
transaction with an ImportLog and an audit entry for the import itself."""

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.sheets.assessment_import import AssessmentInputsImporter
from zhaoshang.sheets.base import ImportResult
from zhaoshang.sheets.carrier_import import CarriersImporter
from zhaoshang.sheets.chain_imports import CHAIN_IMPORTERS
from zhaoshang.sheets.enterprise_imports import EnterprisesImporter
from zhaoshang.sheets.frontline_imports import FRONTLINE_IMPORTERS
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.monthly_import import FUNDS, INVESTMENT, import_monthly
from zhaoshang.sheets.reader import read_sheet
from zhaoshang.sheets.record_imports import RECORD_IMPORTERS
from zhaoshang.sheets.row_import import ImportNotAllowed, import_rows

KINDS = {
    "units": "单位",
    "projects": "项目台账",
    "funds": "到位资金",
    "plans": "年度投资计划",
    "investment": "完成投资",
    "targets": "目标任务",
    "indicators": "经济指标",
    "accounts": "账号",
    # 招商一线 (frontline_imports)
    "trips": "外出招商",
    "receptions": "接待客商",
    "leads": "招商线索",
    "followups": "跟进记录",
    # 产业链 (chain_imports)
    "chains": "产业链",
    # 产业链招商 (enterprise_imports)
    "enterprises": "目标企业",
    # 载体 (carrier_import)
    "carriers": "载体",
    # 考核方案的考核数据 (assessment_import)
    "assessment_inputs": "考核数据",
}
MONTHLY = {"funds": FUNDS, "investment": INVESTMENT}
IMPORTERS = {
    **RECORD_IMPORTERS,
    **FRONTLINE_IMPORTERS,
    **CHAIN_IMPORTERS,
    "enterprises": EnterprisesImporter,
    "carriers": CarriersImporter,
    "assessment_inputs": AssessmentInputsImporter,
}

__all__ = ["KINDS", "ImportNotAllowed", "kinds_for", "run_import"]


def _writes_units(actor) -> bool:
    return actor is None or bool(editable_unit_ids(actor))


def kinds_for(actor) -> list[str]:
    """The kinds of sheet this actor may import, in the templates' order."""
    allowed = []
    for kind in KINDS:
        importer = IMPORTERS.get(kind)
        if importer is None:
            if _writes_units(actor):  # the monthly sheets: any unit's writer
                allowed.append(kind)
        elif importer.refusal(actor) is None:
            allowed.append(kind)
    return allowed


def run_import(
    kind: str, data: bytes, *, file_name: str, actor, dry_run: bool, source: str = Source.IMPORT
) -> ImportResult:
    if kind not in KINDS:
        raise ImportNotAllowed(f"没有“{kind}”这种表格；可导入：" + "、".join(KINDS.values()))
    sheet = read_sheet(data)

    def log_start() -> ImportLog:
        return ImportLog.objects.create(kind=kind, file_name=file_name[:255], file_sha256=sheet.sha256, actor=actor)

    def log_finish(log: ImportLog, result: ImportResult) -> None:
        log.rows, log.created, log.updated, log.unchanged = (
            result.rows,
            result.created,
            result.updated,
            result.unchanged,
        )
        log.save(update_fields=["rows", "created", "updated", "unchanged"])
        record(
            actor,
            action="import.committed",
            target=log,
            source=source,
            data={
                "kind": KINDS[kind],
                "file": file_name,
                "sha256": sheet.sha256,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
            },
        )

    if kind in MONTHLY:
        if not _writes_units(actor):
            raise ImportNotAllowed("您的角色不能导入月度数据")
        return import_monthly(
            MONTHLY[kind], sheet, actor=actor, dry_run=dry_run, log_start=log_start, log_finish=log_finish
        )
    refusal = IMPORTERS[kind].refusal(actor)
    if refusal:  # before the importer loads the units and projects it would check rows against
        raise ImportNotAllowed(refusal)
    importer = IMPORTERS[kind](actor)
    importer.dry_run = dry_run
    result = import_rows(importer, sheet, dry_run=dry_run, log_start=log_start, log_finish=log_finish)
    result.warnings += getattr(importer, "warnings", [])  # the 招商线索 sheet's 首报首谈, told as on the page
    if result.log_id is not None:  # committed: the accounts created, with their generated passwords, handed over once
        result.issued = getattr(importer, "issued", [])
    return result
