"""The documents' chain and carrier parts: the bulletin annex's two optional tables, 产业链招商情况 and 载体情况
(the bureau ticks them in 发文设置; their data is frozen in the snapshot whether or not they are shown, so an issued
bulletin never changes), and the 季度小结's chain section.

Both speak of the bulletin's area (its unit's subtree): the chains its unit reads (its county's and the city's own,
for a city every county's), counted over the area's projects (progress/chains.py), and the carriers of its parks
and towns with the space taken on the period's last day (carriers/space.py). Like every annex list, each table
shows N rows and counts the rest (发文设置's 清单列示条数); the Excel 附表 holds them all."""

import calendar
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from zhaoshang.bulletins.office import LIST_LIMIT
from zhaoshang.carriers.models import Carrier, CarrierKind, Occupancy
from zhaoshang.carriers.space import in_force_q, use_rate, with_space
from zhaoshang.chains.models import Chain, ChainLink, Strength
from zhaoshang.core.gongwen import Row, TableSpec
from zhaoshang.core.money import CENT, TENTH, format_amount, round_half_up
from zhaoshang.core.periods import parse_month, today
from zhaoshang.core.wording import area_words
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.org.tree import ancestor_ids
from zhaoshang.progress.chains import BY_CODE, FIGURES, chain_report
from zhaoshang.projects.models import Project, Stage

CHAIN_TABLE, CARRIER_TABLE = "chain_table", "carrier_table"
# The annex's optional tables, as 发文设置 offers them: kept in the office's annex_columns list beside the per-unit
# columns (so an issued bulletin's letterhead keeps the choice it was issued with).
TABLES = {CHAIN_TABLE: "产业链招商情况", CARRIER_TABLE: "载体情况"}
KIND_ORDER = [CarrierKind.PARK, CarrierKind.FACTORY, CarrierKind.INCUBATOR]
# A 产业园区 is offered by the 亩, a 标准化厂房 or 孵化器 by the ㎡: its 使用率 is of that space.
BY_LAND = {CarrierKind.PARK}


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value.quantize(CENT)) if value == value.quantize(CENT) else str(value)
    return value


def area_chains(root):
    """The chains a bulletin of `root` speaks of: laid out at or above it, or below it; active ones only."""
    owners = Q(owner_id__in=ancestor_ids(root.path)) | Q(owner__path__startswith=root.path)
    return Chain.objects.filter(owners, is_active=True).select_related("owner").order_by("owner__path", "sort_order")


def _chain_rows(root, month: date) -> list[dict]:
    report = chain_report(area_chains(root), month, Project.objects.under(root))
    return [
        {
            "owner": row.chain.owner.name,
            "name": row.chain.name,
            "figures": {
                code: {
                    "value": _num(p.value),
                    "target": _num(p.target),
                    "completion_rate": _num(p.completion),
                    "schedule_gap_pp": _num(p.gap),
                    "light": p.light,
                    "rank": p.rank,
                }
                for code, p in row.figures.items()
            },
        }
        for row in report.rows
    ]


def _last_day(month: date) -> date:
    """The period's last day, or today within the current month (space is counted as it stands)."""
    return min(date(month.year, month.month, calendar.monthrange(month.year, month.month)[1]), today())


def _carrier_rows(root, month: date) -> tuple[list[dict], list[dict]]:
    """Rows per kind and park/town, and a total per kind: given, taken and available land and floor space, the
    carriers' count and the projects in force in them on the period's last day."""
    on = _last_day(month)
    carriers = with_space(Carrier.objects.under(root).filter(is_active=True), on).select_related("unit")
    counts = {
        (r["carrier__kind"], r["carrier__unit_id"]): r["n"]
        for r in Occupancy.objects.filter(in_force_q(on), carrier__in=carriers.values("pk"))
        .values("carrier__kind", "carrier__unit_id")
        .annotate(n=Count("project", distinct=True))
        .order_by()
    }
    groups: dict = {}
    for c in carriers:
        key = (c.kind, c.unit_id)
        row = groups.setdefault(key, {"kind": c.kind, "place": c.unit.name, "order": c.unit.path, "carriers": 0})
        row["carriers"] += 1
        for name in ("land_mu", "taken_mu", "available_mu", "building_m2", "taken_m2", "available_m2"):
            value = getattr(c, name)
            if value is not None:
                row[name] = row.get(name, Decimal(0)) + value
        row["projects"] = counts.get(key, 0)
    ordered = sorted(groups.values(), key=lambda r: (KIND_ORDER.index(r["kind"]), r["order"]))
    totals = []
    for kind in KIND_ORDER:
        rows = [r for r in ordered if r["kind"] == kind]
        if rows:
            total = {"kind": kind, "place": f"{kind}合计", "carriers": sum(r["carriers"] for r in rows)}
            for name in ("land_mu", "taken_mu", "available_mu", "building_m2", "taken_m2", "available_m2", "projects"):
                found = [r[name] for r in rows if r.get(name) is not None]
                total[name] = sum(found) if found else None
            totals.append(total)
    return [_carrier_json(r) for r in ordered], [_carrier_json(t) for t in totals]


def _carrier_json(row: dict) -> dict:
    land = row["kind"] in BY_LAND
    rate = use_rate(row.get("taken_mu" if land else "taken_m2"), row.get("land_mu" if land else "building_m2"))
    return {
        "kind": row["kind"],
        "place": row["place"],
        "carriers": row["carriers"],
        **{
            name: _num(row.get(name))
            for name in ("land_mu", "taken_mu", "available_mu", "building_m2", "taken_m2", "available_m2")
        },
        "use_rate": _num(rate),
        "projects": row.get("projects") or 0,
    }


def chains_snapshot(root, month: date, limit: int | None = None) -> dict:
    """The snapshot's `chains` and `carriers`: the first `limit` rows of each (None: all) and the count of all."""
    chains = _chain_rows(root, month)
    rows, totals = _carrier_rows(root, month)
    return {
        "chains": {"rows": chains[:limit] if limit else chains, "total": len(chains)},
        "carriers": {"rows": rows[:limit] if limit else rows, "total": len(rows), "kinds": totals},
    }


def full_chain_lists(root, month: date, snapshot: dict) -> dict:
    """The chain and carrier lists whole, where the snapshot holds only the first N (the Excel 附表)."""
    cut = any(
        (snapshot.get(key) or {}).get("total", 0) > len((snapshot.get(key) or {}).get("rows", []))
        for key in ("chains", "carriers")
    )
    return chains_snapshot(root, month) if cut else {}


# ----- the annex tables -----
def picked(codes: list[str] | None) -> list[str]:
    return [code for code in codes or [] if code in TABLES]


def _limit(snapshot: dict) -> int:
    return int(snapshot.get("list_limit") or LIST_LIMIT)


def _figure_text(value, code) -> tuple[str, object]:
    figure = BY_CODE[code]
    if value is None:
        return "—", None
    number = Decimal(str(value))
    if figure.unit == "个":
        return f"{int(number):,}", int(number)
    rounded = round_half_up(number / figure.divisor, CENT)
    return format_amount(rounded), rounded


def _rate_text(value) -> tuple[str, object]:
    if value is None:
        return "—", None
    shown = round_half_up(Decimal(str(value)) * 100, Decimal("0.1"))
    return f"{shown}%", shown


def _gap_text(value) -> tuple[str, object]:
    if value is None:
        return "—", None
    shown = round_half_up(Decimal(str(value)), Decimal("0.1"))
    return f"{shown}", shown


def chain_table(snapshot: dict, *, whole: bool = False) -> TableSpec:
    """产业链招商情况: per chain its five figures, each against the year's target (a row per figure; the chain named
    on its first row in the Word file, on every row in Excel)."""
    data = snapshot.get("chains") or {"rows": [], "total": 0}
    chains = data["rows"] if whole else data["rows"][: _limit(snapshot)]
    month = parse_month(snapshot["period"])
    spec = TableSpec(
        title="产业链招商情况",
        headers=["产业链", "指标", "全年目标", f"1-{month.month}月完成", "完成率", "较序时进度(百分点)", "位次"],
        numeric={2, 3, 4, 5, 6},
        light_column=5,
        wide={0: 30, 1: 34},
        empty="没有产业链。",
    )
    owners = {c["owner"] for c in data["rows"]}
    for chain in chains:
        name = chain["name"] if len(owners) < 2 else f"{chain['name']}（{chain['owner']}）"
        for n, figure in enumerate(FIGURES):
            f = chain["figures"][figure.code]
            rate = _rate_text(f["completion_rate"])
            if f["target"] is None:
                rate = ("未设目标", None)
            elif f["completion_rate"] is None:
                rate = ("目标为0", None)
            cells = [
                (name if n == 0 else "", name),
                (figure.header, figure.header),
                _figure_text(f["target"], figure.code),
                _figure_text(f["value"], figure.code),
                rate,
                _gap_text(f["schedule_gap_pp"]),
                (str(f["rank"]) if f["rank"] else "—", f["rank"]),
            ]
            spec.rows.append(Row([s for s, _ in cells], [k for _, k in cells], f["light"]))
    rest = data["total"] - len(chains)
    if rest > 0:
        spec.total = len(spec.rows) + rest
        spec.more = f"另有{rest}条产业链，详见附表（Excel）"
    return spec


CARRIER_COLUMNS = [
    ("land_mu", "土地面积(亩)"),
    ("taken_mu", "已用地(亩)"),
    ("available_mu", "可用地(亩)"),
    ("building_m2", "建筑面积(㎡)"),
    ("taken_m2", "已入驻面积(㎡)"),
    ("available_m2", "可入驻面积(㎡)"),
]


def _area_text(value, code: str) -> tuple[str, object]:
    """亩 to one decimal, ㎡ whole: a leader reads the size of the space, and ten columns of "30,000.00" on a
    landscape page wrap onto a second line (the Excel 附表 keeps the figures to the cent)."""
    if value is None:
        return "—", None
    places = TENTH if code.endswith("_mu") else Decimal("1")
    return format_amount(value, places), round_half_up(Decimal(str(value)), CENT)


def carrier_table(snapshot: dict, *, whole: bool = False) -> TableSpec:
    """载体情况: per kind and park or town, the space given, taken and available, 使用率 (产业园区 by 亩, the others by
    ㎡) and the projects in, then each kind's total."""
    data = snapshot.get("carriers") or {"rows": [], "total": 0, "kinds": []}
    rows = data["rows"] if whole else data["rows"][: _limit(snapshot)]
    spec = TableSpec(
        title="载体情况",
        headers=["类型", "园区/乡镇", "载体数", *(label for _, label in CARRIER_COLUMNS), "使用率", "入驻项目"],
        numeric=set(range(2, 11)),
        wide={0: 16, 1: 26},
        font_size=9,
        empty="没有载体。",
    )
    for row in [*rows, *data.get("kinds", [])]:
        cells = [
            (row["kind"], row["kind"]),
            (row["place"], row["place"]),
            (str(row["carriers"]), row["carriers"]),
            *(_area_text(row[code], code) for code, _ in CARRIER_COLUMNS),
            _gap_text(row["use_rate"]) if row["use_rate"] is not None else ("—", None),
            (str(row["projects"]), row["projects"]),
        ]
        if cells[9][1] is not None:
            cells[9] = (f"{cells[9][0]}%", cells[9][1])
        spec.rows.append(Row([s for s, _ in cells], [k for _, k in cells]))
    rest = data["total"] - len(rows)
    if rest > 0:
        spec.total = len(spec.rows) + rest
        spec.more = f"另有{rest}个园区或乡镇的载体，详见附表（Excel）"
    return spec


def chain_tables(snapshot: dict, codes: list[str] | None, *, whole: bool = False) -> list[TableSpec]:
    """The optional tables the bureau picked (none for a snapshot issued before they existed)."""
    tables = []
    if CHAIN_TABLE in picked(codes) and "chains" in snapshot:
        tables.append(chain_table(snapshot, whole=whole))
    if CARRIER_TABLE in picked(codes) and "carriers" in snapshot:
        tables.append(carrier_table(snapshot, whole=whole))
    return tables


# ----- the 季度小结's chain section -----
WEAK = (Strength.MISSING, Strength.WEAK)


def weakest_links(root) -> list[tuple[str, list[str]]]:
    """[(chain, [link (强弱)…])]: the area's chains' 缺失 and 薄弱 links that no live project of the area and no
    target enterprise of the area points at — the 短板 nobody is working. One query."""
    projects = Project.objects.under(root).exclude(stage=Stage.DROPPED).filter(chain_link=OuterRef("pk"))
    enterprises = TargetEnterprise.objects.under(root).filter(link=OuterRef("pk"))
    links = (
        ChainLink.objects.filter(chain__in=area_chains(root).values("pk"), strength__in=WEAK)
        .exclude(Exists(projects))
        .exclude(Exists(enterprises))
        .select_related("chain")
        .order_by("chain__owner__path", "chain__sort_order", "chain_id", "sort_order", "id")
    )
    found: dict = {}
    for link in links:
        found.setdefault(link.chain.name, []).append(f"{link.name}（{link.strength}）")
    return list(found.items())


def summary_chain_section(snapshot_month: date, root) -> tuple[list[str], list[TableSpec]]:
    """The 季度小结's chain section: each chain's figures against target (January..the quarter's last month) and a
    paragraph naming the weakest links."""
    data = {"period": f"{snapshot_month:%Y-%m}", "chains": {"rows": (rows := _chain_rows(root, snapshot_month))}}
    data["chains"]["total"] = len(rows)
    if not rows:
        return [], []
    behind = [
        f"{r['name']}{BY_CODE[code].name}" for r in rows for code, f in r["figures"].items() if f["light"] == "red"
    ]
    words = f"{area_words(root.kind, root.name)}{len(rows)}条产业链纳入统计。"
    if behind:
        words += f"落后序时进度30个百分点以上的有：{'、'.join(behind)}。"
    weak = weakest_links(root)
    if weak:
        words += "尚无项目和目标企业的缺失、薄弱环节：" + "；".join(f"{c}的{'、'.join(ls)}" for c, ls in weak) + "。"
    else:
        words += "各产业链的缺失、薄弱环节均已有项目或目标企业对接。"
    table = chain_table(data, whole=True)
    table.title = f"产业链招商情况（{snapshot_month.year}年1-{snapshot_month.month}月）"
    return [words], [table]
