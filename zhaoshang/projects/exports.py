"""The ledger as xlsx rows: what the 项目台账 list shows, every page of it, in the template's columns, so an export
re-imports unchanged (sheets' ledger import reads the same LEDGER_HEADERS). Written by core.files.

Rows come from values_list(), the names of the unit and team by join: no ORM object per row."""

from zhaoshang.chains.refs import ref_label
from zhaoshang.core.files import Export
from zhaoshang.projects import services
from zhaoshang.projects.forms import ProjectFilterForm
from zhaoshang.projects.models import Project

# The 项目台账 template's headers, so an export of the ledger is a filled-in template.
LEDGER_HEADERS = [
    "项目编号",
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "资金类型",
    "责任单位",
    "招商小分队",
    "包保领导",
    "产业链",
    "项目阶段",
    "签约日期",
    "协议资金",
    "计划总投资(万元)",
    "开工日期",
    "投产日期",
    "重点项目级别",
]


# The database columns of LEDGER_HEADERS, in order: the 项目台账 template's fields (the sheet and the export are
# one layout), the related units by name.
RELATED_NAMES = {"responsible_unit": "responsible_unit__name", "team": "team__name"}
LEDGER_FIELDS = tuple(RELATED_NAMES.get(field, field) for field in services.LEDGER_FIELDS)
TEAM = LEDGER_FIELDS.index("team__name")
CHAIN = LEDGER_FIELDS.index("industry_chain")


def ledger_rows(projects):
    """The 产业链 column is `链/环节` (chains.refs), or the old text of a project not yet mapped to a chain."""
    for row in projects.values_list(*LEDGER_FIELDS, "chain__name", "chain_link__name").iterator(chunk_size=2000):
        *row, chain, link = row
        if row[TEAM] is None:
            row[TEAM] = ""
        row[CHAIN] = ref_label(chain, link, row[CHAIN])
        yield row


def ledger_projects(user, params):
    """The projects the ledger page lists for these filters (its query string), newest first."""
    form = ProjectFilterForm(params or None, user=user)
    return form.apply(Project.objects.readable_by(user)).order_by("-id")


def ledger_export(user, params) -> Export:
    """Exactly what the page shows for these filters, every page of it."""
    projects = ledger_projects(user, params)
    return Export("项目台账.xlsx", [("项目台账", LEDGER_HEADERS, ledger_rows(projects))], projects.count)
