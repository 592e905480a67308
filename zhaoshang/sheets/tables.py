"""What the list and ranking pages show, as (headers, rows) for the one xlsx writer. Figures stay numbers in the
unit they are kept in (the header names it); percentages are numbers rounded half-up to one decimal; the lights
and lists are words. A page answers `?format=xlsx` with `export_response(...)`."""

from decimal import Decimal

from django.utils import timezone

from zhaoshang.audit.actions import ACTION_LABELS, field_label
from zhaoshang.core.money import TENTH, round_half_up
from zhaoshang.core.periods import format_month
from zhaoshang.sheets.exports import write_xlsx
from zhaoshang.sheets.http import XLSX, download

LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: ""}


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def export_response(headers, rows, *, title: str):
    return download(write_xlsx(headers, rows, sheet_name=title[:31]), f"{title}.xlsx", XLSX)


def pct(rate: Decimal | None) -> Decimal | None:
    """A rate (0.456) as the percentage the page shows (45.6)."""
    return None if rate is None else round_half_up(rate * 100, TENTH)


def points(gap: Decimal | None) -> Decimal | None:
    return None if gap is None else round_half_up(gap * 100, TENTH)


def ranking_table(rankings, indicator, month):
    unit = indicator.unit
    headers = [
        "考核组",
        "位次",
        "单位",
        f"本月({unit})",
        f"1-{month.month}月累计({unit})",
        f"年度目标({unit})",
        "完成率(%)",
        "与序时进度差(个百分点)",
        "进度",
        "红黑榜",
    ]
    rows = []
    for group in rankings:
        for row in group.rows:
            p = row.progress
            listed = "红榜" if row.red else "黑榜" if row.black else ""
            rows.append(
                [
                    group.group.name,
                    row.rank,
                    row.unit.name,
                    p.month,
                    p.ytd,
                    p.target,
                    pct(p.completion),
                    points(p.gap),
                    LIGHTS.get(p.light, ""),
                    listed,
                ]
            )
    return headers, rows


def indicator_table(rows, indicator, month):
    unit = indicator.unit
    headers = [
        "单位",
        "层级",
        f"本月({unit})",
        f"1-{month.month}月累计({unit})",
        f"年度目标({unit})",
        "完成率(%)",
        "与序时进度差(个百分点)",
        "进度",
    ]
    body = []
    for row in rows:
        p = row["progress"]
        body.append(
            [
                row["unit"].name,
                row["depth"],
                p.month,
                p.ytd,
                p.target,
                pct(p.completion),
                points(p.gap),
                LIGHTS.get(p.light, ""),
            ]
        )
    return headers, body


def campaign_table(progress, indicator_names: dict):
    headers = ["位次", "单位", "考核组"]
    for code in progress.codes:
        name = indicator_names[code]
        headers += [f"{name}完成值", f"{name}目标", f"{name}完成率(%)", f"{name}进度"]
    rows = []
    for row in progress.rows:
        values = [row.rank, row.unit.name, row.unit.group.name if row.unit.group_id else ""]
        for code in progress.codes:
            cell = row.cells[code]
            values += [cell["value"], cell["target"], pct(cell["completion"]), LIGHTS.get(cell["light"], "")]
        rows.append(values)
    return headers, rows


def economy_rows(figures, names: dict):
    """In the 经济指标 template's columns, so the export re-imports unchanged."""
    headers = ["地区", "月份", "指标", "累计值", "同比增长(%)"]
    rows = [[f.region, format_month(f.month), names[f.indicator], f.cumulative, f.growth_pct] for f in figures]
    return headers, rows


AUDIT_HEADERS = ["时间", "操作人", "单位", "操作", "对象", "来源", "内容"]


def audit_rows(entries):
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            entry.unit.name if entry.unit_id else "",
            ACTION_LABELS.get(entry.action, entry.action),
            entry.target_repr,
            entry.get_source_display(),
            _data_text(entry.data),
        ]


def _data_text(data: dict) -> str:
    parts = []
    for key, value in (data or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("空" if v is None else v for v in value)
            parts.append(f"{field_label(key)}: {old} → {new}")
        else:
            parts.append(f"{field_label(key)}: {value}")
    return "；".join(parts)


def month_status_rows(rows):
    headers = ["单位", "单位类型", "上报状态", "上报人", "上报时间"]
    body = []
    for row in rows:
        report = row["report"]
        body.append(
            [
                row["unit"].name,
                row["unit"].kind,
                "已上报" if report else "未上报",
                report.confirmed_by.display_name if report and report.confirmed_by_id else "",
                timezone.localtime(report.confirmed_at).strftime("%Y-%m-%d %H:%M") if report else "",
            ]
        )
    return headers, body
