"""冲刺 (progress/pace.py): what each remaining month must bring, hand-checked.

For month M, target T and year-to-date V: the year needs max(T − V, 0) in 12 − M months; 双过半 (until June) needs
max(T/2 − V, 0) in 6 − M months. Counts round UP to whole projects, an amount's monthly share rounds UP to the
shown cent (0.01亿元 = 100万元)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project, make_unit
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.core.periods import today
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.models import Target
from zhaoshang.progress.pace import (
    furthest_behind,
    half_words,
    pace,
    pace_of,
    unit_sentence,
    year_words,
)
from zhaoshang.progress.report import Progress, period_report
from zhaoshang.projects import figures

Y = today().year - 1  # every month of last year is over


def progress(code, ytd, target):
    return Progress(code, None, ytd, None if target is None else Decimal(target), None, None, None, None)


# ----- pure -----
def test_a_unit_behind_in_october_needs_three_projects_a_month():
    # target 12 projects, 7 signed by October: 12 − 7 = 5 still to sign, 12 − 10 = 2 months left,
    # 5 ÷ 2 = 2.5 a month, rounded up to 3 (no one signs half a project)
    p = pace(progress("domestic_signed_count", 7, 12), 10)
    assert (p.year.amount, p.year.months, p.year.per_month) == (5, 2, 3)
    assert p.half is None  # October: 双过半 was June's question
    assert year_words(p) == "全年还需5个，月均3个"
    assert half_words(p) == ""
    assert unit_sentence([p]) == "要实现全年目标，剩余2个月需签约内资项目5个（月均3个）。"


def test_amounts_in_yi_with_the_monthly_share_rounded_up_to_the_cent():
    # target 5亿元 (50,000万元), 2亿元 arrived by March:
    # year: 5 − 2 = 3亿元 in 9 months = 0.3333…亿元 a month → 0.34亿元 (0.33 × 9 = 2.97 would fall short)
    # 双过半: 5 ÷ 2 − 2 = 0.5亿元 in 6 − 3 = 3 months = 0.1666…亿元 → 0.17亿元
    p = pace(progress("domestic_arrived_wan", Decimal("20000"), "50000"), 3)
    assert p.year.amount == Decimal("30000") and p.year.months == 9
    assert p.year.per_month == Decimal("3400")  # 万元, i.e. 0.34亿元
    assert p.half.amount == Decimal("5000") and p.half.months == 3 and p.half.per_month == Decimal("1700")
    assert year_words(p) == "全年还需3.00亿元，月均0.34亿元"
    assert half_words(p) == "双过半还需0.50亿元"
    signed = pace(progress("domestic_signed_count", 2, 12), 3)  # year 10 in 9 → 2; half 6 − 2 = 4 in 3 → 2
    assert unit_sentence([signed, p]) == (
        "要实现全年目标，剩余9个月需签约内资项目10个（月均2个）、实际到位内资3.00亿元（月均0.34亿元）；"
        "要实现“双过半”，到6月底剩余3个月需签约内资项目4个（月均2个）、实际到位内资0.50亿元（月均0.17亿元）。"
    )


def test_foreign_money_stays_in_wan_usd():
    # 1000万美元 target, 400 by April: 600 in 8 months = 75; half 500 − 400 = 100 in 2 = 50
    p = pace(progress("foreign_arrived_usd_wan", Decimal("400"), "1000"), 4)
    assert p.year.per_month == Decimal("75.00") and p.half.per_month == Decimal("50.00")
    assert year_words(p) == "全年还需600.00万美元，月均75.00万美元"


def test_a_unit_ahead_has_reached_double_half_and_needs_less():
    # target 12, 10 signed by May: 2 in 7 months → 2 ÷ 7 rounded up = 1 a month; half (6) already reached
    p = pace(progress("domestic_signed_count", 10, 12), 5)
    assert (p.year.amount, p.year.months, p.year.per_month) == (2, 7, 1)
    assert p.half.met and p.half.per_month is None
    assert half_words(p) == "已实现双过半"
    assert unit_sentence([p]) == "要实现全年目标，剩余7个月需签约内资项目2个（月均1个）。"


def test_double_half_is_asked_until_may_and_gone_from_june():
    assert pace(progress("domestic_signed_count", 1, 12), 5).half.amount == 5  # 6 − 1 in the one month of June
    assert pace(progress("domestic_signed_count", 1, 12), 5).half.months == 1
    assert pace(progress("domestic_signed_count", 1, 12), 6).half is None
    assert pace(progress("domestic_signed_count", 1, 12), 7).half is None
    one_month = pace(progress("domestic_signed_count", 1, 12), 5)
    # with one month left the monthly figure is the figure itself: no “（月均…）”
    assert "到6月底剩余1个月需签约内资项目5个。" in unit_sentence([one_month])


def test_a_met_target_needs_nothing():
    p = pace(progress("domestic_signed_count", 13, 12), 8)
    assert p.year.met and p.year.amount == 0 and p.year.per_month is None
    assert year_words(p) == "已完成全年目标"
    assert not p.behind
    assert unit_sentence([p]) == ""


def test_december_has_no_month_left():
    p = pace(progress("domestic_signed_count", 10, 12), 12)
    assert (p.year.amount, p.year.months, p.year.per_month) == (2, 0, None)  # no division by zero
    assert year_words(p) == "全年还差2个，本年已无剩余月份"
    assert unit_sentence([p]) == "本年已无剩余月份，全年目标未完成，尚差签约内资项目2个。"
    assert year_words(pace(progress("domestic_signed_count", 12, 12), 12)) == "已完成全年目标"


def test_no_target_or_a_target_of_zero_has_no_pace():
    assert pace(progress("domestic_signed_count", 3, None), 4) is None
    assert pace(progress("domestic_signed_count", 3, 0), 4) is None
    assert pace(progress("domestic_signed_count", None, 0), 12) is None
    assert unit_sentence([]) == ""


def test_a_fractional_count_target_still_needs_whole_projects():
    # 7.5 − 5 = 2.5 projects → 3, in 3 months → 1 a month
    p = pace(progress("started_count", 5, "7.5"), 9)
    assert p.year.amount == 3 and p.year.per_month == 1
    assert pace(progress("started_count", None, 4), 11).year.amount == 4  # nothing yet counts as 0


def test_a_monthly_split_adds_what_the_next_month_must_bring():
    # 按月分解: 30% due by the end of April; 12 projects, 2 signed by March → April must bring 12 × 0.3 − 2 = 1.6,
    # a whole 2; the year's and 双过半's needs do not move with the split
    split = ["0.05", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.95", "1"]
    p = pace(progress("domestic_signed_count", 2, 12), 3, split)
    assert p.next_month == 2
    assert p.year.amount == 10 and p.half.amount == 4
    arrived = pace(progress("domestic_arrived_wan", Decimal("10000"), "50000"), 3, split)
    assert arrived.next_month == Decimal("5000")  # 50,000 × 0.3 − 10,000
    assert pace(progress("domestic_signed_count", 2, 12), 3).next_month is None  # no split: M/12 only


# ----- through the report -----
@pytest.fixture
def october(county):
    """甲镇 behind, 乙镇 ahead, last October. 甲镇: 7 signed of 12, 2,000万元 of 10,000; 乙镇: 9 of 10."""
    b = county.bureau
    for n in range(7):
        make_project(b, county.town, signed_on=date(Y, 1 + n, 10), contract_amount=Decimal("1000"))
    for n in range(9):
        make_project(b, county.other_town, signed_on=date(Y, 1 + n, 12), contract_amount=Decimal("1000"))
    project = make_project(b, county.town, signed_on=date(Y, 2, 1), contract_amount=Decimal("3000"))
    figures.monthly_funds_set(actor=b, project=project, month=date(Y, 5, 1), amount=Decimal("2000"))
    progress_services.targets_save(
        actor=b,
        year=Y,
        cells={
            (county.town, "domestic_signed_count"): Decimal(12),
            (county.town, "domestic_arrived_wan"): Decimal(10000),
            (county.other_town, "domestic_signed_count"): Decimal(10),
        },
    )
    return date(Y, 10, 1)


def test_through_the_report_a_unit_behind_and_a_unit_ahead(county, october):
    # 甲镇's 内资协议资金: 7 × 1,000 + 3,000 = 10,000万元 of a 12,000 target: 83.3% by October, on 序时, so it is
    # on the drill-down (0.20亿元 still, 0.10亿元 a month) but not in the sentence of what 甲镇 must catch up
    # 新开工项目: 0 of 20, far behind, but not one the documents press (PRESSED_CODES): on the drill-down only
    progress_services.targets_save(
        actor=county.bureau,
        year=Y,
        cells={(county.town, "domestic_contract_wan"): Decimal(12000), (county.town, "started_count"): Decimal(20)},
    )
    report = period_report(county.root, october)
    contract = pace_of(report, county.town, "domestic_contract_wan")
    assert (contract.year.amount, contract.year.per_month) == (Decimal("2000"), Decimal("1000"))
    assert pace_of(report, county.town, "started_count").year.per_month == 10
    # 甲镇: 8 signed (7 + the one with funds) of 12 → 4 in 2 months, 2 a month;
    # 2,000 of 10,000万元 → 0.80亿元 in 2 months, 0.40亿元 a month
    signed = pace_of(report, county.town, "domestic_signed_count")
    assert (signed.year.amount, signed.year.per_month) == (4, 2)
    arrived = pace_of(report, county.town, "domestic_arrived_wan")
    assert (arrived.year.amount, arrived.year.per_month) == (Decimal("8000"), Decimal("4000"))
    # 乙镇: 9 of 10 → 1 in 2 months, rounded up to 1 a month; ahead of 序时 (90% > 83.3%)
    ahead = pace_of(report, county.other_town, "domestic_signed_count")
    assert (ahead.year.amount, ahead.year.per_month) == (1, 1)
    assert pace_of(report, county.other_town, "domestic_arrived_wan") is None  # no target
    behind = furthest_behind(report)
    assert [b.unit.name for b in behind] == ["甲镇"]  # 乙镇 is ahead of 序时 on its only target
    assert behind[0].sentence == (
        "要实现全年目标，剩余2个月需签约内资项目4个（月均2个）、实际到位内资0.80亿元（月均0.40亿元）。"
    )
    # 甲镇's worst gap: 2,000 ÷ 10,000 = 20% against 10/12 = 83.33%: −63.33 points
    assert round(behind[0].gap, 2) == Decimal("-63.33")


def test_the_split_of_a_target_reaches_the_pace(county, october):
    target = Target.objects.get(unit=county.town, indicator="domestic_signed_count")
    shares = [Decimal(n) / 12 for n in range(1, 11)] + [Decimal("0.95"), Decimal(1)]
    progress_services.target_split_set(actor=county.bureau, target=target, shares=shares)
    report = period_report(county.root, october)
    # November is due 95% of 12 = 11.4 → 11.4 − 8 = 3.4 → 4 whole projects
    assert pace_of(report, county.town, "domestic_signed_count").next_month == 4


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_cards_and_the_drill_down_show_the_pace(county, october, client_for):
    leader = client_for(county.leader)
    # the county's own card: no target of its own on 签约内资项目 → no pace line; give it one: 20, 17 signed
    # (8 + 9) → 3 in 2 months, 2 a month
    progress_services.targets_save(
        actor=county.bureau, year=Y, cells={(county.root, "domestic_signed_count"): Decimal(20)}
    )
    html = _page(leader, f"/dashboard/?month={Y}-10")
    assert "全年还需3个，月均2个" in html
    assert "双过半" not in html.split("kpi-pace")[1][:200]  # October: no 双过半 line
    html = _page(leader, f"/dashboard/domestic_signed_count/?month={Y}-10")
    assert "全年还需" in html and "月均" in html and "双过半还需" not in html
    assert "本年剩余2个月" in html
    # 甲镇's row: 4 still, 2 a month; 乙镇's: 1, 1
    town_row = html.split(">甲镇<")[1].split("</tr>")[0]
    assert '<td class="num">4个</td>' in town_row and '<td class="num">2个</td>' in town_row
    other_row = html.split(">乙镇<")[1].split("</tr>")[0]
    assert other_row.count('<td class="num">1个</td>') == 2


def test_the_drill_down_before_june_asks_for_double_half(county, october, client_for):
    html = _page(client_for(county.leader), f"/dashboard/domestic_signed_count/?month={Y}-03")
    # 甲镇 by March: 3 signed (January..March) and the February one: 4; half of 12 = 6 → 2 still
    assert "双过半还需" in html
    town_row = html.split(">甲镇<")[1].split("</tr>")[0]
    assert '<td class="num">2个</td>' in town_row  # 双过半还需 6 − 4
    assert '<td class="num">8个</td>' in town_row  # 全年还需 12 − 4; 8 ÷ 9 months → 1 a month
    assert '<td class="num">1个</td>' in town_row


def test_a_neighbouring_county_is_never_in_the_pace(city, client_for):
    county = city.county
    progress_services.targets_save(
        actor=city.n_bureau, year=Y, cells={(city.n_town, "domestic_signed_count"): Decimal(50)}
    )
    html = _page(client_for(county.leader), f"/dashboard/domestic_signed_count/?month={Y}-10")
    assert "邻镇" not in html
    response = client_for(county.leader).get(f"/dashboard/domestic_signed_count/?unit={city.neighbour.pk}")
    assert response.status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pace_adds_no_query_per_unit(county, october, client_for):
    leader = client_for(county.leader)
    url = f"/dashboard/domestic_signed_count/?month={Y}-10"
    few = _queries(leader, url)
    group = county.town.group
    cells = {}
    for n in range(6):
        town = make_unit(f"新镇{n}", "乡镇", county.root, group)
        cells[(town, "domestic_signed_count")] = Decimal(5)
        cells[(town, "domestic_arrived_wan")] = Decimal(100)
    progress_services.targets_save(actor=county.bureau, year=Y, cells=cells)
    assert _queries(leader, url) == few


def test_the_drill_down_excel_has_the_pace_columns(county, october, client_for):
    answer = client_for(county.leader).get(f"/dashboard/domestic_arrived_wan/?month={Y}-03&format=xlsx")
    (sheet,) = read_cells(content(answer)).values()
    table = rows(sheet)
    headers = [c.value for c in table[0]]
    assert headers[-3:] == ["全年还需(万元)", "月均(万元)", "双过半还需(万元)"]
    (town,) = [r for r in table[1:] if r[0].value == "甲镇"]
    cell = dict(zip(headers, town, strict=True))
    # 甲镇 by March: nothing arrived (May's 2,000 is later) of 10,000万元: 10,000 in 9 months = 1,111.11… → 1,200
    # (0.12亿元, rounded up to the shown cent); 双过半 5,000
    assert cell["全年还需(万元)"].value == 10000 and cell["月均(万元)"].value == 1200
    assert cell["双过半还需(万元)"].value == 5000
    (other,) = [r for r in table[1:] if r[0].value == "乙镇"]
    assert [c is None or c.value in (None, "") for c in other[-3:]] == [True, True, True]  # no target, no pace


def test_a_sentence_names_each_task_as_a_bulletin_says_it():
    # “需亿元以上项目1个、重点项目完成投资1.03亿元” read as a list of nouns; the 工作要求 says what to do.
    # November: 2 亿元以上 targeted, 1 signed → 1 in 1 month; key projects 3亿元 planned, 1.97亿元 done → 1.03亿元
    major = pace(progress("major_signed_count", 1, 2), 11)
    done = pace(progress("key_done_wan", Decimal("19700"), "30000"), 11)
    assert unit_sentence([major, done]) == "要实现全年目标，剩余1个月需签约亿元以上项目1个、完成重点项目投资1.03亿元。"
