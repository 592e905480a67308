"""The bulletin's tables, described once and drawn by both the docx and the xlsx writers."""

from decimal import Decimal

from zhaoshang.bulletins.chains import chain_tables
from zhaoshang.bulletins.columns import LIGHT
from zhaoshang.bulletins.columns import chosen as annex_columns
from zhaoshang.bulletins.frontline import frontline_table
from zhaoshang.bulletins.office import LIST_LIMIT
from zhaoshang.core.formats import format_percent, percent, points, wan_to_yi
from zhaoshang.core.gongwen import Row, TableSpec
from zhaoshang.core.money import CENT, format_amount, round_half_up


def _d(value):
    return None if value is None else Decimal(str(value))


# (text shown, spreadsheet value): the value is the figure as shown, rounded half-up once, so a workbook holds what
# the page and the Word file show (4.08亿元, 45.7%, -12.3个百分点), never the unrounded 4.0795.
def yi_cell(value):
    value = _d(value)
    if value is None:
        return ("—", None)
    rounded = round_half_up(wan_to_yi(value), CENT)
    return (format_amount(rounded), rounded)


def percent_cell(value):
    return (format_percent(value), percent(value)) if value is not None else ("—", None)


def points_cell(value):
    value = _d(value)
    return (f"{points(value)}", points(value)) if value is not None else ("—", None)


def paired_row(cells: list[tuple], light: str | None = None) -> Row:
    """A row of (as shown, as kept) pairs: the text the docx and the page show, the value the xlsx keeps."""
    return Row([shown for shown, _ in cells], [kept for _, kept in cells], light)


def amount_cell(value):
    value = _d(value)
    return (format_amount(value), round_half_up(value, CENT)) if value is not None else ("—", None)


UNASSESSED = "不参与考核的单位"


def ranking_tables(snapshot: dict, columns: list[str] | None = None) -> list[TableSpec]:
    """One table per assessment group, ranked by 实际到位内资's completion, with the `columns` chosen from the
    registry (bulletins/columns.py; its default set when None); the units not assessed follow in a table of
    their own, unranked and unlit."""
    chosen = annex_columns(columns)
    rank_code = snapshot.get("rank_indicator", "domestic_arrived_wan")
    light_at = next((i + 2 for i, c in enumerate(chosen) if c.format == LIGHT), None)
    numeric = {0} | {i + 2 for i, c in enumerate(chosen) if c.format != LIGHT}
    groups: dict[str, TableSpec] = {}
    for unit in snapshot["units"]:
        group = unit["group"]
        spec = groups.get(group)
        if spec is None:
            title = f"{group}排名（按实际到位内资完成率）" if group else UNASSESSED
            spec = groups[group] = TableSpec(
                title=title,
                headers=["位次", "单位", *(c.header for c in chosen)],
                numeric=numeric,
                light_column=light_at,
                wide={0: 10, 1: 34},
            )
        cells = [
            (str(unit["rank"]) if unit["rank"] else "—", unit["rank"]),
            (unit["name"] + ("（红榜）" if unit["red"] else "（黑榜）" if unit["black"] else ""), unit["name"]),
            *(column.cell(unit, rank_code) for column in chosen),
        ]
        spec.rows.append(paired_row(cells, unit["light"]))
    # The units not assessed last, whatever order the snapshot gives them in.
    return sorted(groups.values(), key=lambda spec: spec.title == UNASSESSED)


def lists_table(snapshot: dict) -> TableSpec:
    spec = TableSpec(title="红黑榜", headers=["考核组", "红榜", "黑榜"], wide={0: 30, 1: 63, 2: 63})
    by_group: dict = {}
    for unit in snapshot["units"]:
        if unit["group"] is None:
            continue  # not assessed: on no list
        entry = by_group.setdefault(unit["group"], ([], []))
        if unit["red"]:
            entry[0].append(unit["name"])
        if unit["black"]:
            entry[1].append(unit["name"])
    for group, (red, black) in by_group.items():
        values = [group, "、".join(red) or "无", "、".join(black) or "无"]
        spec.rows.append(Row(values, values))
    return spec


BEHIND_MORE = "另有{rest}个进度滞后的重点项目，详见附表（Excel）"


def list_limit(snapshot: dict) -> int:
    """The N a snapshot's lists were cut to (one issued before the lists were cut holds them whole)."""
    return int(snapshot.get("list_limit") or LIST_LIMIT)


def behind_table(snapshot: dict, *, whole: bool = False) -> TableSpec:
    """The key projects behind plan: the worst N with the count of the rest (the page and the Word file), or with
    `whole` every row the snapshot holds (the Excel 附表, given the full list)."""
    rows = snapshot.get("key_projects_behind", [])
    total = snapshot.get("key_projects_behind_total", len(rows))
    if not whole:
        rows = rows[: list_limit(snapshot)]
    spec = TableSpec(
        total=None if whole else total,
        more=BEHIND_MORE,
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
    for row in rows:
        cells = [
            (row["code"], row["code"]),
            (row["name"], row["name"]),
            (row["unit"], row["unit"]),
            (row["level"], row["level"]),
            (row["leader"] or "—", row["leader"]),
            amount_cell(row["plan"]),
            amount_cell(row["done"]),
            percent_cell(row["completion_rate"]),
            points_cell(row["schedule_gap_pp"]),
        ]
        spec.rows.append(paired_row(cells, row["light"]))
    return spec


def bulletin_tables(snapshot: dict, columns: list[str] | None = None, *, whole: bool = False) -> list[TableSpec]:
    """The annex: each group's ranking with the `columns` chosen (bulletins/columns.py), the red and black lists,
    the key projects behind their plan (the worst N, or with `whole` all the snapshot holds), the front line per
    unit (bulletins/frontline.py), and the chain and carrier tables where `columns` picks them (bulletins/chains.py)."""
    return (
        ranking_tables(snapshot, columns)
        + [lists_table(snapshot), behind_table(snapshot, whole=whole)]
        + frontline_table(snapshot)
        + chain_tables(snapshot, columns, whole=whole)
    )
