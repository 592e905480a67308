"""Each anomaly rule raises a flag on the case it is for, and not on the near miss beside it; the figures of each
case are worked out by hand in its comments."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import credit_code
from tests.quality.helpers import Y, drop, flags, funds, month, permit, run, signed, start
from zhaoshang.projects import services as ledger
from zhaoshang.quality import services
from zhaoshang.quality.models import Rule
from zhaoshang.quality.thresholds import settings_for

pytestmark = pytest.mark.django_db


def set_rule(c, rule, **values):
    """Change one rule's setting as the bureau, the others of it kept."""
    now = settings_for(c.root)[rule]
    given = {"enabled": now.enabled, "ratio": now.ratio, "count": now.count, "amount": now.amount, **values}
    services.settings_save(actor=c.bureau, root=c.root, values={rule: given})


# 1 到位资金 above 协议资金 / 计划总投资 ------------------------------------------------------------------------------
def test_it_flags_arrived_funds_above_the_contract(county):
    c = county
    over, exact = signed(c, contract_amount=Decimal(5000)), signed(c, contract_amount=Decimal(5000))
    funds(c, over, 2, 3000)
    funds(c, over, 3, 2500)  # 5,500 > 5,000
    funds(c, exact, 2, 5000)  # 5,000: not above
    run(c)
    (flag,) = flags(Rule.OVER_CONTRACT)
    assert flag.project == over and flag.unit == c.town
    assert flag.detail == "累计到位资金5,500.00万元，超过协议资金5,000.00万元"


def test_a_higher_ratio_lets_the_same_funds_pass(county):
    c = county
    p = signed(c, contract_amount=Decimal(5000))
    funds(c, p, 2, 5500)
    set_rule(c, Rule.OVER_CONTRACT, ratio=Decimal("1.2"))  # 5,500 < 1.2 × 5,000 = 6,000
    run(c)
    assert flags(Rule.OVER_CONTRACT) == []
    set_rule(c, Rule.OVER_CONTRACT, ratio=Decimal("1.05"))  # 5,500 > 5,250
    run(c)
    assert len(flags(Rule.OVER_CONTRACT)) == 1


def test_a_foreign_project_compares_its_usd_with_the_plan_at_the_rate(county):
    c = county
    ledger.usd_rate_set(actor=c.bureau, year=Y, rate=Decimal(7))
    # 700 万美元 of an 800 万美元 contract: within it; 700 × 7 = 4,900 万元 above a 4,000 万元 plan
    over = signed(c, funding_type="外资", contract_amount=Decimal(800), planned_total=Decimal(4000))
    # the same 700 against a 5,000 万元 plan: 4,900 is within it (compared without the rate it would be too)
    fine = signed(c, funding_type="外资", contract_amount=Decimal(800), planned_total=Decimal(5000))
    funds(c, over, 2, 700)
    funds(c, fine, 2, 700)
    run(c)
    (flag,) = flags(Rule.OVER_CONTRACT)
    assert flag.project == over
    assert flag.detail == "累计到位资金700.00万美元，超过计划总投资4,000.00万元（按汇率7.0000折算为4,900.00万元）"


# 2 到位资金 before signing / after the drop -----------------------------------------------------------------------
def test_it_flags_funds_of_a_project_not_yet_signed_or_already_dropped(county):
    c = county
    talks = signed(c, stage="在谈", signed_on=None, contract_amount=None)
    late = signed(c, on=date(Y, 3, 10))
    dropped = signed(c)
    funds(c, talks, 4, 100)  # never signed
    funds(c, late, 2, 100)  # February, before March's signing
    funds(c, late, 3, 100)  # the signing month itself: fine
    drop(c, dropped, date(Y, 5, 20))
    funds(c, dropped, 5, 100)  # May, the month of the drop: fine
    funds(c, dropped, 6, 100)  # June, after it
    run(c)
    funds(c, dropped, 8, 50.5)  # and August
    run(c)
    got = {f.project_id: (f.month, f.detail) for f in flags(Rule.OUTSIDE_LIFE)}
    assert got == {  # one flag a project, its months summed: 100 + 50.5 = 150.5
        talks.pk: (None, f"项目尚未签约，填报到位资金1个月（{Y}年4月），合计100.00万元"),
        late.pk: (None, f"签约月份（{Y}年3月）之前填报到位资金1个月（{Y}年2月），合计100.00万元"),
        dropped.pk: (None, f"终止（{Y}-05-20）之后填报到位资金2个月（{Y}年6月至{Y}年8月），合计150.50万元"),
    }


# 3 one month far above the project's median -------------------------------------------------------------------------
def test_it_flags_a_month_five_times_the_projects_median(county):
    c = county
    spiky, steady = signed(c, contract_amount=Decimal(90000)), signed(c, contract_amount=Decimal(90000))
    for m, amount in ((2, 100), (3, 120), (4, 80), (5, 700)):  # May 700 > 5 × median(100, 120, 80) = 500
        funds(c, spiky, m, amount)
    for m, amount in ((2, 100), (3, 120), (4, 80), (5, 500)):  # May 500: not above 500
        funds(c, steady, m, amount)
    run(c)
    (flag,) = flags(Rule.SPIKE)
    assert (flag.project, flag.month) == (spiky, month(5))
    assert flag.detail == f"{Y}年5月到位资金700.00万元，是该项目其他3个月中位数100.00万元的7倍（阈值5倍）"


def test_a_month_is_not_judged_against_fewer_months_than_the_minimum(county):
    c = county
    p = signed(c, contract_amount=Decimal(90000))
    for m, amount in ((2, 100), (3, 100), (5, 900)):  # only two other months
        funds(c, p, m, amount)
    run(c)
    assert flags(Rule.SPIKE) == []
    set_rule(c, Rule.SPIKE, count=2)
    run(c)
    assert [f.month for f in flags(Rule.SPIKE)] == [month(5)]


# 4 a unit's quarter-end month jumping ------------------------------------------------------------------------------
def test_it_flags_a_units_quarter_end_month_far_above_its_other_months(county):
    c = county
    p = signed(c, c.other_town, contract_amount=Decimal(90000))
    q = signed(c, c.town, contract_amount=Decimal(90000))
    for m in range(1, 13):
        funds(c, p, m, 800 if m == 3 else 100)  # 乙镇: March 800 > 3 × 100 and ≥ 500
        funds(c, q, m, 300 if m == 3 else 100)  # 甲镇: March 300, not above 3 × 100
    run(c)
    (flag,) = flags(Rule.PERIOD_END)
    assert (flag.unit, flag.project, flag.month) == (c.other_town, None, month(3))
    assert flag.detail == f"{Y}年3月（期末月）到位内资800.00万元（其他月份中位数100.00万元），超过中位数的3倍"


def test_a_minimum_amount_keeps_a_small_units_jump_quiet(county):
    c = county
    p = signed(c, c.other_town, contract_amount=Decimal(90000))
    for m in range(1, 13):
        funds(c, p, m, 800 if m == 6 else 100)
    set_rule(c, Rule.PERIOD_END, amount=Decimal(1000))
    run(c)
    assert flags(Rule.PERIOD_END) == []


# 5 a start before its 施工许可 -------------------------------------------------------------------------------------
def test_it_flags_a_start_before_the_building_permit(county):
    c = county
    early, undone, fine, no_step = signed(c), signed(c), signed(c), signed(c)
    permit(c, early, date(Y, 5, 10))
    permit(c, undone, None)
    permit(c, fine, date(Y, 4, 20))
    for p in (early, undone, fine, no_step):
        start(c, p, date(Y, 5, 1))
    run(c)
    got = {f.project_id: f.detail for f in flags(Rule.START_BEFORE_PERMIT)}
    assert got == {
        early.pk: f"开工日期{Y}-05-01，但“建筑工程施工许可证核发”{Y}-05-10才办结",
        undone.pk: f"开工日期{Y}-05-01，但“建筑工程施工许可证核发”尚未办结",
    }


# 6 one credit code signing three or more projects in a year -------------------------------------------------------
def test_it_flags_an_investor_signing_three_projects_in_a_year_across_units(county):
    c = county
    code = credit_code(777)
    a = signed(c, c.town, credit_code=code, name="甲镇项目")
    b = signed(c, c.other_town, credit_code=code, name="乙镇项目")
    pair = credit_code(778)
    signed(c, c.town, credit_code=pair, name="两个之一")
    signed(c, c.town, credit_code=pair, name="两个之二")  # two only: a near miss
    run(c)
    assert flags(Rule.SAME_INVESTOR) == []
    third = signed(c, c.other_town, credit_code=code, name="乙镇二期")
    run(c)
    got = {f.project_id: f.detail for f in flags(Rule.SAME_INVESTOR)}
    head = f"投资方（统一社会信用代码{code}）{Y}年共签约3个项目（阈值3个），"
    assert got == {
        a.pk: head + "本单位1个，同一信用代码本年在其他单位另签约2个",
        b.pk: head + "本单位2个，同一信用代码本年在其他单位另签约1个",
        third.pk: head + "本单位2个，同一信用代码本年在其他单位另签约1个",
    }


# 7 dropped soon after signing --------------------------------------------------------------------------------------
def test_it_flags_a_project_dropped_within_three_months_of_signing(county):
    c = county
    quick, later = signed(c), signed(c)
    drop(c, quick, date(Y, 4, 14))  # 15 January → 14 April: two whole months
    drop(c, later, date(Y, 4, 15))  # three whole months: not within
    run(c)
    (flag,) = flags(Rule.QUICK_DROP)
    assert flag.project == quick
    assert flag.detail == f"{Y}-01-15签约，{Y}-04-14即终止，不足3个月"


# 8 a unit's whole month of round amounts --------------------------------------------------------------------------
def test_it_flags_a_units_month_of_round_amounts_only(county):
    c = county
    town = [signed(c, c.town, contract_amount=Decimal(90000)) for _ in range(3)]
    other = [signed(c, c.other_town, contract_amount=Decimal(90000)) for _ in range(3)]
    for p, amount in zip(town, (100, 200, 1300), strict=True):
        funds(c, p, 4, amount)  # 甲镇 April: all multiples of 100
    for p, amount in zip(other, (100, 200, 150), strict=True):
        funds(c, p, 4, amount)  # 乙镇 April: 150 is not
    for p, amount in zip(town[:2], (100, 200), strict=True):
        funds(c, p, 5, amount)  # 甲镇 May: only two rows
    run(c)
    (flag,) = flags(Rule.ROUND_AMOUNTS)
    assert (flag.unit, flag.month, flag.project) == (c.town, month(4), None)
    assert flag.detail == f"{Y}年4月本单位3条内资到位资金均为100.00万元的整数倍，合计1,600.00万元"


def test_a_disabled_rule_raises_nothing(county):
    c = county
    p = signed(c, contract_amount=Decimal(100))
    funds(c, p, 2, 500)
    set_rule(c, Rule.OVER_CONTRACT, enabled=False)
    run(c)
    assert flags(Rule.OVER_CONTRACT) == []


def test_a_units_quarter_end_is_not_judged_against_months_without_figures(county):
    c = county
    p = signed(c, c.other_town, contract_amount=Decimal(90000))
    for m in (3, 4):  # figures from March on: the other months' median is 0, nothing to compare with
        funds(c, p, m, 900 if m == 3 else 10)
    run(c)
    assert flags(Rule.PERIOD_END) == []


def test_the_run_after_a_write_counts_the_investors_projects_in_every_unit(county):
    c = county
    code = credit_code(5151)
    others = [signed(c, c.other_town, credit_code=code, name=f"乙镇项目{i}") for i in range(2)]
    mine = signed(c, c.town, credit_code=code, name="甲镇项目")
    services.run_for_projects({mine.pk})  # the write touched 甲镇's project only
    assert {f.project_id for f in flags(Rule.SAME_INVESTOR)} == {mine.pk, *(p.pk for p in others)}


def test_a_run_reads_a_fixed_number_of_queries_whatever_the_number_of_projects(county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = county

    def flagged(n):
        for _ in range(n):
            p = signed(c, contract_amount=Decimal(100))
            funds(c, p, 2, 555)

    flagged(1)
    with CaptureQueriesContext(connection) as few:
        run(c)
    flagged(6)
    with CaptureQueriesContext(connection) as many:
        run(c)
    assert len(many) == len(few)
