"""先进单位 from a frozen result: the pure computation 提议 runs (no database).

Top N per group: a unit is in when its total is among the group's N best — its competition rank (1 + how many of
the group score more) is at most N, so every unit tied at the cut-off is in and the group gets more than N. Score:
a unit is in when its total is at least the line. Totals are the result's decimal strings, compared as Decimal."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass
class Proposed:
    unit: str
    group: str
    total: Decimal
    rank: int
    tied: bool = False  # in because it ties the unit at the cut-off (the group has more than its N)


@dataclass
class GroupNote:
    group: str
    n: int
    chosen: int  # more than n: ties at the cut-off

    @property
    def words(self) -> str:
        return f"{self.group}名额{self.n}个，因第{self.n}名并列，列入{self.chosen}个单位"


def _total(row) -> Decimal:
    try:
        return Decimal(str(row.get("total") or "0"))
    except InvalidOperation:
        return Decimal(0)


def groups_of(result: dict) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in result.get("units", []):
        groups.setdefault(row.get("group") or "", []).append(row)
    return groups


def ranked(rows: list[dict]) -> list[tuple[dict, Decimal, int]]:
    totals = [_total(r) for r in rows]
    out = [(row, t, 1 + sum(1 for o in totals if o > t)) for row, t in zip(rows, totals, strict=True)]
    return sorted(out, key=lambda x: x[2])  # stable: tied units keep the result's order


def propose_top(result: dict, n_for) -> tuple[list[Proposed], list[GroupNote]]:
    chosen, notes = [], []
    for group, rows in groups_of(result).items():
        n = n_for(group)
        inside = [(row, t, rank) for row, t, rank in ranked(rows) if rank <= n]
        cut = max((rank for _, _, rank in inside), default=0)
        tied_at_cut = len(inside) > n
        for row, t, rank in inside:
            chosen.append(Proposed(row["unit"], group, t, rank, tied=tied_at_cut and rank == cut))
        if tied_at_cut:
            notes.append(GroupNote(group, n, len(inside)))
    return chosen, notes


def propose_score(result: dict, line: Decimal) -> list[Proposed]:
    chosen = []
    for group, rows in groups_of(result).items():
        chosen += [Proposed(row["unit"], group, t, rank) for row, t, rank in ranked(rows) if t >= line]
    return chosen


def result_row(result: dict, unit_name: str) -> tuple[dict, Decimal, int] | None:
    """A unit's row of the result with its total and rank in its group."""
    for rows in groups_of(result).values():
        for row, t, rank in ranked(rows):
            if row.get("unit") == unit_name:
                return row, t, rank
    return None
