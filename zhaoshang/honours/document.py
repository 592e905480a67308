"""The 表彰决定 draft as a 公文 (core.redhead lays it out): the owner's issuing office (bulletins' 发文设置, or its
defaults) for the 版头, 署名 and 版记; the reason, the 先进单位 by group, the 先进个人 passed, the closing words.
It is a draft: no 发文字号 until the office issues it."""

from dataclasses import dataclass, field

from zhaoshang.bulletins.office import letterhead_for
from zhaoshang.core.formats import chinese_number
from zhaoshang.core.periods import today
from zhaoshang.core.redhead import Block, Gongwen, chinese_date, render_gongwen
from zhaoshang.honours.models import HonoursRound, NominationStatus


def decision_title(honours: HonoursRound) -> str:
    return f"关于表彰{honours.year}年度招商引资和项目建设先进单位和先进个人的决定"


@dataclass
class Listing:
    """What the decision names: (group, honour, [unit names]) in the result's group order, and the persons."""

    groups: list[tuple[str, str, list[str]]] = field(default_factory=list)
    persons: list[tuple[str, str, str]] = field(default_factory=list)  # name, unit, 职务


def listing(honours: HonoursRound) -> Listing:
    out = Listing()
    order, place = {}, {}
    for n, row in enumerate(honours.publication.result.get("units", [])):
        order.setdefault(row.get("group") or "", len(order))
        place[row.get("unit")] = n
    by_group: dict[tuple[str, str], list[str]] = {}
    rows = sorted(
        honours.units.filter(removed=False), key=lambda u: (order.get(u.group, 999), u.rank, place.get(u.unit_name, 0))
    )
    for u in rows:
        by_group.setdefault((u.group, u.honour), []).append(u.unit_name)
    out.groups = [(group, honour, names) for (group, honour), names in by_group.items()]
    approved = honours.nominations.filter(status=NominationStatus.APPROVED).select_related("unit")
    out.persons = [(n.name, n.unit.name, n.position) for n in approved]
    return out


def _body(honours: HonoursRound, found: Listing) -> list[Block]:
    blocks = [Block(p.strip()) for p in honours.reason.split("\n") if p.strip()]
    units = sum(len(names) for _, _, names in found.groups)
    blocks.append(Block(f"一、先进单位（{units}个）", level=1))
    if not found.groups:
        blocks.append(Block("无。"))
    for n, (group, honour, names) in enumerate(found.groups, start=1):
        # a group's own honour (一类乡镇先进单位) as the bureau wrote it; the common one after the group's name
        label = honour if not group or group in honours.group_honours else f"{group}{honour}"
        lead = f"（{chinese_number(n)}）{label}（{len(names)}个）："
        blocks.append(Block(f"{'、'.join(names)}。", lead=lead))
    blocks.append(Block(f"二、先进个人（{len(found.persons)}名）", level=1))
    if not found.persons:
        blocks.append(Block("无。"))
    for name, unit, position in found.persons:
        blocks.append(Block(f"{name}　{unit}{position}"))
    blocks += [Block(p.strip()) for p in honours.closing.split("\n") if p.strip()]
    return blocks


def decision_document(honours: HonoursRound) -> Gongwen:
    head = letterhead_for(honours.owner)
    return Gongwen(
        mark=head["mark"],
        doc_number="（草稿，印发时编号）",
        title=decision_title(honours).replace("项目建设先进", "项目建设\n先进"),  # two lines of 2号
        addressee=head["addressee"],
        body=_body(honours, listing(honours)),
        signature=head["issuer"],
        date_text=chinese_date(today()),
        printer=head["printer"],
        copy_to=head["copy_to"],
        draft=True,
    )


def render_decision(honours: HonoursRound) -> bytes:
    return render_gongwen(decision_document(honours))
