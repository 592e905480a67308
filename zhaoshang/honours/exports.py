"""A round as xlsx: a sheet of its 先进单位 (removed ones too, with the reason) and one of the 先进个人 nominations
the reader sees. Text is escaped by core.files; totals are the result's two-decimal figures."""

from zhaoshang.honours.models import HonoursRound

UNIT_HEADERS = ["考核组", "单位", "总分", "组内名次", "荣誉称号", "来源", "状态", "理由"]
PERSON_HEADERS = ["推荐单位", "姓名", "职务", "主要事迹", "相关项目", "状态", "审核意见"]


def unit_rows(honours: HonoursRound):
    for u in honours.units.all():
        yield [
            u.group,
            u.unit_name,
            u.total,
            u.rank,
            u.honour,
            u.get_origin_display() + ("（并列）" if u.tied else ""),
            "已移除" if u.removed else "列入",
            u.reason,
        ]


def person_rows(nominations, readable: set[int]):
    for n in nominations:
        yield [
            n.unit.name,
            n.name,
            n.position,
            n.deeds,
            "、".join(p.code for p in n.projects.all() if p.responsible_unit_id in readable),
            n.get_status_display(),
            n.note,
        ]


def round_sheets(honours: HonoursRound, nominations, *, with_units: bool, readable: set[int]) -> list:
    sheets = [("先进单位", UNIT_HEADERS, unit_rows(honours))] if with_units else []
    return [*sheets, ("先进个人", PERSON_HEADERS, person_rows(nominations, readable))]
