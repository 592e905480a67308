"""会议纪要: the minutes of a dispatch meeting as a 公文-style docx (the bulletin's own renderer): what the meeting
heard (each kind of item with its count), how the last meeting's decisions were carried out, then what this
meeting decided, item by item. Every decision is read out on its own, so each names what it is about — the project
(name, code and 责任单位) where there is one — and the unit that owes it, with its deadline."""

from collections import Counter

from zhaoshang.coordination.meeting_models import KIND_ORDER, DispatchMeeting, ItemKind, TaskStatus
from zhaoshang.core.gongwen import Row, TableSpec, render_document

CHINESE_NUMBERS = "一二三四五六七八九十"
# How the opening names each kind of item it heard.
HEARD = {
    ItemKind.CARRIED: "上次会议议定事项落实情况",
    ItemKind.PROBLEM: "待协调问题",
    ItemKind.APPROVAL: "逾期前期手续",
    ItemKind.BEHIND: "进度滞后的重点项目",
    ItemKind.LATE_START: "签约超期未开工项目",
    ItemKind.STALLED: "长期没有阶段变化的项目",
    ItemKind.OTHER: "其他事项",
}


def _numbered(n: int) -> str:
    return f"（{CHINESE_NUMBERS[n - 1]}）" if n <= 10 else f"（{n}）"


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else f"{text}。"


def subject(item) -> str:
    """What an item is about, said in full: '年产10万件家纺扩建项目（XM20260108，河口镇）审批问题' for a project's
    item (its title is 'code name：matter'), the item's own title otherwise."""
    if item.kind == ItemKind.CARRIED and item.carried_task_id:  # titled by the earlier meeting's decision
        return f"{subject(item.carried_task.item)}（上次会议议定事项的落实）"
    project = item.project
    if project is None:
        return item.title.rstrip("。")
    matter = item.title.split("：", 1)[1] if "：" in item.title else ""
    return f"{project.name}（{project.code}，{project.responsible_unit.name}）{matter}".rstrip("。")


def opening_counts(items) -> str:
    """'上次会议议定事项落实情况8项、待协调问题27项、…，共103项': each kind the meeting heard, with its count."""
    counts = Counter(item.kind for item in items)
    parts = [f"{HEARD[kind]}{counts[kind]}项" for kind in KIND_ORDER if counts[kind]]
    return f"{'、'.join(parts)}，共{len(items)}项" if parts else "0项"


def minutes_content(meeting: DispatchMeeting) -> dict:
    items = list(
        meeting.items.select_related(
            "project__responsible_unit",
            "task__owner",
            "carried_task__owner",
            "carried_task__item__project__responsible_unit",
        )
    )
    carried = [i for i in items if i.kind == ItemKind.CARRIED and i.carried_task]
    decided = [i for i in items if hasattr(i, "task")]
    when = _day(meeting.held_on)
    opening = f"{when}，{meeting.chair or '县领导'}主持召开{meeting.title}"
    opening += f"（{meeting.place}）" if meeting.place else ""
    opening += f"，听取了{opening_counts(items)}议题的情况汇报"
    opening += f"，对其中{len(decided)}项形成议定事项" if decided else ""
    opening += "，研究解决项目建设中遇到的问题。现纪要如下："
    paragraphs = [opening]
    if meeting.summary:
        paragraphs.append(meeting.summary)
    if carried:
        done = sum(1 for i in carried if i.carried_task.status == TaskStatus.DONE)
        paragraphs.append(
            f"一、上次会议议定事项落实情况。共{len(carried)}项，已完成{done}项，未完成{len(carried) - done}项。"
        )
        for n, item in enumerate(carried, start=1):
            task = item.carried_task
            state = f"已完成（{task.done_note}）" if task.status == TaskStatus.DONE else "尚未完成，请责任单位加快推进"
            paragraphs.append(
                f"{_numbered(n)}关于{subject(task.item)}：{_sentence(task.decision)}"
                f"（责任单位：{task.owner.name}，{_day(task.deadline)}前）落实情况：{state}。"
            )
    heading = "二、会议议定事项" if carried else "一、会议议定事项"
    paragraphs.append(f"{heading}。" if decided else f"{heading}：本次会议未形成新的议定事项。")
    for n, item in enumerate(decided, start=1):
        task = item.task
        paragraphs.append(
            f"{_numbered(n)}关于{subject(item)}。会议议定：{_sentence(task.decision)}"
            f"责任单位：{task.owner.name}；完成时限：{_day(task.deadline)}。"
        )
    table = TableSpec(
        title="会议议定事项清单",
        headers=["序号", "议题", "议定事项", "责任单位", "完成时限"],
        wide={0: 10, 1: 45, 2: 60, 3: 22},
        empty="本次会议未形成议定事项。",
    )
    for n, item in enumerate(decided, start=1):
        cells = [str(n), subject(item), item.task.decision, item.task.owner.name, f"{item.task.deadline:%Y-%m-%d}"]
        table.rows.append(Row(cells, cells))
    return {
        "title": f"{meeting.title}会议纪要",
        "byline": f"{meeting.unit.name}　{when}",
        "paragraphs": paragraphs,
        "tables": [table],
    }


def minutes_docx(meeting: DispatchMeeting) -> bytes:
    content = minutes_content(meeting)
    return render_document(
        title=content["title"],
        byline=content["byline"],
        paragraphs=content["paragraphs"],
        tables=content["tables"],
        draft=not meeting.is_closed,
    )
