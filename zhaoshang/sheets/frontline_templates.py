"""Templates of the front line's sheets (招商一线): the importers' headers with a comment on each and drop-downs for
单位, 领导类别, 来源, 方式 (and the projects a follow-up may name), so a team on the road fills them in WPS on a phone
or laptop without looking anything up."""

from zhaoshang.frontline.models import FollowUpWay, LeaderCategory, LeadSource
from zhaoshang.org.models import Unit
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.models import Project, Stage
from zhaoshang.sheets.frontline_imports import LEAD_COLUMNS, FollowUpsImporter, ReceptionsImporter, TripsImporter
from zhaoshang.sheets.record_imports import is_command
from zhaoshang.sheets.templates_xlsx import Column, Template, projects_template

DAY_HINT = "YYYY-MM-DD，例如 2026-05-18"


def _unit_names(actor) -> list[str] | None:
    units = Unit.objects.filter(is_active=True)
    if not is_command(actor):
        units = units.writable_by(actor)
    return list(units.order_by("path").values_list("name", flat=True)) or None


def _commented(headers: list[str], comments: dict, options: dict, widths: dict, numbers=()) -> list[Column]:
    """The importer's own headers, in its order, so a template and its importer cannot drift apart."""
    return [Column(h, comments[h], widths.get(h, 13), options.get(h), number=h in numbers) for h in headers]


def trips_template(*, actor, month, year) -> Template:
    comments = {
        "单位": "外出招商的单位（乡镇、园区、部门、招商小分队、驻外联络处），您可填报的单位之一",
        "出发日期": DAY_HINT + "；按出发日期计入当月",
        "返回日期": DAY_HINT + "；当天返回可留空",
        "目的地": "城市或地区，例如 深圳、长三角",
        "带队领导": "带队领导姓名",
        "领导类别": "党政主要负责同志、其他县级领导、部门乡镇负责人、工作人员之一",
        "参加人数": "含带队领导，整数，至少1人",
        "拜访企业数": "本次拜访的企业家数，整数；可留空",
        "接洽成果": "签约意向、形成线索等；可留空",
    }
    options = {"单位": _unit_names(actor), "领导类别": LeaderCategory.values}
    widths = {"单位": 18, "目的地": 14, "接洽成果": 36}
    columns = _commented(TripsImporter.headers, comments, options, widths, ("参加人数", "拜访企业数"))
    return Template("外出招商", columns)


def receptions_template(*, actor, month, year) -> Template:
    comments = {
        "单位": "接待的单位，您可填报的单位之一",
        "日期": DAY_HINT,
        "来访企业": "企业全称",
        "来访人员": "姓名、职务；可留空",
        "事由": "考察、洽谈等；可留空",
        "成果": "可留空",
    }
    widths = {"单位": 18, "来访企业": 28, "来访人员": 20, "成果": 30}
    columns = _commented(ReceptionsImporter.headers, comments, {"单位": _unit_names(actor)}, widths)
    return Template("接待客商", columns)


def leads_template(*, actor, month, year) -> Template:
    ledger = projects_template(actor=actor, month=month, year=year)
    for column in ledger.columns:  # the ledger's columns, as a lead's: stages 线索 and 在谈 only, codes optional
        if column.header == "项目编号":
            column.comment = "留空则由系统自动编号；已登记的线索填其编号则更新该线索"
        elif column.header == "项目阶段":
            column.comment = "线索或在谈；留空为线索"
            column.options = [Stage.LEAD, Stage.NEGOTIATING]
        elif column.header == "资金类型":
            column.comment = "内资（金额填万元）或外资（金额填万美元）；拟投资额填在“计划总投资(万元)”"
    comments = {
        "登记日期": DAY_HINT + "；留空为导入当天；不能晚于今天",
        "来源": "自主对接、以商招商、中介机构、驻外联络处、平台活动、上级推送、其他之一；留空为自主对接",
        "引荐人": "引荐人姓名，可留空",
        "首问负责人": "责任单位的账号：用户名或姓名（重名时填用户名）；可留空，须在登记后1个工作日内确定",
    }
    options = {"来源": LeadSource.values}
    extra = [Column(h, comments[h], 14, options.get(h)) for h in LEAD_COLUMNS.values()]
    return Template("招商线索", ledger.columns + extra)


def followups_template(*, actor, month, year) -> Template:
    projects = Project.objects.exclude(stage=Stage.DROPPED)
    if not is_command(actor):
        projects = projects.readable_by(actor).filter(responsible_unit_id__in=editable_unit_ids(actor))
    codes = list(projects.order_by("code").values_list("code", flat=True)[:1000])
    comments = {
        "项目编号": "您单位负责的项目或线索的编号（终止的除外）",
        "日期": DAY_HINT + "；不能晚于今天",
        "方式": "电话、拜访、来访、视频、其他之一",
        "参加人员": "我方及对方参加人员；可留空",
        "内容": "洽谈的内容，必填",
        "下一步": "下一步安排；可留空",
        "下一步日期": DAY_HINT + "；可留空，不能早于跟进日期",
    }
    options = {"项目编号": codes or None, "方式": FollowUpWay.values}
    widths = {"项目编号": 16, "参加人员": 20, "内容": 40, "下一步": 24, "下一步日期": 12}
    return Template("跟进记录", _commented(FollowUpsImporter.headers, comments, options, widths))


FRONTLINE_TEMPLATES = {
    "trips": trips_template,
    "receptions": receptions_template,
    "leads": leads_template,
    "followups": followups_template,
}
