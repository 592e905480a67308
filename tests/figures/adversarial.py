"""Adversarial rows added to the demo county the way its users would add them: through the services, as the
county's bureau, after reopening the closed months they touch (with a reason, audited).

Group 对抗测试组 (红榜 N = 1, 黑榜 M = 1), year 2026, 实际到位内资 targets:
    甲新区 (1000, no project of its own: figures only in its two parks below it)
    ├── 甲新区一园 (no group)       a project moved to it in July from 己镇, one signed in June, funds in November
    └── 甲新区二园 (in the group)   no target in a group with targets: no rank
    乙镇 1000 (monthly split)      signed in December 2025, started January 2026; 500 arrived in February → 50%
    丙镇 2000                      1000 arrived → 50%, tied with 乙镇; foreign at exactly 10,000 万元; a key project
    丁镇 1000, 戊镇 500            nothing arrived: tied at 0% straddling the bottom-1 line
    己镇 (no target)               new teams' projects: one only advanced a stage (today), one created at 开工
    庚镇 (target 0)                dropped after signing; one dropped before signing
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from zhaoshang.closing.models import ClosedMonth
from zhaoshang.closing.services import month_reopen
from zhaoshang.core.periods import today
from zhaoshang.org.models import AssessmentGroup, Unit, User
from zhaoshang.org.services import group_save, unit_save
from zhaoshang.progress.models import Target
from zhaoshang.progress.services import target_split_set, targets_save
from zhaoshang.projects import figures, services
from zhaoshang.projects.models import Project

Y = 2026
ARRIVED = "domestic_arrived_wan"


def _d(text) -> Decimal:
    return Decimal(str(text))


class Builder:
    def __init__(self):
        self.bureau = User.objects.get(username="bureau")
        self.root = Unit.objects.get(parent=None)
        self.n = 0

    def reopen(self):
        """The bureau reopens every closed month from December 2025 to correct the ledger."""
        for closed in ClosedMonth.objects.filter(month__gte=date(Y - 1, 12, 1)).order_by("month"):
            month_reopen(actor=self.bureau, month=closed.month, unit=closed.unit, reason="补录和更正台账数据")

    def unit(self, name, kind, parent=None, group=None) -> Unit:
        return unit_save(actor=self.bureau, unit=Unit(name=name, kind=kind, parent=parent or self.root, group=group))

    def project(self, unit, **values) -> Project:
        self.n += 1
        values = {
            "code": f"DK{self.n:04d}",
            "name": f"对抗测试项目{self.n}",
            "investor": f"对抗测试投资有限公司{self.n}",
            "funding_type": "内资",
            "responsible_unit": unit,
            "stage": "签约",
            **values,
        }
        return services.project_create(actor=self.bureau, values=values)

    def stage(self, project, to_stage, on, **kwargs):
        services.project_change_stage(actor=self.bureau, project=project, to_stage=to_stage, on_date=on, **kwargs)

    def funds(self, project, month, amount):
        figures.monthly_funds_set(actor=self.bureau, project=project, month=date(Y, month, 1), amount=_d(amount))

    def update(self, project, **values):
        project.refresh_from_db()
        return services.project_update(actor=self.bureau, project=project, values=values)


def add_adversarial_rows() -> dict:
    b = Builder()
    b.reopen()
    group = group_save(actor=b.bureau, group=AssessmentGroup(name="对抗测试组", red_top_n=1, black_bottom_m=1))
    u = {}
    u["甲新区"] = b.unit("甲新区", "园区", group=group)
    u["甲新区一园"] = b.unit("甲新区一园", "园区", parent=u["甲新区"])
    u["甲新区二园"] = b.unit("甲新区二园", "园区", parent=u["甲新区"], group=group)
    for name in ("乙镇", "丙镇", "丁镇", "戊镇", "己镇", "庚镇"):
        u[name] = b.unit(name, "乡镇", group=group)
    teams = {
        name: b.unit(name, "招商小分队") for name in ("对抗签约招商小分队", "对抗在谈招商小分队", "对抗开工招商小分队")
    }
    notes: dict = {
        "root": b.root.pk,
        "group": group.pk,
        "units": {name: unit.pk for name, unit in u.items()},
        "teams": {name: team.pk for name, team in teams.items()},
    }

    # signed in December, started in January (亿元以上: counted as signed in 2025, as started in 2026 only)
    dec = b.project(
        u["乙镇"], signed_on=date(Y - 1, 12, 10), contract_amount=_d(20000), team=teams["对抗签约招商小分队"]
    )
    b.stage(dec, "注册", date(Y - 1, 12, 20))
    b.stage(dec, "开工", date(Y, 1, 12))
    b.funds(dec, 2, 500)

    # a foreign project at exactly 10,000 万元 at the year's rate, one a cent below, one at exactly 5亿元
    services.usd_rate_set(actor=b.bureau, year=Y, rate=_d("7.8125"))
    exact = b.project(u["丙镇"], funding_type="外资", signed_on=date(Y, 3, 5), contract_amount=_d("1280.00"))
    b.project(u["丙镇"], funding_type="外资", signed_on=date(Y, 3, 6), contract_amount=_d("1279.99"))
    b.project(u["丙镇"], funding_type="外资", signed_on=date(Y, 4, 1), contract_amount=_d("6400"))
    b.funds(exact, 4, 300)
    # exactly 10亿元, signed and started in the same month
    ten = b.project(u["丙镇"], signed_on=date(Y, 5, 10), contract_amount=_d(100000))
    b.stage(ten, "注册", date(Y, 5, 15))
    b.stage(ten, "开工", date(Y, 5, 20))
    # 1000 arrived against 2000: tied with 乙镇 at 50%; a capital increase in September makes it 亿元以上 (counted
    # in its signing month, never counted twice)
    tie = b.project(u["丙镇"], signed_on=date(Y, 1, 20), contract_amount=_d(2000))
    b.funds(tie, 2, 1000)
    b.update(tie, contract_amount=_d(12000))
    # a key project with its plan and monthly 完成投资
    key = b.project(
        u["丙镇"], signed_on=date(Y, 1, 5), contract_amount=_d(9000), key_level="县重点", planned_total=_d(9000)
    )
    figures.annual_plan_set(actor=b.bureau, project=key, year=Y, amount=_d(1200))
    for month in range(1, 11):
        figures.monthly_investment_set(actor=b.bureau, project=key, month=date(Y, month, 1), amount=_d(100))

    # moved to another unit in July: every figure of it moves with it
    moved = b.project(u["己镇"], signed_on=date(Y, 2, 15), contract_amount=_d(8000))
    for month, amount in ((2, 100), (3, 200), (7, 300)):
        b.funds(moved, month, amount)
    b.update(moved, responsible_unit=u["甲新区一园"])
    # figures only in the child units, and funds after the period (November)
    child = b.project(u["甲新区一园"], signed_on=date(Y, 6, 10), contract_amount=_d(3000))
    b.funds(child, 6, 500)
    b.funds(child, 11, 400)
    second = b.project(u["甲新区二园"], signed_on=date(Y, 2, 1), contract_amount=_d(6000))
    b.funds(second, 3, 700)

    # dropped after signing: stays counted; dropped before signing: never counted
    dropped = b.project(u["庚镇"], signed_on=date(Y, 4, 10), contract_amount=_d(5000))
    b.funds(dropped, 4, 100)
    b.stage(dropped, "终止", date(Y, 6, 1), reason="投资方撤资")
    # (a project created at 线索 is dated the day it is entered, so its later stages are dated from today)
    lead = b.project(u["庚镇"], stage="线索")
    b.stage(lead, "在谈", today())
    b.stage(lead, "终止", today(), reason="投资方放弃")
    try:  # a 签约日期 typed on a project dropped while still 在谈
        b.update(lead, signed_on=date(Y, 4, 15), contract_amount=_d(3000))
        notes["signing_after_drop"] = "accepted"
    except ValidationError as exc:
        notes["signing_after_drop"] = f"refused: {exc}"

    # 己镇 (no target): one signing; a team that only advanced a stage (线索 → 在谈, today); a team whose project
    # was created directly at 开工 (signed in February, started in June)
    b.funds(b.project(u["己镇"], signed_on=date(Y, 8, 1), contract_amount=_d(1000)), 8, 50)
    talk = b.project(u["己镇"], stage="线索", team=teams["对抗在谈招商小分队"])
    b.stage(talk, "在谈", today())
    b.project(
        u["己镇"],
        stage="开工",
        signed_on=date(Y, 2, 10),
        started_on=date(Y, 6, 15),
        contract_amount=_d(1500),
        team=teams["对抗开工招商小分队"],
    )
    b.funds(b.project(u["庚镇"], signed_on=date(Y, 5, 5), contract_amount=_d(800)), 5, 80)

    targets_save(
        actor=b.bureau,
        year=Y,
        cells={
            (u["甲新区"], ARRIVED): _d(1000),
            (u["乙镇"], ARRIVED): _d(1000),
            (u["丙镇"], ARRIVED): _d(2000),
            (u["丁镇"], ARRIVED): _d(1000),
            (u["戊镇"], ARRIVED): _d(500),
            (u["庚镇"], ARRIVED): _d(0),
            (u["丙镇"], "major_signed_count"): _d(2),
            (u["庚镇"], "domestic_signed_count"): _d(0),
        },
    )
    split = [_d(s) for s in ("0.2", "0.3", "0.4", "0.5", "0.55", "0.6", "0.65", "0.7", "0.8", "0.9", "0.95", "1")]
    target_split_set(actor=b.bureau, target=Target.objects.get(unit=u["乙镇"], year=Y, indicator=ARRIVED), shares=split)
    return notes
