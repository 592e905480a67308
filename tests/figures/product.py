"""What the product shows, read the way its pages read it, and compared figure by figure with the recomputation.

The dashboard, the drill-down pages and the bulletin all read `progress.report.period_report` (cards and rows:
`PeriodReport.progress`, rankings with red and black lists: `PeriodReport.ranking`), and the bulletin's JSON is
`bulletins.snapshot.build_snapshot`. Each figure compared is one value a user can read: a 本月 or 累计 figure, a
target, a completion rate, a gap to 序时, a light, 双过半, a rank, a place on the 红榜 or 黑榜.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.figures.recompute import MONTHS, RANKED_CODES, Result, half_up
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.org.models import Unit
from zhaoshang.progress.report import period_report

PROGRESS_FIELDS = ("month", "ytd", "target", "completion", "gap", "light", "double_half")
RATIO_FIELDS = {"completion", "gap"}


@dataclass(frozen=True)
class Mismatch:
    where: str  # which product surface: the county's report, a unit's own report, a ranking, the bulletin JSON
    unit: str
    month: int
    code: str
    field: str
    expected: object
    got: object

    def __str__(self):
        return (
            f"{self.where} · {self.unit} · {self.month}月 · {self.code}.{self.field}: "
            f"expected {self.expected!r}, got {self.got!r}"
        )


def same(field: str, expected, got) -> bool:
    """Exact for counts, amounts, lights and flags; a ratio must agree unrounded (to 1e-18, the last digits of
    a 28-digit division) and as shown (half-up to one decimal of a percentage or of a point)."""
    if expected is None or got is None:
        return expected is None and got is None
    if field in RATIO_FIELDS or isinstance(expected, Decimal) and expected != expected.quantize(Decimal("0.01")):
        e, g = Decimal(str(expected)), Decimal(str(got))
        shown = (lambda v: half_up(v * 100, "0.1")) if field == "completion" else (lambda v: half_up(v, "0.1"))
        return abs(e - g) < Decimal("1e-18") and shown(e) == shown(g)
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    return expected == got


@dataclass
class Comparison:
    compared: int = 0

    def __post_init__(self):
        self.results: list = []  # (Mismatch-like key, got) for every figure, checked against each recomputation

    def add(self, where, unit, month, code, field, got, expected_of):
        """`expected_of(result)` picks this figure out of a recomputation; kept so that the same product value
        can be checked against the recomputation with and without the known faults."""
        self.compared += 1
        self.results.append((where, unit, month, code, field, got, expected_of))

    def mismatches(self, result: Result) -> list[Mismatch]:
        out = []
        for where, unit, month, code, field, got, expected_of in self.results:
            expected = expected_of(result)
            if not same(field, expected, got):
                out.append(Mismatch(where, unit, month, code, field, expected, got))
        return out


def _progress_getter(unit_id, code, m, field):
    return lambda result: getattr(result.figures[(unit_id, code, m)], field)


def _rank_getter(view_id, group_id, unit_id, code, m, field):
    """A unit the recomputation does not rank (no group: 不参与考核) has no rank and is on neither list."""

    def expected(result):
        row = result.rankings[(view_id, code, m)].get(group_id, {}).get(unit_id)
        if row is None:
            return None if field == "rank" else False
        return getattr(row, field)

    return expected


def _members_getter(view_id, code, m):
    return lambda result: _members(
        {g: set(rows) for g, rows in result.rankings[(view_id, code, m)].items()}, result.units
    )


def _members(groups: dict, units: dict) -> tuple:
    """Who is ranked, group by group: (group id, sorted unit names)."""
    return tuple(sorted((g, tuple(sorted(units[u].name for u in ids))) for g, ids in groups.items()))


def read_product(root: Unit, year: int, views: list[Unit]) -> tuple[Comparison, set]:
    """Every figure the product shows for `root`'s subtree and each month of `year`: each unit's row in the
    county's report (the drill-down pages), each view's own report (its dashboard, `?unit=`), each view's
    rankings, and the bulletin JSON of the county."""
    comparison = Comparison()
    codes: set = set()
    for m in MONTHS:
        month = date(year, m, 1)
        report = period_report(root, month)
        codes = {p.code for p in report.summary()}
        unit_names = {u.pk: u for u in report.units}
        for unit in report.units:
            for code in sorted(codes):
                progress = report.progress(unit, code)
                for field in PROGRESS_FIELDS:
                    comparison.add(
                        f"{root.name}的报表",
                        unit.name,
                        m,
                        code,
                        field,
                        getattr(progress, field),
                        _progress_getter(unit.pk, code, m, field),
                    )
        for view in views:
            own = report if view.pk == root.pk else period_report(view, month)
            if view.pk != root.pk:
                for code in sorted(codes):
                    progress = own.progress(view, code)
                    for field in PROGRESS_FIELDS:
                        comparison.add(
                            f"{view.name}的驾驶舱",
                            view.name,
                            m,
                            code,
                            field,
                            getattr(progress, field),
                            _progress_getter(view.pk, code, m, field),
                        )
            for code in RANKED_CODES:
                if code not in codes:
                    continue
                rankings = own.ranking(code)
                got = _members({r.group.pk: {row.unit.pk for row in r.rows} for r in rankings}, unit_names)
                comparison.add(
                    f"{view.name}的排名", "（全部）", m, code, "ranked", got, _members_getter(view.pk, code, m)
                )
                for ranking in rankings:
                    for row in ranking.rows:
                        for field in ("rank", "red", "black"):
                            comparison.add(
                                f"{view.name}的排名",
                                row.unit.name,
                                m,
                                code,
                                field,
                                getattr(row, field),
                                _rank_getter(view.pk, ranking.group.pk, row.unit.pk, code, m, field),
                            )
        unit_codes = _read_snapshot(comparison, root, month, report)
    # what the product reports: the dashboard's indicators and every code in the bulletin's per-unit figures
    return comparison, codes | unit_codes


def _read_snapshot(comparison: Comparison, root: Unit, month: date, report) -> set:
    """Compares the bulletin JSON's figures; returns the codes its units' `figures` hold (in every unit)."""
    snapshot = build_snapshot(root, month, report)
    m = month.month
    where = f"{root.name}通报JSON"
    names = {u.name: u for u in report.units}
    fields = {
        "month": "month",
        "ytd": "ytd",
        "target": "target",
        "completion_rate": "completion",
        "schedule_gap_pp": "gap",
        "light": "light",
        "double_half": "double_half",
    }
    for code, values in snapshot["indicators"].items():
        for key, field in fields.items():
            comparison.add(
                where, root.name, m, code, field, _number(values[key]), _progress_getter(root.pk, code, m, field)
            )
    rank_code = snapshot["rank_indicator"]
    for entry in snapshot["units"]:
        unit = names[entry["name"]]
        group_id = unit.group_id
        for field in ("rank", "red", "black"):
            comparison.add(
                where,
                unit.name,
                m,
                rank_code,
                field,
                entry[field],
                _rank_getter(root.pk, group_id, unit.pk, rank_code, m, field),
            )
        for key, field in (("light", "light"), ("completion_rate", "completion"), ("schedule_gap_pp", "gap")):
            expected_of = _progress_getter(unit.pk, rank_code, m, field)
            if field == "light" and group_id is None:
                expected_of = lambda result: None  # noqa: E731  不参与考核: the bulletin lights no such unit
            comparison.add(where, unit.name, m, rank_code, field, _number(entry[key]), expected_of)
        for code, value in entry["figures"].items():
            comparison.add(where, unit.name, m, code, "ytd", _number(value), _progress_getter(unit.pk, code, m, "ytd"))
        for code, value in entry.get("targets", {}).items():
            comparison.add(
                where, unit.name, m, code, "target", _number(value), _progress_getter(unit.pk, code, m, "target")
            )
    teams = snapshot["teams"]
    for key, code in (
        ("total", "teams_total"),
        ("with_signing", "teams_with_signing"),
        ("without_progress", "teams_without_progress"),
    ):
        comparison.add(where, root.name, m, code, "ytd", teams[key], _progress_getter(root.pk, code, m, "ytd"))
    return set.intersection(*(set(entry["figures"]) for entry in snapshot["units"])) if snapshot["units"] else set()


def _number(value):
    """The JSON keeps amounts and ratios as exact strings (and lights as words)."""
    if isinstance(value, str) and value not in ("green", "yellow", "red"):
        return Decimal(value)
    return value
