"""Running an import: read the file safely, check every row, and (unless a dry run) write all in one
transaction with an ImportLog and an audit entry for the import itself."""

from zhaoshang.audit.models import Source
from zhaoshang.audit.service import record
from zhaoshang.sheets.base import ImportResult
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.monthly_import import FUNDS, INVESTMENT, import_monthly
from zhaoshang.sheets.reader import read_sheet

KINDS = {
    "units": "单位",
    "projects": "项目台账",
    "funds": "到位资金",
    "plans": "年度投资计划",
    "investment": "完成投资",
    "targets": "目标任务",
    "indicators": "经济指标",
}
SUPPORTED = {"funds": FUNDS, "investment": INVESTMENT}


class KindNotSupported(Exception):
    pass


def run_import(
    kind: str, data: bytes, *, file_name: str, actor, dry_run: bool, source: str = Source.IMPORT
) -> ImportResult:
    if kind not in SUPPORTED:
        raise KindNotSupported(
            f"“{KINDS.get(kind, kind)}”表的导入尚未提供；目前可导入：" + "、".join(KINDS[k] for k in SUPPORTED)
        )
    sheet = read_sheet(data)

    def log_factory(result: ImportResult) -> ImportLog:
        log = ImportLog.objects.create(
            kind=kind,
            file_name=file_name[:255],
            file_sha256=sheet.sha256,
            actor=actor,
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
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
        return log

    return import_monthly(SUPPORTED[kind], sheet, actor=actor, dry_run=dry_run, log_factory=log_factory)
