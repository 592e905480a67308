"""会议纪要: the minutes of a dispatch meeting as a 公文-style docx (the bulletin's own renderer): how the last
meeting's decisions were carried out, then what this meeting decided, item by item, with owner and deadline."""

from zhaoshang.coordination.meeting_models import DispatchMeeting, ItemKind, TaskStatus
from zhaoshang.core.gongwen import Row, TableSpec, render_document

CHINESE_NUMBERS = "一二三四五六七八九十"


def _numbered(n: int) -> str:
    return f"（{CHINESE_NUMBERS[n - 1]}）" if n <= 10 else f"（{n}）"


def minutes_content(meeting: DispatchMeeting) -> dict:
    items = list(meeting.items.select_related("task__owner", "carried_task__owner"))
    carried = [i for i in items if i.kind == ItemKind.CARRIED and i.carried_task]
    decided = [i for i in items if hasattr(i, "task")]
    when = f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日"
    opening = f"{when}，{meeting.chair or '县领导'}主持召开{meeting.title}"
    opening += f"（{meeting.place}）" if meeting.place else ""
    opening += f"，听取了{len(items)}项议题的情况汇报，研究解决项目建设中遇到的问题。现纪要如下："
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
                f"{_numbered(n)}{task.decision}（{task.owner.name}，{task.deadline:%Y年%-m月%-d日}前）：{state}。"
            )
    heading = "二、会议议定事项" if carried else "一、会议议定事项"
    paragraphs.append(f"{heading}。" if decided else f"{heading}：本次会议未形成新的议定事项。")
    for n, item in enumerate(decided, start=1):
        task = item.task
        paragraphs.append(
            f"{_numbered(n)}关于{item.title.rstrip('。')}。{task.decision}责任单位：{task.owner.name}；"
            f"完成时限：{task.deadline.year}年{task.deadline.month}月{task.deadline.day}日。"
        )
    table = TableSpec(
        title="会议议定事项清单",
        headers=["序号", "议题", "议定事项", "责任单位", "完成时限"],
        wide={0: 10, 1: 45, 2: 60, 3: 22},
        empty="本次会议未形成议定事项。",
    )
    for n, item in enumerate(decided, start=1):
        cells = [str(n), item.title, item.task.decision, item.task.owner.name, f"{item.task.deadline:%Y-%m-%d}"]
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
