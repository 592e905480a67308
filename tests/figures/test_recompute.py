"""Every figure the product shows for the demo county agrees with an independent recomputation from the rows.

For every unit of the demo county and every month of the year: each indicator's 本月 and 累计, its target,
completion rate, gap to 序时进度, light and 双过半, as the county's report (the drill-down pages), the unit's own
dashboard and the bulletin JSON give them; and every ranking with its 红榜 and 黑榜. tests/figures/recompute.py
computes them from the rows in plain Python; tests/figures/product.py reads the product's.

Two scenarios: the demo county as seeded, and the demo county with adversarial rows entered the way a user
would (through the services): signed in December and started in January, a foreign project at exactly 10,000
万元 after conversion, a project moved to another unit mid-year, projects dropped after and before signing, ties
at the red and black lines, a unit with no target and one with a zero target, figures only in child units, funds
after the period, teams that only advanced a stage or whose project was created at 开工, a monthly split target.

A disagreement the product has and someone is fixing can be named as a variant of the recomputation
(recompute.KNOWN_FAULTS, empty now): the main tests then accept a product figure only when it equals the right
value or, for those faults alone, exactly what the fault gives. The three this module found (ties at the 黑榜
line, a team's project created at 开工, a 签约日期 on a project dropped before signing) are fixed and were removed
from it, so every figure must now be right.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from tests.figures import recompute as rc
from tests.figures.adversarial import add_adversarial_rows
from tests.figures.product import read_product
from zhaoshang.org.models import Unit

# The module's fixtures seed once and roll back; the marker makes pytest-django create the test database.
pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)  # the demo's "today": its ledger runs from January 2025 to November 2026
YEARS = (2025, 2026)
VIEWED = ("城关镇", "长三角招商小分队")  # leaves seen on their own dashboards too


@dataclass
class Scenario:
    name: str
    comparisons: dict  # year → Comparison
    correct: dict  # year → recompute.Result (the rules as they should be)
    as_is: dict  # year → recompute.Result with every known fault
    without: dict  # (fault, year) → recompute.Result with every known fault but that one
    product_codes: set
    notes: dict  # what the scenario checked by hand, for the tests that pin the adversarial rows

    @property
    def compared(self) -> int:
        return sum(c.compared for c in self.comparisons.values())

    def unexplained(self) -> list:
        """Figures that equal neither the right value nor what a known fault gives."""
        out = []
        for year, comparison in self.comparisons.items():
            wrong = set(comparison.mismatches(self.correct[year]))
            out += [m for m in comparison.mismatches(self.as_is[year]) if m in wrong]
        return out

    def known(self) -> list:
        return [m for year, c in self.comparisons.items() for m in c.mismatches(self.correct[year])]

    def caused_by(self, fault: str) -> list:
        return [m for year, c in self.comparisons.items() for m in c.mismatches(self.without[(fault, year)])]


def _evaluate(name: str, notes: dict) -> Scenario:
    root = Unit.objects.get(parent=None)
    # The pages seen from the county, from each unit with units below it (its own dashboard and rankings), and
    # from one town and one team: every other unit's figures are read from the county's report.
    active = Unit.objects.filter(is_active=True)
    views = list(
        active.filter(Q(parent=None) | Q(children__is_active=True) | Q(name__in=VIEWED)).distinct().order_by("path")
    )
    ledger = rc.load()
    view_ids = [u.pk for u in views]
    comparisons, correct, as_is, without = {}, {}, {}, {}
    codes = set()
    for year in YEARS:
        comparisons[year], codes = read_product(root, year, views)
        correct[year] = rc.recompute(ledger, year, views=view_ids)
        as_is[year] = rc.recompute(ledger, year, views=view_ids, faults=frozenset(rc.KNOWN_FAULTS))
        for fault in rc.KNOWN_FAULTS:
            without[(fault, year)] = rc.recompute(
                ledger, year, views=view_ids, faults=frozenset(rc.KNOWN_FAULTS) - {fault}
            )
    return Scenario(name, comparisons, correct, as_is, without, codes, notes)


def _seed():
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county, recomputed and read once for the module; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        _seed()
        scenario = _evaluate("示范县", {})
        transaction.set_rollback(True)
    return scenario


@pytest.fixture(scope="module")
def adversarial(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        _seed()
        notes = add_adversarial_rows()
        scenario = _evaluate("示范县+对抗数据", notes)
        transaction.set_rollback(True)
    return scenario


def _report(scenario: Scenario, capsys) -> None:
    known = scenario.known()
    with capsys.disabled():
        print(f"\n[{scenario.name}] compared {scenario.compared:,} figures with the recomputation", end="")
        print(f" ({len(known)} differ by known faults: {', '.join(rc.KNOWN_FAULTS) or 'none'})")
        for mismatch in known[:20]:
            print(f"    known: {mismatch}")


def _summary(mismatches: list) -> str:
    """How many disagree per indicator and field, with the first example of each."""
    groups: dict = {}
    for m in mismatches:
        groups.setdefault((m.where.split("的")[-1], m.code, m.field), []).append(m)
    return "\n".join(f"{len(ms):>6} × {ms[0]}" for _, ms in sorted(groups.items(), key=lambda kv: -len(kv[1])))


def _assert_agrees(scenario: Scenario) -> None:
    unexplained = scenario.unexplained()
    shown = _summary(unexplained)
    assert not unexplained, f"{len(unexplained)} figures disagree with the recomputation:\n{shown}"


def test_every_figure_of_the_demo_county_agrees_with_the_recomputation(demo, capsys):
    _report(demo, capsys)
    assert demo.compared > 100_000
    _assert_agrees(demo)


def test_every_figure_agrees_with_the_adversarial_rows_added(adversarial, capsys):
    _report(adversarial, capsys)
    _assert_agrees(adversarial)


def test_a_signing_date_on_a_project_dropped_before_signing_is_refused(adversarial):
    """It would count a signing that never happened (found by this recomputation)."""
    assert adversarial.notes["signing_after_drop"].startswith("refused")


def test_the_product_reports_every_indicator_the_ledger_decides(demo):
    missing = sorted(set(rc.CODES) - demo.product_codes)
    assert not missing, f"not reported: {missing}"


def test_the_adversarial_rows_count_as_the_rules_say(adversarial):
    """The recomputation itself, pinned by hand on the adversarial rows (so that it cannot agree with the product
    by sharing its mistake)."""
    result, unit = adversarial.correct[2026], adversarial.notes["units"]
    last_year = adversarial.correct[2025]

    def value(unit_name, code, month, which="ytd", figures=result):
        return getattr(figures.figures[(unit[unit_name], code, month)], which)

    # signed in December 2025 (亿元以上 there), started in January 2026: a 2026 start, not a 2026 major start
    assert value("乙镇", "major_signed_count", 12, "month", last_year) == 1
    assert value("乙镇", "started_count", 1, "month") == 1
    assert value("乙镇", "major_signed_count", 12) == 0 and value("乙镇", "major_started_count", 12) == 0
    # 1280 万美元 × 7.8125 = 10,000 万元 exactly is 亿元以上; 1279.99 is not; 6400 万美元 is 5亿元 exactly; the
    # domestic 100,000 is 10亿元, signed and started in May; the capital increase counts in January, once
    assert value("丙镇", "major_signed_count", 3, "month") == 1
    assert value("丙镇", "major5_signed_count", 4, "month") == 1
    assert (
        value("丙镇", "major10_signed_count", 5, "month") == 1 and value("丙镇", "major_started_count", 5, "month") == 1
    )
    assert value("丙镇", "major_signed_count", 1, "month") == 1 and value("丙镇", "domestic_signed_count", 12) == 3
    assert value("丙镇", "foreign_arrived_usd_wan", 4, "month") == Decimal(300)
    assert value("丙镇", "major_start_rate", 12) == Decimal("25.0")  # 1 of 4 亿元以上 signings started
    # ties at 50% (乙镇's split target puts it ahead of its own 序时 in February); 甲新区's figures are its parks'
    assert value("乙镇", "domestic_arrived_wan", 2, "completion") == value(
        "丙镇", "domestic_arrived_wan", 2, "completion"
    )
    assert value("乙镇", "domestic_arrived_wan", 2, "gap") == Decimal(20)
    assert value("甲新区", "domestic_arrived_wan", 12) == Decimal(2200)  # 600 moved + 500 + 400 + 700
    assert value("甲新区", "domestic_arrived_wan", 10) == Decimal(1800)  # November's 400 is after the period
    ranking = result.rankings[(adversarial.notes["root"], "domestic_arrived_wan", 12)]
    group = ranking[adversarial.notes["group"]]
    assert {n for n in ("丁镇", "戊镇") if group[unit[n]].black} == {"丁镇", "戊镇"}
    assert group[unit["乙镇"]].rank == group[unit["丙镇"]].rank == 2
    assert (
        group[unit["甲新区二园"]].rank is None and group[unit["己镇"]].rank is None and group[unit["庚镇"]].rank is None
    )
    # dropped after signing stays counted; the 签约日期 typed on the one dropped at 在谈 does not count
    assert value("庚镇", "domestic_signed_count", 12) == 2
    # teams: only advanced a stage (today) is progress without a signing; created at 开工 in June is June's progress
    teams = adversarial.notes["teams"]
    assert result.figures[(teams["对抗开工招商小分队"], "teams_without_progress", 6)].month == 0
    assert result.figures[(teams["对抗开工招商小分队"], "teams_without_progress", 5)].month == 1
