"""The issuing office of a unit's bulletins (GB/T 9704 版头 and 版记): its settings or their defaults, and the
numbers an issued bulletin takes (发文字号 and 简报期号, per issuing unit and year of issue)."""

from zhaoshang.bulletins.models import IssueCounter, IssuingOffice

ISSUER_SUFFIX = "招商引资和项目建设工作领导小组办公室"
FIELDS = ("issuer", "mark", "number_prefix", "addressee", "copy_to", "printer", "brief_name")
# How many rows a list of a document or a meeting's material shows: the worst N, the rest counted and in the Excel
# 附表. The bureau may set it per issuing unit (发文设置), within these bounds.
LIST_LIMIT, LIST_LIMIT_MIN, LIST_LIMIT_MAX = 20, 5, 200


def default_addressee(unit) -> str:
    """Whom a unit's bulletin is addressed to, by the kind of unit that issues it."""
    if unit.kind == "市":
        return "各县（市、区）人民政府，市直各有关单位"
    if unit.kind == "县区":
        return "各乡镇人民政府、街道办事处，各园区管委会，县直各有关单位，各招商小分队"
    return f"{unit.name}各有关单位"


def defaults(unit) -> dict:
    issuer = f"{unit.name}招商引资工作领导小组办公室"
    return {
        "issuer": issuer,
        "mark": "",
        "number_prefix": f"{unit.name[:1]}招商",
        "addressee": default_addressee(unit),
        "copy_to": "",
        "printer": issuer,
        "brief_name": "招商引资工作简报",
    }


def office_of(unit) -> IssuingOffice | None:
    return IssuingOffice.objects.filter(unit=unit).first()


def letterhead_for(unit) -> dict:
    """The settings a bulletin of `unit` is issued with: the unit's own, or the defaults where it has none."""
    office = office_of(unit)
    values = defaults(unit) if office is None else {name: getattr(office, name) for name in FIELDS}
    values["mark"] = values["mark"] or f"{values['issuer']}文件"
    # the annex's per-unit columns (bulletins/columns.py codes); empty: the default set. Kept with the rest, so an
    # issued bulletin's annex keeps the columns it was issued with.
    values["annex_columns"] = list(office.annex_columns) if office is not None else []
    values["list_limit"] = list_limit_of(office)
    return values


def list_limit_of(office: IssuingOffice | None) -> int:
    return office.list_limit if office is not None and office.list_limit else LIST_LIMIT


def list_limit_for(unit) -> int:
    """How many rows each list of `unit`'s documents and meeting materials shows (发文设置, or the default)."""
    return list_limit_of(office_of(unit))


def doc_number(prefix: str, year: int, number: int) -> str:
    """GB/T 9704 7.2.5: the year in full in 六角括号, the number without 第 and without leading zeros."""
    return f"{prefix}〔{year}〕{number}号"


def take_numbers(unit, year: int) -> tuple[int, int]:
    """The next 发文顺序号 and 简报期号 of `unit` in `year`. Call inside the issuing transaction: the counter row
    stays locked until it commits, so a second bulletin issued at the same moment waits and takes the next."""
    IssueCounter.objects.get_or_create(unit=unit, year=year)
    counter = IssueCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last_number += 1
    counter.last_issue_no += 1
    counter.save(update_fields=["last_number", "last_issue_no"])
    return counter.last_number, counter.last_issue_no
