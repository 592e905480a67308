"""The lead register as xlsx rows: what the 招商线索 list shows for its filters, every page of it. The ledger's
项目台账 columns first (so a lead is read like any project), then the register's. Rows from values_list(), written
by core.files (text escaped), streamed or made in the background like the other lists."""

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from zhaoshang.chains.refs import ref_label
from zhaoshang.core.files import Export
from zhaoshang.core.periods import today
from zhaoshang.frontline.queries import filtered_leads, narrowed

HEADERS = [
    "项目编号",
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "资金类型",
    "责任单位",
    "招商小分队",
    "产业链",
    "项目阶段",
    "拟投资额(万元)",
    "来源",
    "引荐人",
    "首问负责人",
    "登记日期",
    "引荐人联系方式",
    "投资方联系人",
    "投资方联系电话",
    "用地需求",
    "用能需求",
    "环境需求",
    "项目概况",
    "研判结果",
    "研判日期",
    "研判意见",
    "告知引荐方日期",
]
COLUMNS = (
    "project__code",
    "project__name",
    "project__investor",
    "project__credit_code",
    "project__funding_type",
    "project__responsible_unit__name",
    "team_name",
    "project__industry_chain",
    "project__stage",
    "project__planned_total",
    "source",
    "referrer",
    "first_responsible_name",
    "registered_on",
    "referrer_contact",
    "investor_contact",
    "investor_phone",
    "land_need",
    "energy_need",
    "environment_need",
    "summary",
    "judgement_words",
    "judged_on",
    "judgement_reason",
    "referrer_told_on",
)


def lead_rows(leads):
    named = leads.annotate(
        team_name=Coalesce(F("project__team__name"), Value("")),
        first_responsible_name=Coalesce(
            NullIf(F("first_responsible__full_name"), Value("")), F("first_responsible__username"), Value("")
        ),
        judgement_words=Coalesce(NullIf(F("judgement"), Value("")), Value("待研判")),
    )
    at = COLUMNS.index("project__industry_chain")
    for row in named.values_list(*COLUMNS, "project__chain__name", "project__chain_link__name").iterator(
        chunk_size=2000
    ):
        *row, chain, link = row
        row[at] = ref_label(chain, link, row[at])  # `链/环节`, or the old text of a lead not yet mapped
        yield row


def leads_export(user, params) -> Export:
    """Exactly what the page lists for these filters (逾期 and 长期未跟进 included), every page of it."""
    form, leads = filtered_leads(user, params)
    leads = narrowed(form, leads, today())
    return Export("招商线索.xlsx", [("招商线索", HEADERS, lead_rows(leads))], leads.count)
