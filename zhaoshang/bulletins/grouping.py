"""The 调度 material on the page, grouped by 责任单位: a meeting goes unit by unit, and a hundred-odd rows in one
list made an 11,000-pixel page. The docx keeps its flat tables (the printed material is read in order); only the
page folds them, with each unit's count on its heading and a table of counts per unit at the top."""

from dataclasses import dataclass, field

from zhaoshang.core.gongwen import Row, TableSpec

UNIT_HEADER = "责任单位"
NO_UNIT = "未定责任单位"


@dataclass
class UnitRows:
    unit: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class GroupedTable:
    spec: TableSpec
    groups: list[UnitRows]  # most rows first, then by name

    @property
    def count(self) -> int:
        return len(self.spec.rows)


@dataclass
class UnitCounts:
    unit: str
    counts: list[int]  # one per table, in the tables' order
    total: int


def group_by_unit(spec: TableSpec) -> GroupedTable:
    """The table's rows by the value of its 责任单位 column (a table without one is a single group)."""
    column = spec.headers.index(UNIT_HEADER) if UNIT_HEADER in spec.headers else None
    groups: dict[str, UnitRows] = {}
    for row in spec.rows:
        unit = (row.values[column] if column is not None else "") or NO_UNIT
        groups.setdefault(unit, UnitRows(unit)).rows.append(row)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.rows), g.unit))
    return GroupedTable(spec, ordered)


def unit_counts(tables: list[GroupedTable]) -> list[UnitCounts]:
    """Per unit, how many rows it has in each table: the overview a chair reads before going unit by unit."""
    units: dict[str, list[int]] = {}
    for index, table in enumerate(tables):
        for group in table.groups:
            units.setdefault(group.unit, [0] * len(tables))[index] = len(group.rows)
    rows = [UnitCounts(unit, counts, sum(counts)) for unit, counts in units.items()]
    return sorted(rows, key=lambda r: (-r.total, r.unit))
