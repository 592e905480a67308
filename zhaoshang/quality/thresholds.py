"""Each rule's thresholds: which of a RuleSetting's three values (ratio, count, amount) it reads, their words on
the settings page, defaults and limits; and an install's settings read in one query."""

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.quality.models import Rule, RuleSetting


@dataclass(frozen=True)
class Knob:
    label: str
    default: Decimal | int
    low: Decimal | int
    high: Decimal | int
    unit: str


@dataclass(frozen=True)
class RuleSpec:
    code: str
    explain: str  # what the rule looks for, on the settings page and the README
    ratio: Knob | None = None
    count: Knob | None = None
    amount: Knob | None = None


D = Decimal
RULES: dict[str, RuleSpec] = {
    Rule.OVER_CONTRACT: RuleSpec(
        Rule.OVER_CONTRACT,
        "项目累计到位资金超过协议资金或计划总投资的一定倍数（外资项目按万美元与协议资金比较，与计划总投资比较时按汇率折算）",
        ratio=Knob("超过的倍数", D("1.00"), D("0.50"), D("10.00"), "倍"),
    ),
    Rule.OUTSIDE_LIFE: RuleSpec(
        Rule.OUTSIDE_LIFE,
        "项目签约月份之前（或尚未签约）、终止日期之后仍填报了到位资金（每个项目一条，列出月份和合计）",
    ),
    Rule.SPIKE: RuleSpec(
        Rule.SPIKE,
        "某月到位资金超过该项目其他月份中位数的一定倍数（其他月份须达到最少月数）",
        ratio=Knob("超过中位数的倍数", D("5.00"), D("1.50"), D("100.00"), "倍"),
        count=Knob("其他月份最少", 3, 2, 24, "个月"),
    ),
    Rule.PERIOD_END: RuleSpec(
        Rule.PERIOD_END,
        "季末月（3、6、9、12月）单位本级的签约个数或到位内资超过本年其他已过月份（不含正在填报的当月）中位数的一定倍数，且达到最低数额；中位数为0时不判断",
        ratio=Knob("超过中位数的倍数", D("3.00"), D("1.50"), D("100.00"), "倍"),
        count=Knob("签约个数最低", 3, 1, 100, "个"),
        amount=Knob("到位资金最低", D("500.00"), D("1.00"), D("1000000.00"), "万元"),
    ),
    Rule.START_BEFORE_PERMIT: RuleSpec(
        Rule.START_BEFORE_PERMIT, "开工日期早于前期手续中“施工许可”办结日期，或施工许可尚未办结已填开工"
    ),
    Rule.SAME_INVESTOR: RuleSpec(
        Rule.SAME_INVESTOR,
        "同一统一社会信用代码的投资方同一年度签约项目达到一定个数（跨单位统计，不显示其他单位的项目）",
        count=Knob("年内签约达到", 3, 2, 50, "个"),
    ),
    Rule.QUICK_DROP: RuleSpec(
        Rule.QUICK_DROP,
        "项目签约后在一定月数内即终止",
        count=Knob("签约后月数以内", 3, 1, 24, "个月"),
    ),
    Rule.ROUND_AMOUNTS: RuleSpec(
        Rule.ROUND_AMOUNTS,
        "单位某月所有内资项目的到位资金都是某一整数的倍数，且行数达到最少行数",
        count=Knob("最少行数", 3, 2, 100, "行"),
        amount=Knob("整数单位", D("100.00"), D("1.00"), D("100000.00"), "万元"),
    ),
}


@dataclass(frozen=True)
class Setting:
    rule: str
    enabled: bool
    ratio: Decimal | None
    count: int | None
    amount: Decimal | None


def default(rule: str) -> Setting:
    spec = RULES[rule]
    return Setting(
        rule,
        True,
        spec.ratio.default if spec.ratio else None,
        spec.count.default if spec.count else None,
        spec.amount.default if spec.amount else None,
    )


def settings_for(root) -> dict[str, Setting]:
    """{rule: its setting} of the install whose root is `root`: the saved rows over the defaults."""
    found = {row.rule: row for row in RuleSetting.objects.filter(root=root)}
    result = {}
    for rule, spec in RULES.items():
        base, row = default(rule), found.get(rule)
        if row is None:
            result[rule] = base
            continue
        result[rule] = Setting(
            rule,
            row.enabled,
            row.ratio if spec.ratio and row.ratio is not None else base.ratio,
            row.count if spec.count and row.count is not None else base.count,
            row.amount if spec.amount and row.amount is not None else base.amount,
        )
    return result
