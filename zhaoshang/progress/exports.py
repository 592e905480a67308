"""What the progress pages export (the dashboard's ranking, an indicator's drill-down, a campaign, the economy),
as (headers, rows) for core.files' xlsx writer. Figures stay numbers in the unit they are kept in (the header names
it); percentages are numbers rounded half-up to one decimal; the lights and lists are words."""

from decimal import Decimal

from zhaoshang.core.formats import light_label, percent, points
from zhaoshang.core.money import CENT, round_half_up
from zhaoshang.core.periods import format_month
from zhaoshang.progress.chains import FIGURES
from zhaoshang.projects.indicators import BY_CODE


def _figure(value, indicator):
    """A count as a whole number (a count's target is kept as a Decimal, 140.00: the sheet shows 140); an amount
    as it is kept, to the cent."""
    if isinstance(value, Decimal) and not indicator.is_amount and value == value.to_integral_value():
        return int(value)
    return value


def _progress_headers(indicator, month) -> list[str]:
    """The columns of a unit's progress on one indicator, in the unit the indicator is kept in."""
    unit = indicator.unit
    return [
        f"本月({unit})",
        f"1-{month.month}月累计({unit})",
        f"年度目标({unit})",
        "完成率(%)",
        "与序时进度差(个百分点)",
        "进度",
    ]


def _progress_cells(p, indicator) -> list:
    """A unit's progress in the columns of `_progress_headers`."""
    return [
        _figure(p.month, indicator),
        _figure(p.ytd, indicator),
        _figure(p.target, indicator),
        percent(p.completion),
        points(p.gap),
        light_label(p.light, none=""),
    ]


def ranking_table(rankings, indicator, month):
    headers = ["考核组", "位次", "单位", *_progress_headers(indicator, month), "红黑榜"]
    rows = []
    for group in rankings:
        for row in group.rows:
            listed = "红榜" if row.red else "黑榜" if row.black else ""
            rows.append([group.group.name, row.rank, row.unit.name, *_progress_cells(row.progress, indicator), listed])
    return headers, rows


def _pace_headers(indicator, month) -> list[str]:
    """冲刺's columns (progress/pace.py), for an indicator with targets: in the unit it is kept in, 月均 rounded up."""
    if not indicator.has_target:
        return []
    unit = indicator.unit
    half = [f"双过半还需({unit})"] if month.month < 6 else []
    return [f"全年还需({unit})", f"月均({unit})", *half]


def _pace_cells(pace, indicator, month) -> list:
    width = len(_pace_headers(indicator, month))
    if pace is None:
        return [None] * width
    cells = [_figure(pace.year.amount, indicator), _figure(pace.year.per_month, indicator)]
    if pace.half is not None:
        cells.append(_figure(pace.half.amount, indicator))
    return cells + [None] * (width - len(cells))


def indicator_table(rows, indicator, month):
    headers = ["单位", "层级", *_progress_headers(indicator, month), *_pace_headers(indicator, month)]
    body = [
        [
            row["unit"].name,
            row["depth"],
            *_progress_cells(row["progress"], indicator),
            *_pace_cells(row.get("pace"), indicator, month),
        ]
        for row in rows
    ]
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
            indicator = BY_CODE[code]
            values += [
                _figure(cell["value"], indicator),
                _figure(cell["target"], indicator),
                percent(cell["completion"]),
                light_label(cell["light"], none=""),
            ]
        rows.append(values)
    return headers, rows


def economy_rows(figures, names: dict):
    """In the 经济指标 template's columns, so the export re-imports unchanged."""
    headers = ["地区", "月份", "指标", "累计值", "同比增长(%)"]
    rows = [[f.region, format_month(f.month), names[f.indicator], f.cumulative, f.growth_pct] for f in figures]
    return headers, rows


def _shown(value, figure):
    """A chain's figure in the unit it is shown in: counts whole, 万元 as 亿元 to the cent."""
    if value is None:
        return None
    if figure.divisor == 1:
        return int(value) if figure.unit == "个" else value
    return round_half_up(Decimal(value) / figure.divisor, CENT)


def chain_table(report):
    """A row per chain and figure (progress/chains.py): value and target in the unit shown, the rate, the gap,
    the light, the rank among the owner's chains, and why there is no rate."""
    headers = [
        "所属单位",
        "产业链",
        "指标",
        "完成值",
        "目标",
        "完成率(%)",
        "较序时进度(个百分点)",
        "进度",
        "位次",
        "说明",
    ]
    rows = []
    for row in report.rows:
        for figure in FIGURES:
            p = row.figures[figure.code]
            rows.append(
                [
                    row.chain.owner.name,
                    row.chain.name,
                    figure.header,
                    _shown(p.value, figure),
                    _shown(p.target, figure),
                    percent(p.completion),
                    points(p.gap),
                    light_label(p.light, none=""),
                    p.rank,
                    p.flag,
                ]
            )
    return headers, rows
