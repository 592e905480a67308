"""The bulletin as a 公文 (or a 简报): its parts from the snapshot and what issuing fixed (发文字号, 期号, the
office's settings, 工作要求); core.redhead lays them out. The page shows the same parts (bulletin.html)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from zhaoshang.bulletins.office import letterhead_for
from zhaoshang.bulletins.tables import bulletin_tables
from zhaoshang.bulletins.text import area_words, period_words
from zhaoshang.core.formats import chinese_number
from zhaoshang.core.periods import parse_month, today
from zhaoshang.core.redhead import Block, Gongwen, chinese_date

FORMS = {"gongwen": "公文", "brief": "简报"}  # the two forms of one bulletin, chosen at download


@dataclass
class Issue:
    """What issuing fixed, or for a draft what it would be."""

    letterhead: dict
    doc_number: str
    issue_no: int | None
    day: date
    requirements: str
    draft: bool


def annex_choice(issue: Issue) -> list[str] | None:
    """The annex columns the issuing office chose (None: the default set)."""
    return issue.letterhead.get("annex_columns") or None


def issue_of(bulletin) -> Issue:
    return Issue(
        letterhead=bulletin.letterhead or letterhead_for(bulletin.unit),  # bulletins issued before the settings
        doc_number=bulletin.doc_number,
        issue_no=bulletin.issue_no,
        day=timezone.localdate(bulletin.issued_at),
        requirements=bulletin.requirements,
        draft=False,
    )


def draft_issue(unit) -> Issue:
    return Issue(letterhead_for(unit), "", None, today(), "", draft=True)


def title_lines(title: str) -> str:
    """A title too long for one line of 2号 (20 characters) breaks where its words do: before 招商引资."""
    if len(title) > 20 and "招商引资" in title:
        head, _, tail = title.partition("招商引资")
        return f"{head}\n招商引资{tail}"
    return title


def _subject(snapshot: dict) -> str:
    month = parse_month(snapshot["period"])
    return f"{month.year}年{period_words(month.month)}{snapshot['unit']}招商引资和项目建设情况"


def _lists_blocks(snapshot: dict) -> list[Block]:
    """Each group's red and black lists in a sentence, (一)(二)… in 楷体; the rankings are the annex."""
    groups: dict[str, tuple[list, list]] = {}
    for unit in snapshot["units"]:
        if not unit.get("assessed", unit["group"] is not None):  # no group: never ranked nor listed
            continue
        red, black = groups.setdefault(unit["group"], ([], []))
        if unit["red"]:
            red.append(unit["name"])
        if unit["black"]:
            black.append(unit["name"])
    blocks = []
    for n, (group, (red, black)) in enumerate(groups.items(), start=1):
        red_words = f"列入红榜的有{'、'.join(red)}" if red else "无单位列入红榜"
        black_words = f"列入黑榜的有{'、'.join(black)}" if black else "无单位列入黑榜"
        blocks.append(Block(f"{red_words}；{black_words}。", lead=f"（{chinese_number(n)}）{group}。"))
    return blocks


def pace_blocks(snapshot: dict) -> list[Block]:
    """冲刺, opening the 工作要求: the units furthest behind 序时 and what each remaining month must bring them
    (snapshot["pace"]; a bulletin issued before it has none, and its 工作要求 stays as issued)."""
    pace = snapshot.get("pace") or {}
    units = pace.get("units") or []
    if not units:
        return []
    month = parse_month(snapshot["period"]).month
    if month == 12:
        lead = "对照全年目标任务，以下单位未完成全年目标，要认真查找原因，在新的一年奋起直追："
    else:
        goal = "奋力冲刺“双过半”和全年目标" if month < 6 else "确保完成全年目标"
        lead = f"对照全年目标任务，以下单位低于序时进度，要紧盯剩余月份的任务，倒排工期、挂图作战，{goal}："
    blocks = [Block(lead)]
    blocks.extend(Block(f"{unit['name']}{unit['sentence']}") for unit in units)
    rest = pace.get("total", len(units)) - len(units)
    if rest > 0:
        blocks.append(Block(f"另有{rest}个单位低于序时进度，排名情况详见附件。"))
    return blocks


def body_blocks(snapshot: dict, requirements: str, *, brief: bool = False) -> list[Block]:
    area = area_words(snapshot.get("unit_kind", ""), snapshot["unit"])
    month = parse_month(snapshot["period"])
    subject = f"{month.year}年{period_words(month.month)}{area}招商引资和项目建设情况"
    blocks = [] if brief else [Block(f"现将{subject}通报如下。")]  # a 简报 reports; only a 通报 通报s
    sections = [("总体情况", [Block(p) for p in snapshot["text"].split("\n") if p])]
    lists = _lists_blocks(snapshot)
    if lists:
        lists.append(Block("各考核组排名情况详见附件。"))
        sections.append(("红黑榜情况", lists))
    closing = [*pace_blocks(snapshot), *(Block(p.strip()) for p in requirements.split("\n") if p.strip())]
    if closing:
        sections.append(("工作要求", closing))
    for n, (heading, paragraphs) in enumerate(sections, start=1):
        blocks.append(Block(f"{chinese_number(n)}、{heading}", level=1))
        blocks.extend(paragraphs)
    return blocks


def bulletin_document(
    snapshot: dict, title: str, issue: Issue, form: str = "gongwen", columns: list[str] | None = None
) -> Gongwen:
    head = issue.letterhead
    brief = form == "brief"
    if issue.draft:
        number, issue_label = "（草稿，印发时编号）", "第　期（草稿）"
    else:
        number = issue.doc_number or "（未编号）"
        issue_label = f"第{issue.issue_no}期" if issue.issue_no else ""
    return Gongwen(
        mark=head["mark"],
        doc_number=number,
        title=title_lines(_subject(snapshot) if brief else title),
        addressee=head["addressee"],
        body=body_blocks(snapshot, issue.requirements, brief=brief),
        signature=head["issuer"],
        date_text=chinese_date(issue.day),
        printer=head["printer"],
        copy_to=head["copy_to"],
        annex_title=f"{_subject(snapshot)}统计表",
        annex=bulletin_tables(snapshot, columns if columns is not None else annex_choice(issue)),
        draft=issue.draft,
        brief_name=head["brief_name"],
        brief_issue=issue_label,
    )
