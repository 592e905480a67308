"""The bulletin's words, in the register of the speech's first paragraph, every number from a snapshot.

It never prints "XX", "None" or a division by zero: an absent figure or target is worded as absent. Amounts
in 万元 are shown in 亿元 with two decimals, 万美元 as they are, percentages with one decimal, all rounded
half-up once, here."""

from decimal import Decimal

from zhaoshang.bulletins.frontline import frontline_paragraph
from zhaoshang.core.formats import chinese_number, format_percent, format_yi, points
from zhaoshang.core.money import CENT, WAN_PER_YI, round_half_up
from zhaoshang.core.periods import parse_month
from zhaoshang.core.wording import area_words, growth_words, schedule_words


def period_words(month: int) -> str:
    """一季度, 上半年, 前三季度, 全年 where the period ends a quarter; otherwise 1-M月 (and 1月份)."""
    return {1: "1月份", 3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}.get(month, f"1-{month}月")


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def usd(value) -> str:
    """Foreign money as a 通报 writes it: 3.54亿美元 from 1亿美元 up, below that 5437万美元 (no thousands
    separator, no trailing zeros: 12.5万美元)."""
    amount = _d(value or 0)
    if amount >= WAN_PER_YI:
        return f"{round_half_up(amount / WAN_PER_YI, CENT)}亿美元"
    shown = round_half_up(amount, CENT)
    return f"{shown.normalize():f}万美元" if shown else "0万美元"


def share_of_target(indicator: dict, *, task: str = "全年目标任务") -> str:
    """'仅占全年目标任务的30.2%，低于序时进度12.3个百分点' when behind 序时, a positive wording otherwise; a target
    of 0 is a target (全年目标任务为0, no share); only no target at all is 尚未下达."""
    if indicator.get("target") is None:
        return f"{task}尚未下达"
    if indicator.get("completion_rate") is None:
        return f"{task}为0"
    gap = indicator["schedule_gap_pp"]
    behind = points(gap) < 0
    return f"{'仅' if behind else ''}占{task}的{format_percent(indicator['completion_rate'])}，{schedule_words(gap)}"


ECONOMY_SENTENCES = {
    # code: (how the amount is introduced, how the rank is introduced)
    "fiscal_revenue": ("完成财政收入", "增幅位居全市第"),
    "local_fiscal_revenue": ("其中地方财政收入", "位居全市第"),
    "fixed_asset_investment": ("固定资产投资", "位居全市第"),
    "industrial_sales_value": ("规上工业企业实现销售产值", "位列全市第"),
    "industrial_added_value": ("实现工业增加值", "居全市第"),
    "industrial_fai": ("工业固定资产投资完成", "居全市第"),
    "tech_renovation_investment": ("技改投资完成", "居全市第"),
}


def _economy_clause(row: dict) -> str:
    lead, rank_words = ECONOMY_SENTENCES[row["code"]]
    if row.get("cumulative") is None:
        return f"{lead.replace('完成', '').replace('实现', '').replace('其中', '')}本期尚未报送"
    clause = f"{lead}{format_yi(row['cumulative'])}，{growth_words(row['growth_pct'])}"
    if row.get("rank"):
        clause += f"，{rank_words}{chinese_number(int(row['rank']))}"  # 位居全市第一
    return clause


def economy_paragraph(snapshot: dict, period: str) -> str:
    rows = {row["code"]: row for row in snapshot.get("economy", [])}
    if not any(row.get("cumulative") is not None for row in rows.values()):
        # The statistics bureau reports counties and cities; a town's bulletin simply has no such paragraph.
        return f"{period}主要经济指标尚未报送。" if snapshot.get("unit_kind") in ("县区", "市") else ""
    overall = "；".join(
        _economy_clause(rows[c])
        for c in ("fiscal_revenue", "local_fiscal_revenue", "fixed_asset_investment")
        if c in rows
    )
    industry = "；".join(
        _economy_clause(rows[c])
        for c in ("industrial_sales_value", "industrial_added_value", "industrial_fai", "tech_renovation_investment")
        if c in rows
    )
    area = area_words(snapshot.get("unit_kind", ""), snapshot.get("unit", ""))
    return f"从{period}主要经济指标来看，{area}{overall}。从工业经济运行来看：{industry}。"


def _count(value) -> str:
    return f"{int(value or 0)}个"


DOMESTIC_TARGETS = (("domestic_signed_count", "签约内资项目"), ("domestic_contract_wan", "内资协议资金"))


def domestic_shares(ind: dict) -> str:
    """The share of the year's target, as the speech gives it, for 实际到位内资. When that one has no target but
    签约内资项目 or 内资协议资金 has, their shares are given by name, and the missing one is named: a bare
    全年目标任务尚未下达 read as if no target had been issued at all."""
    arrived = ind["domestic_arrived_wan"]
    others = [(name, ind[code]) for code, name in DOMESTIC_TARGETS if ind[code].get("target") is not None]
    if arrived.get("target") is not None or not others:
        return share_of_target(arrived, task="全年实际到位内资目标任务")
    shares = "，".join(f"{name}{share_of_target(i)}" for name, i in others)
    return f"{shares}，实际到位内资全年目标任务尚未下达"


def investment_paragraph(snapshot: dict, period: str, month: int, area: str) -> str:
    ind = snapshot["indicators"]
    ytd = lambda code: ind[code]["ytd"]  # noqa: E731
    text = (
        f"{period}，{area}共签约内资项目{_count(ytd('domestic_signed_count'))}，"
        f"协议资金{format_yi(ytd('domestic_contract_wan'))}，实际到位内资{format_yi(ytd('domestic_arrived_wan'))}，"
        f"{domestic_shares(ind)}；"
        f"亿元以上项目{_count(ytd('major_signed_count'))}，"
        f"{share_of_target(ind['major_signed_count'], task='全年亿元以上项目目标任务')}"
    )
    started = ind["major_started_count"]["ytd"]
    if ytd("major_signed_count"):
        text += f"，其中已开工{_count(started)}"
    text += (
        f"；外资项目{_count(ytd('foreign_signed_count'))}，协议资金{usd(ytd('foreign_contract_usd_wan'))}，"
        f"实际到位外资{usd(ytd('foreign_arrived_usd_wan'))}。"
    )
    if month > 1:
        this = lambda code: ind[code]["month"]  # noqa: E731
        foreign = f"外资项目{_count(this('foreign_signed_count'))}"
        if this("foreign_signed_count"):
            foreign += f"，协议资金{usd(this('foreign_contract_usd_wan'))}"
        text += (
            f"{month}月份，共签约内资项目{_count(this('domestic_signed_count'))}，"
            f"协议资金{format_yi(this('domestic_contract_wan'))}，"
            f"实际到位内资{format_yi(this('domestic_arrived_wan') or 0)}；{foreign}，"
            f"实际到位外资{usd(this('foreign_arrived_usd_wan'))}。其中，亿元以上项目"
            f"{_count(this('major_signed_count'))}。"
        )
    return text


def teams_paragraph(snapshot: dict, period: str, area: str) -> str:
    teams = snapshot["teams"]
    total, signed, idle = teams["total"], teams["with_signing"], teams["without_progress"]
    if not total:
        return ""  # teams belong to the county; a town's bulletin has none to report
    if snapshot.get("unit_kind") in ("招商小分队", "驻外联络处"):  # its own bulletin: itself, not "1个招商小分队"
        if signed:
            return f"{period}，{area}有新签约项目。"
        return f"{period}，{area}无新签约项目，{'未有' if idle else '有'}实质性进展。"
    every = "均" if total > 1 else ""
    if signed == total:
        head = f"{period}，{area}{total}个招商小分队{every}有新签约项目"
    elif signed == 0:
        head = f"{period}，{area}{total}个招商小分队{every}无新签约项目"
    else:
        head = f"{period}，{area}{total}个招商小分队中，仅有{signed}个小分队有新签约项目"
    tail = f"，{idle}个小分队未有实质性进展。" if idle else "，各小分队均有实质性进展。"
    return head + tail


def key_projects_paragraph(snapshot: dict, period: str) -> str:
    ind = snapshot["indicators"]["key_done_wan"]
    if ind.get("target") is None:
        done = ind.get("ytd")
        return (
            f"{period}，重点项目完成投资{format_yi(done)}，年度计划投资尚未填报。"
            if done
            else f"{period}，重点项目年度计划投资和完成投资尚未填报。"
        )
    text = f"{period}，重点项目完成投资{format_yi(ind['ytd'])}，{share_of_target(ind, task='年度计划投资')}"
    parts = []
    for level in snapshot["groups"]["key_project_levels"]:
        if level.get("completion") is None:
            continue
        parts.append(
            f"{level['level']}项目完成投资{format_yi(level['done'])}，"
            f"占其年度计划投资的{format_percent(level['completion'])}，"
            f"{schedule_words(level['gap'])}"
        )
    if parts:
        text += "。其中，" + "；".join(parts)
    return text + "。"


def changes_paragraph(snapshot: dict, previous: dict | None) -> str:
    """What changed since the previous issued bulletin of the same year, e.g. '较上期新增签约项目3个'."""
    if not previous or previous["period"][:4] != snapshot["period"][:4]:
        return ""
    now, before = snapshot["indicators"], previous["indicators"]
    signed = int(now["domestic_signed_count"]["ytd"] or 0) - int(before["domestic_signed_count"]["ytd"] or 0)
    signed += int(now["foreign_signed_count"]["ytd"] or 0) - int(before["foreign_signed_count"]["ytd"] or 0)
    arrived = _d(now["domestic_arrived_wan"]["ytd"] or 0) - _d(before["domestic_arrived_wan"]["ytd"] or 0)
    major = int(now["major_signed_count"]["ytd"] or 0) - int(before["major_signed_count"]["ytd"] or 0)
    month = parse_month(previous["period"])
    return (
        f"较上期（{month.year}年{month.month}月）通报，新增签约项目{signed}个，其中亿元以上项目{major}个，"
        f"新增实际到位内资{format_yi(arrived)}。"
    )


def bulletin_text(snapshot: dict, previous: dict | None = None) -> str:
    month = parse_month(snapshot["period"])
    period = period_words(month.month)
    area = area_words(snapshot.get("unit_kind", ""), snapshot["unit"])
    paragraphs = [
        economy_paragraph(snapshot, period),
        investment_paragraph(snapshot, period, month.month, area),
        teams_paragraph(snapshot, period, area),
        frontline_paragraph(snapshot, period, area),
        key_projects_paragraph(snapshot, period),
        changes_paragraph(snapshot, previous),
    ]
    return "\n".join(p for p in paragraphs if p)
