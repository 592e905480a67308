"""Templates to fill in Excel or WPS, one per sheet of the spreadsheet contract (README): the exact headers, a
comment on each header with what to write and in which unit, drop-down lists for every enumeration (kept on a
hidden 选项 sheet), and rows already filled in where that saves typing: a unit's projects for the month, the
year's key projects, the units × indicators of the targets, the units of the tree. A filled-in template re-imports
as "unchanged"."""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

import xlsxwriter

from zhaoshang.core.files import write_cell
from zhaoshang.core.periods import format_month
from zhaoshang.org.accounts import managed_groups, managed_units
from zhaoshang.org.models import Unit, UnitKind
from zhaoshang.progress.economy import ECONOMIC_INDICATORS
from zhaoshang.progress.models import EconomicFigure, Target
from zhaoshang.projects.indicators import TARGETED
from zhaoshang.projects.models import AnnualPlan, FundingType, Project, Stage
from zhaoshang.sheets.account_import import ROLES as ACCOUNT_ROLES
from zhaoshang.sheets.record_imports import KEY_LEVELS, ProjectsImporter

ROWS_VALIDATED = 2000  # drop-downs and number checks reach this far below the header


@dataclass
class Column:
    header: str
    comment: str
    width: int = 14
    options: list[str] | None = None  # a drop-down list
    number: bool = False  # a non-negative number check
    signed: bool = False  # any number (a growth rate)


@dataclass
class Template:
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    notes: list[tuple[str, int]] = field(default_factory=list)  # (reference header, width) right of the data


def render(template: Template) -> bytes:
    buffer = BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(template.title)
    header = book.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    hint = book.add_format({"font_color": "#6B7785", "italic": True})
    options = book.add_worksheet("选项")
    list_col = 0
    for col, column in enumerate(template.columns):
        sheet.write_string(0, col, column.header, header)
        sheet.write_comment(0, col, column.comment, {"x_scale": 2.2, "y_scale": 1.6})
        sheet.set_column(col, col, column.width)
        if column.options:
            for r, option in enumerate(column.options):
                options.write_string(r, list_col, option)
            letter = xlsxwriter.utility.xl_col_to_name(list_col)
            sheet.data_validation(
                1,
                col,
                ROWS_VALIDATED,
                col,
                {
                    "validate": "list",
                    "source": f"=选项!${letter}$1:${letter}${len(column.options)}",
                    "error_title": column.header,
                    "error_message": f"请从下拉列表中选择{column.header}",
                },
            )
            list_col += 1
        elif column.number or column.signed:
            rule = {"validate": "decimal", "error_message": f"{column.header}应为数字"}
            rule.update(
                {"criteria": ">=", "value": 0}
                if column.number
                else {"criteria": "between", "minimum": -1e9, "maximum": 1e12}
            )
            if column.number:
                rule["error_message"] = f"{column.header}应为不小于0的数字"
            sheet.data_validation(1, col, ROWS_VALIDATED, col, rule)
    options.hide()
    first_note = len(template.columns) + 1
    for offset, (title, width) in enumerate(template.notes):
        sheet.write_string(0, first_note + offset, title, hint)
        sheet.set_column(first_note + offset, first_note + offset, width)
    width = len(template.columns)
    for r, values in enumerate(template.rows, start=1):
        for c, value in enumerate(values):
            target = c if c < width else c + 1  # notes sit one empty column to the right of the data
            cell_format = hint if c >= width else None
            if isinstance(value, date):
                sheet.write_string(r, target, value.isoformat(), cell_format)
            else:
                write_cell(sheet, r, target, value, cell_format)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


# --- One template per kind ------------------------------------------------------------------------------------------

MONTH_HINT = "YYYY-MM，例如 2026-05；也可以填日期"
AMOUNT_HINT = "不能为负，最多两位小数"


def units_template(*, actor, month, year) -> Template:
    units = list(managed_units(actor).select_related("parent", "group").order_by("path"))
    return Template(
        "单位",
        [
            Column("单位名称", "单位全称，按名称新建或更新", 24),
            Column("单位类型", "市、县区、乡镇、街道、园区、部门、招商小分队之一", 12, UnitKind.values),
            Column("上级单位", "已有的单位，或本表前面行中的单位；顶级单位留空", 24, [u.name for u in units] or None),
            Column(
                "考核组",
                "单位参加排名的考核组；首次出现的考核组会自动新建；留空表示不参与考核排名",
                14,
                sorted(set(managed_groups(actor).values_list("name", flat=True))) or None,
            ),
            Column("起始月份", "从该月起计入单位数、排名和应上报单位，YYYY-MM；留空表示一直计入", 12),
            Column("截止月份", "计入到该月为止（含），YYYY-MM；留空表示一直计入", 12),
        ],
        [
            [
                u.name,
                u.kind,
                u.parent.name if u.parent_id else "",
                u.group.name if u.group_id else "",
                format_month(u.effective_from) if u.effective_from else "",
                format_month(u.effective_to) if u.effective_to else "",
            ]
            for u in units
        ],
    )


def projects_template(*, actor, month, year) -> Template:
    importer = ProjectsImporter(actor)
    names = importer.headers
    comments = {
        "项目编号": "唯一编号；已有编号则更新该项目",
        "项目名称": "必填",
        "投资方": "企业全称",
        "统一社会信用代码": "18位，按 GB 32100 校验",
        "资金类型": "内资（金额填万元）或外资（金额填万美元）",
        "责任单位": "您可填报的单位之一",
        "招商小分队": "可留空",
        "包保领导": "县领导姓名，可留空",
        "产业链": "产业链名称，或“产业链/环节”（例如 新能源汽车/动力电池）；本县尚未建立产业链时照原样保存；可留空",
        "项目阶段": "线索、在谈、签约、注册、开工、投产；已有项目只能逐级前进",
        "签约日期": "YYYY-MM-DD；签约及以后阶段必填",
        "协议资金": "内资填万元，外资填万美元；" + AMOUNT_HINT,
        "计划总投资(万元)": "万元；" + AMOUNT_HINT,
        "开工日期": "YYYY-MM-DD；开工及以后阶段必填",
        "投产日期": "YYYY-MM-DD；投产阶段必填",
        "重点项目级别": "省重点、市重点、县重点，非重点项目留空",
    }
    choices = {
        "资金类型": FundingType.values,
        "责任单位": sorted(importer.scope),
        "招商小分队": sorted(importer.teams) or None,
        "项目阶段": [s for s in Stage.values if s != Stage.DROPPED],
        "重点项目级别": KEY_LEVELS,
    }
    widths = {"项目名称": 28, "投资方": 28, "统一社会信用代码": 22, "责任单位": 16}
    columns = [
        Column(
            name,
            comments[name],
            widths.get(name, 13),
            choices.get(name),
            number=name in ("协议资金", "计划总投资(万元)"),
        )
        for name in names
    ]
    return Template("项目台账", columns)


def monthly_template(kind: str, *, actor, month, year) -> Template:

    projects = (
        Project.objects.writable_by(actor)
        .exclude(stage__in=[Stage.LEAD, Stage.NEGOTIATING, Stage.DROPPED])
        .order_by("code")
    )
    if kind == "investment":  # every signed project's, key or not: a county's sheet lists all under construction
        amount = Column("本月完成投资(万元)", "项目当月完成投资，万元；" + AMOUNT_HINT, 18, number=True)
    else:
        amount = Column(
            "到位资金", "当月实际到位金额：内资项目填万元，外资项目填万美元；" + AMOUNT_HINT, 18, number=True
        )
    projects = list(projects)
    codes = [p.code for p in projects]
    return Template(
        amount.header.split("(")[0],
        [Column("项目编号", "台账中的项目编号，必须已存在", 16, codes or None), Column("月份", MONTH_HINT, 10), amount],
        [[p.code, format_month(month), None, p.name, f"{p.funding_type}，{p.amount_unit}"] for p in projects],
        [("项目名称（参考，不导入）", 30), ("资金类型与单位（参考，不导入）", 20)],
    )


def plans_template(*, actor, month, year) -> Template:

    projects = list(
        Project.objects.writable_by(actor)
        .exclude(stage__in=[Stage.LEAD, Stage.NEGOTIATING, Stage.DROPPED])
        .order_by("code")
    )
    plans = dict(AnnualPlan.objects.filter(project__in=projects, year=year).values_list("project_id", "amount"))
    return Template(
        "年度投资计划",
        [
            Column(
                "项目编号",
                "已签约项目的项目编号（重点项目与非重点项目均可填报）",
                16,
                [p.code for p in projects] or None,
            ),
            Column("年度", "四位年份，例如 2026", 8),
            Column("年度计划投资(万元)", "该年度计划完成投资，万元；" + AMOUNT_HINT, 18, number=True),
        ],
        [[p.code, year, plans.get(p.pk), p.name, p.key_level] for p in projects],
        [("项目名称（参考，不导入）", 30), ("重点项目级别（参考，非重点项目为空）", 14)],
    )


def targets_template(*, actor, month, year) -> Template:

    units = list(Unit.objects.writable_by(actor).filter(is_active=True).exclude(group=None))
    values = {(t.unit_id, t.indicator): t.value for t in Target.objects.filter(year=year, unit__in=units)}
    rows = [[u.name, year, i.name, values.get((u.pk, i.code)), i.unit] for u in units for i in TARGETED]
    return Template(
        "目标任务",
        [
            Column("单位", "参加考核的单位", 18, [u.name for u in units] or None),
            Column("年度", "四位年份，例如 2026", 8),
            Column("指标", "指标名称，从下拉列表选择", 24, [i.name for i in TARGETED]),
            Column("目标值", "全年目标，单位见右侧说明；个数填整数；留空的行不导入", 14, number=True),
        ],
        [r for r in rows],
        [("单位（参考）", 10)],
    )


def indicators_template(*, actor, month, year) -> Template:
    regions = list(EconomicFigure.objects.order_by("region").values_list("region", flat=True).distinct())
    existing = {(f.region, f.indicator): f for f in EconomicFigure.objects.filter(month=month, region__in=regions)}
    rows = []
    for region in regions:
        for code, name in ECONOMIC_INDICATORS:
            figure = existing.get((region, code))
            rows.append(
                [
                    region,
                    format_month(month),
                    name,
                    figure.cumulative if figure else None,
                    figure.growth_pct if figure else None,
                ]
            )
    return Template(
        "经济指标",
        [
            Column("地区", "县（市、区）名称，与全市排名中的名称一致", 14),
            Column("月份", MONTH_HINT, 10),
            Column("指标", "统计指标名称，从下拉列表选择", 20, [name for _, name in ECONOMIC_INDICATORS]),
            Column("累计值", "1月至当月累计，万元；" + AMOUNT_HINT, 14, number=True),
            Column("同比增长(%)", "同比增长百分数，下降填负数，例如 -3.5", 14, signed=True),
        ],
        rows,
    )


def accounts_template(*, actor, month, year) -> Template:
    units = list(managed_units(actor).filter(is_active=True).order_by("path").values_list("name", flat=True))
    return Template(
        "账号",
        [
            Column("用户名", "登录用的用户名：字母、数字和 @ . + - _；不能与已有账号重复（不分大小写）", 16),
            Column("姓名", "必填", 12),
            Column("单位", "您管理的单位之一", 24, units or None),
            Column("角色", "部门人员须属于部门类单位", 16, list(ACCOUNT_ROLES)),
            Column("手机", "可留空", 16),
            Column(
                "初始密码",
                "可留空：留空则由系统生成，确认导入时在结果文件中给出（仅此一次）。"
                "填写则须至少8位，含大写字母、小写字母、数字、符号中的至少三类。首次登录须修改密码",
                18,
            ),
        ],
    )


TEMPLATE_BUILDERS = {
    "units": units_template,
    "projects": projects_template,
    "funds": lambda **kw: monthly_template("funds", **kw),
    "plans": plans_template,
    "investment": lambda **kw: monthly_template("investment", **kw),
    "targets": targets_template,
    "indicators": indicators_template,
    "accounts": accounts_template,
}


def template_bytes(kind: str, *, actor, month: date) -> bytes:
    # The front line's templates build on this module's Column and Template, so they are looked up here.
    from zhaoshang.sheets.assessment_import import assessment_inputs_template  # noqa: PLC0415
    from zhaoshang.sheets.carrier_import import carriers_template  # noqa: PLC0415
    from zhaoshang.sheets.chain_templates import CHAIN_TEMPLATES  # noqa: PLC0415
    from zhaoshang.sheets.enterprise_imports import enterprises_template  # noqa: PLC0415
    from zhaoshang.sheets.frontline_templates import FRONTLINE_TEMPLATES  # noqa: PLC0415

    builders = {
        **TEMPLATE_BUILDERS,
        **FRONTLINE_TEMPLATES,
        **CHAIN_TEMPLATES,
        "enterprises": enterprises_template,
        "carriers": carriers_template,
        "assessment_inputs": assessment_inputs_template,
    }
    builder = builders[kind]
    return render(builder(actor=actor, month=month, year=month.year))
