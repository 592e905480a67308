"""A published result to honour from: a scheme of 测试县 and its Publication in the contract's form (the scoring
engine is another part's; the tests write the frozen JSON by hand)."""

from datetime import date

from tests.factories import make_unit
from zhaoshang.assessment.models import Publication, Scheme

YEAR = 2025


def unit_row(name, group, total, rank):
    return {
        "unit": name,
        "group": group,
        "total": total,
        "rank": rank,
        "items": [{"name": "到位资金", "score": total, "detail": f"{total}"}],
    }


def town_rows():
    """乡镇组: 甲镇 96.00, 乙镇 and 丙镇 tied on 90.00, 丁镇 85.00; 园区组: 甲镇工业园 88.50, 乙园 70.00."""
    return [
        unit_row("甲镇", "乡镇组", "96.00", 1),
        unit_row("乙镇", "乡镇组", "90.00", 2),
        unit_row("丙镇", "乡镇组", "90.00", 2),
        unit_row("丁镇", "乡镇组", "85.00", 4),
        unit_row("甲镇工业园", "园区组", "88.50", 1),
        unit_row("乙园", "园区组", "70.00", 2),
    ]


def published(county, rows=None, version=1, scheme=None) -> Publication:
    if scheme is None:
        for name in ("丙镇", "丁镇"):
            make_unit(name, "乡镇", county.root)
        make_unit("乙园", "园区", county.other_town)
        scheme = Scheme.objects.create(owner=county.root, name="招商引资考核", year=YEAR, period=date(YEAR, 12, 1))
    result = {"scheme": scheme.name, "year": YEAR, "units": rows if rows is not None else town_rows()}
    return Publication.objects.create(
        scheme=scheme, version=version, result=result, scheme_file={"name": scheme.name}, published_by=county.bureau
    )
