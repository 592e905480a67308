"""What every import shares: the header check, collecting every error as (row, column, reason), the result."""

from dataclasses import dataclass, field


@dataclass
class CellError:
    row: int
    column: str
    message: str

    def __str__(self):
        return f"第{self.row}行 {self.column}: {self.message}"


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # pre-filled rows left blank where the figure goes
    errors: list[CellError] = field(default_factory=list)
    # Rows that pass but look wrong (sheets.plausibility): shown in the preview, they do not stop the import.
    warnings: list[CellError] = field(default_factory=list)
    dry_run: bool = True
    log_id: int | None = None
    # The 账号 sheet's committed accounts with their generated initial passwords: given back once, in the file the
    # commit answers with, and kept nowhere else.
    issued: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        verb = "预检" if self.dry_run else "已导入"
        text = f"{verb} {self.rows} 行：新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
        return text + (f"，空白未填 {self.skipped}" if self.skipped else "")


def sort_errors(errors: list[CellError], headers: list[str]) -> None:
    """In sheet order: by row, then left to right as the columns stand."""
    order = {header: n for n, header in enumerate(headers)}
    errors.sort(key=lambda error: (error.row, order.get(error.column, -1)))


def check_headers(found: list[str], expected: list[str], optional: list[str] = ()) -> list[CellError]:
    """The first row must be the template's headers, in order, then as many of its `optional` headers as the
    sheet has, in order (a sheet made before they existed stays valid). Columns after them are ignored when an
    empty column separates them (the templates' reference columns, such as the project's name, sit there)."""
    trimmed = list(found)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    optional = list(optional)
    for count in range(len(optional), -1, -1):
        wanted = list(expected) + optional[:count]
        if trimmed[: len(wanted)] == wanted and (len(trimmed) == len(wanted) or not trimmed[len(wanted)]):
            return []
    missing = [h for h in expected if h not in trimmed]
    detail = f"缺少列：{'、'.join(missing)}" if missing else "列的顺序与模板不一致"
    return [CellError(1, "表头", f"应为“{'、'.join(expected)}”；{detail}")]
