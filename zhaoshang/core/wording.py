"""The words for a gap to 序时进度 and for a growth rate, shared by the pages and the bulletin.
Both round half-up to one decimal once, here, and decide the wording on the rounded figure."""

from decimal import Decimal

from zhaoshang.core.money import TENTH, round_half_up


def schedule_words(gap) -> str:
    """'低于序时进度12.3个百分点' / '高于序时进度2.0个百分点' / '与序时进度持平'."""
    rounded = round_half_up(Decimal(str(gap)), TENTH)
    if rounded < 0:
        return f"低于序时进度{-rounded}个百分点"
    if rounded > 0:
        return f"高于序时进度{rounded}个百分点"
    return "与序时进度持平"


def growth_words(growth, *, level: str = "与上年同期持平") -> str:
    """'增长5.2%' / '下降3.1%' / the words for no change."""
    rounded = round_half_up(Decimal(str(growth)), TENTH)
    if rounded > 0:
        return f"增长{rounded}%"
    if rounded < 0:
        return f"下降{-rounded}%"
    return level


def area_words(kind: str, name: str) -> str:
    """How a text names the area it reports on: 全市 for a city, 全县 for a county (全区 for a district, 全市 for a
    county-level city, by the name's last character), else the unit's own name (a town, a park, a team)."""
    if kind == "市":
        return "全市"
    if kind == "县区":
        return {"区": "全区", "市": "全市"}.get(name[-1:], "全县")
    return name
