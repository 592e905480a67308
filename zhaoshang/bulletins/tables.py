"""The bulletin's tables, described once and drawn by both the docx and the xlsx writers."""

from decimal import Decimal

from zhaoshang.core.formats import LIGHT_LABELS, format_percent, points, wan_to_yi
from zhaoshang.core.gongwen import Row, TableSpec
from zhaoshang.core.money import format_amount


def _d(value):
    return None if value is None else Decimal(str(value))


def _yi(value):
    value = _d(value)
    return (format_amount(wan_to_yi(value)), wan_to_yi(value)) if value is not None else ("—", None)


def _pct(value):
    return (format_percent(value), _d(value) * 100) if value is not None else ("—", None)


def _pp(value):
    value = _d(value)
    return (f"{points(value)}", value) if value is not None else ("—", None)


def _wan(value):
    value = _d(value)
    return format_amount(value), value


def paired_row(cells: list[tuple], light: str | None = None) -> Row:
    """A row of (as shown, as kept) pairs: the text the docx and the page show, the value the xlsx keeps."""
    return Row([shown for shown, _ in cells], [kept for _, kept in cells], light)


def ranking_tables(snapshot: dict) -> list[TableSpec]:
    groups: dict[str, TableSpec] = {}
    for unit in snapshot["units"]:
        spec = groups.get(unit["group"])
        if spec is None:
            spec = groups[unit["group"]] = TableSpec(
                title=f"{unit['group']}排名（按实际到位内资完成率）",
                headers=[
                    "位次",
                    "单位",
                    "签约内资项目(个)",
                    "内资协议资金(亿元)",
                    "实际到位内资(亿元)",
                    "全年目标(亿元)",
                    "完成率",
                    "较序时进度(百分点)",
                    "亮灯",
                ],
                numeric={0, 2, 3, 4, 5, 6, 7},
                light_column=8,
                wide={0: 10, 1: 34},
            )
        figures, targets = unit["figures"], unit["targets"]
        cells = [
            (str(unit["rank"]) if unit["rank"] else "—", unit["rank"]),
            (unit["name"] + ("（红榜）" if unit["red"] else "（黑榜）" if unit["black"] else ""), unit["name"]),
            (str(figures["domestic_signed_count"] or 0), figures["domestic_signed_count"] or 0),
            _yi(figures["domestic_contract_wan"]),
            _yi(figures["domestic_arrived_wan"]),
            _yi(targets["domestic_arrived_wan"]),
            _pct(unit["completion_rate"]),
            _pp(unit["schedule_gap_pp"]),
            (LIGHT_LABELS[unit["light"]], LIGHT_LABELS[unit["light"]]),
        ]
        spec.rows.append(paired_row(cells, unit["light"]))
    return list(groups.values())


def lists_table(snapshot: dict) -> TableSpec:
    spec = TableSpec(title="红黑榜", headers=["考核组", "红榜", "黑榜"], wide={0: 30, 1: 63, 2: 63})
    by_group: dict = {}
    for unit in snapshot["units"]:
        entry = by_group.setdefault(unit["group"], ([], []))
        if unit["red"]:
            entry[0].append(unit["name"])
        if unit["black"]:
            entry[1].append(unit["name"])
    for group, (red, black) in by_group.items():
        values = [group, "、".join(red) or "无", "、".join(black) or "无"]
        spec.rows.append(Row(values, values))
    return spec


def behind_table(snapshot: dict) -> TableSpec:
    spec = TableSpec(
        title="进度滞后的重点项目",
        empty="没有进度滞后的重点项目。",
        headers=[
            "项目编号",
            "项目名称",
            "责任单位",
            "级别",
            "包保领导",
            "年度计划(万元)",
            "完成投资(万元)",
            "完成率",
            "较序时进度(百分点)",
        ],
        numeric={5, 6, 7, 8},
        light_column=8,
        font_size=9,
        wide={0: 20, 1: 34, 2: 20, 3: 11, 4: 13, 5: 17, 6: 17, 7: 12, 8: 12},
    )
    for row in snapshot.get("key_projects_behind", []):
        cells = [
            (row["code"], row["code"]),
            (row["name"], row["name"]),
            (row["unit"], row["unit"]),
            (row["level"], row["level"]),
            (row["leader"] or "—", row["leader"]),
            _wan(row["plan"]),
            _wan(row["done"]),
            _pct(row["completion_rate"]),
            _pp(row["schedule_gap_pp"]),
        ]
        spec.rows.append(paired_row(cells, row["light"]))
    return spec


def bulletin_tables(snapshot: dict) -> list[TableSpec]:
    return ranking_tables(snapshot) + [lists_table(snapshot), behind_table(snapshot)]
