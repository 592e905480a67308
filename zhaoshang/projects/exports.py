"""The ledger as xlsx rows: what the 项目台账 list shows, every page of it, in the template's columns, so an export
re-imports unchanged (sheets' ledger import reads the same LEDGER_HEADERS). Written by core.files."""

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


def ledger_rows(projects):
    for p in projects.iterator(chunk_size=2000):
        yield [
            p.code,
            p.name,
            p.investor,
            p.credit_code,
            p.funding_type,
            p.responsible_unit.name,
            p.team.name if p.team_id else "",
            p.leader_in_charge,
            p.industry_chain,
            p.stage,
            p.signed_on,
            p.contract_amount,
            p.planned_total,
            p.started_on,
            p.production_on,
            p.key_level,
        ]
