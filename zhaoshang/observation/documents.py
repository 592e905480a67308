"""An event's results as files: the xlsx (units ranked by group, projects with each judge's total) and the docx
观摩评比结果, a 公文 laid out by core.redhead with the tables in its annex (core.gongwen: a table style with copied
rows)."""

from zhaoshang.bulletins.office import letterhead_for
from zhaoshang.core.gongwen import Row, TableSpec
from zhaoshang.core.money import format_amount, round_half_up
from zhaoshang.core.periods import today
from zhaoshang.core.redhead import Block, Gongwen, chinese_date, render_gongwen
from zhaoshang.observation.results import Results

UNIT_HEADERS = ["考核组", "名次", "单位", "观摩项目数", "得分"]
PROJECT_HEADERS = ["序号", "项目编号", "项目名称", "责任单位", "得分"]


def _shown(value) -> str:
    return format_amount(value) if value is not None else "—"


def _number(value):
    """A result for the spreadsheet: a number to two decimals (half-up), blank when there is none."""
    return round_half_up(value) if value is not None else None


def unit_rows(results: Results):
    for name, units in results.groups():
        for u in units:
            yield [name, u.rank, u.unit.name, len(u.projects), _number(u.result)]


def project_rows(results: Results):
    for index, p in enumerate(results.projects, start=1):
        totals = [_number(p.totals.get(j.pk)) for j in results.submitted]
        yield [index, p.visit.project.code, p.visit.project.name, p.visit.unit.name, *totals, _number(p.result)]


def xlsx_sheets(results: Results) -> list:
    judges = [f"{j.name}合计" for j in results.submitted]
    return [
        ("单位得分", UNIT_HEADERS, list(unit_rows(results))),
        ("项目得分", PROJECT_HEADERS[:4] + judges + ["项目得分"], list(project_rows(results))),
    ]


def filename(results: Results, ext: str) -> str:
    return f"{results.event.name}评比结果.{ext}"


def _rule_words(results: Results) -> str:
    if results.trimmed:
        return f"共{len(results.submitted)}名评委评分，每个项目去掉一个最高分和一个最低分后取平均分"
    return f"共{len(results.submitted)}名评委评分，每个项目取各评委得分的平均分"


def render_docx(results: Results) -> bytes:
    event = results.event
    head = letterhead_for(event.owner)
    criteria = "、".join(f"{c.name}{format_amount(c.full_marks, places=1)}分" for c in results.criteria)
    body = [
        Block(
            f"{event.date:%Y年%-m月%-d日}，{event.owner.name}组织开展{event.name}，现场观摩项目{len(results.projects)}个。"
            f"评分项目为{criteria}，满分{format_amount(results.full_marks, places=1)}分。{_rule_words(results)}；"
            "单位得分为其观摩项目得分的平均值（设置权重的按权重加权）。现将评比结果通报如下。"
        )
    ]
    for name, units in results.groups():
        first = [u.unit.name for u in units if u.rank == 1]
        if first:
            body.append(Block(f"{'、'.join(first)}位列第一。", lead=f"{name}。"))
    unit_spec = TableSpec(
        title="各单位观摩评比得分及排名",
        headers=UNIT_HEADERS,
        numeric={1, 3, 4},
        wide={0: 30, 2: 60},
        rows=[
            Row([name, str(rank or "—"), unit, str(count), _shown(result)], [name, rank, unit, count, result])
            for name, rank, unit, count, result in unit_rows(results)
        ],
    )
    project_spec = TableSpec(
        title="观摩项目得分",
        headers=PROJECT_HEADERS,
        numeric={0, 4},
        wide={0: 12, 1: 32, 2: 70, 3: 32, 4: 20},
        rows=[
            Row(
                [str(v) for v in (i, p.visit.project.code, p.visit.project.name, p.visit.unit.name, _shown(p.result))],
                [],
            )
            for i, p in enumerate(results.projects, start=1)
        ],
    )
    return render_gongwen(
        Gongwen(
            mark=head["mark"],
            doc_number="（发文字号待定）",
            title=f"关于{event.name}评比结果的通报",
            addressee=head["addressee"],
            body=body,
            signature=head["issuer"],
            date_text=chinese_date(today()),
            printer=head["printer"],
            copy_to=head.get("copy_to", ""),
            annex_title=f"{event.name}评比结果",
            annex=[unit_spec, project_spec],
        )
    )
