"""The bulletin's front line (招商一线), January..M: its part of the snapshot, the teams' paragraph in the speech's
register, and the annex table per unit.

The paragraph's numbers are the area's indicators (the snapshot's `indicators`, every unit's trips, teams'
included); the teams and 驻外联络处 that made no trip in the period are named. A city's bulletin adds the counties'
党政主要负责同志 trips one by one. The annex table has a row per unit directly below the bulletin's unit (teams and
liaison offices included), a 本级 row for what the unit itself entered, and the 合计 row, which is the unit's own
figure: a team's leads are those credited to it and also count in their 责任单位's row, so the lead columns of the
rows may add up to more than the 合计."""

from zhaoshang.core.gongwen import Row, TableSpec
from zhaoshang.org.models import TEAM_KINDS, UnitKind
from zhaoshang.projects.indicators import FRONTLINE_CODES

COLUMNS = [
    ("trips_count", "外出招商批次"),
    ("trips_main_leader_count", "其中主要负责同志"),
    ("trip_person_days", "人天"),
    ("visits_count", "拜访企业"),
    ("receptions_count", "接待客商"),
    ("leads_count", "新增线索"),
    ("leads_valid_count", "有效线索"),
    ("leads_signed_count", "签约转化"),
]
LEAD_CODES = ("leads_count", "leads_valid_count", "leads_signed_count")


def _values(figures) -> dict:
    return {code: int(figures.get(code) or 0) for code in FRONTLINE_CODES}


def frontline_snapshot(report) -> dict:
    """The front line of `report` (progress.report.PeriodReport) for January..M, as plain JSON."""
    root = report.root
    ytd = lambda unit: report.figures[unit.pk].ytd  # noqa: E731
    children = sorted((u for u in report.units if u.parent_id == root.pk), key=lambda u: (u.sort_order, u.name))
    rows = [{"name": u.name, "kind": u.kind, "figures": _values(ytd(u))} for u in children]
    total = _values(ytd(root))
    # What the unit itself entered: its figure less its children's (a team's leads are not in its parent's).
    own = {
        code: total[code]
        - sum(r["figures"][code] for r in rows if not (code in LEAD_CODES and r["kind"] in TEAM_KINDS))
        for code in FRONTLINE_CODES
    }
    if any(own.values()):
        rows.append({"name": f"{root.name}本级", "kind": root.kind, "figures": own})
    teams = report.team_units
    counties = [u for u in children if u.kind == UnitKind.COUNTY] if root.kind == UnitKind.CITY else []
    return {
        "teams": sum(1 for t in teams if t.kind == UnitKind.TEAM),
        "liaisons": sum(1 for t in teams if t.kind == UnitKind.LIAISON),
        "idle": [t.name for t in teams if not ytd(t).get("trips_count")],
        "counties": [
            {"name": u.name, "main_leader_trips": int(ytd(u).get("trips_main_leader_count") or 0)} for u in counties
        ],
        "rows": rows,
        "total": total,
    }


def _who(front: dict) -> str:
    """12个招商小分队 / 10个招商小分队、2个驻外联络处 / nothing when the area has neither."""
    parts = []
    if front["teams"]:
        parts.append(f"{front['teams']}个招商小分队")
    if front["liaisons"]:
        parts.append(f"{front['liaisons']}个驻外联络处")
    return "、".join(parts)


def frontline_paragraph(snapshot: dict, period: str, area: str) -> str:
    """'1-6月，全县12个招商小分队外出招商45批次、拜访企业130家、接待客商20批次，新增有效线索8条；其中党政主要负责同志
    外出招商3批次。第三招商小分队、第五招商小分队未开展外出招商。' From a snapshot without a front line (issued
    before it was counted) nothing."""
    front = snapshot.get("frontline")
    if not front:
        return ""
    ytd = {code: int(snapshot["indicators"][code]["ytd"] or 0) for code in FRONTLINE_CODES}
    who = _who(front)
    if not any(ytd.values()) and not who:
        return ""
    if snapshot.get("unit_kind") in TEAM_KINDS:
        who, area = "", snapshot["unit"]  # a team's own bulletin speaks of the team
    if ytd["trips_count"] or ytd["receptions_count"] or ytd["leads_valid_count"]:
        text = (
            f"{period}，{area}{who}外出招商{ytd['trips_count']}批次、拜访企业{ytd['visits_count']}家、"
            f"接待客商{ytd['receptions_count']}批次，新增有效线索{ytd['leads_valid_count']}条"
        )
        if ytd["trips_count"]:
            main = ytd["trips_main_leader_count"]
            text += f"；其中党政主要负责同志外出招商{main}批次" if main else "；党政主要负责同志未带队外出招商"
        text += "。"
    else:
        text = f"{period}，{area}{who}未开展外出招商、接待客商，无新增有效线索。"
        return text + _counties(front)
    idle = [name for name in front["idle"] if name != snapshot["unit"]]
    if idle:
        text += f"{'、'.join(idle)}未开展外出招商。"
    return text + _counties(front)


def _counties(front: dict) -> str:
    """A city's: '县区党政主要负责同志共外出招商9批次，分别为：甲县3次、乙区6次。'"""
    counties = front.get("counties") or []
    if not counties:
        return ""
    total = sum(c["main_leader_trips"] for c in counties)
    each = "、".join(f"{c['name']}{c['main_leader_trips']}次" for c in counties)
    return f"县区党政主要负责同志共外出招商{total}批次，分别为：{each}。"


def frontline_table(snapshot: dict) -> list[TableSpec]:
    """The annex's 招商一线情况 table (none for a snapshot issued before the front line was counted)."""
    front = snapshot.get("frontline")
    if not front:
        return []
    spec = TableSpec(
        title="招商一线情况",
        headers=["单位", *(label for _, label in COLUMNS)],
        numeric=set(range(1, len(COLUMNS) + 1)),
        wide={0: 40},
        empty="无下级单位。",
    )
    for row in [*front["rows"], {"name": "合计", "figures": front["total"]}]:
        numbers = [int(row["figures"].get(code) or 0) for code, _ in COLUMNS]
        spec.rows.append(Row([row["name"], *(f"{n:,}" for n in numbers)], [row["name"], *numbers]))
    return [spec]
