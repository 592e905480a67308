"""A unit counts only within its months (Unit.effective_from / effective_to): a team set up in December is not
in January's 招商小分队总数 before it, nor in the bulletin's wording; a unit merged away in October is neither ranked
nor expected to report after it, while its projects' figures stay in the county's. Existing units have no months
and always count."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_project, make_unit
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins.meetings import unreported_units
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.bulletins.text import bulletin_text
from zhaoshang.core.periods import today
from zhaoshang.notifications.reminders import missing_reports
from zhaoshang.org.models import Unit
from zhaoshang.progress.report import period_report
from zhaoshang.reporting.queries import reporting_units

pytestmark = pytest.mark.django_db
YEAR = today().year - 1
NOV, DEC = date(YEAR, 11, 1), date(YEAR, 12, 1)


@pytest.fixture
def new_team(county):
    """A second team, set up in December."""
    team = make_unit("第二招商小分队", "招商小分队", county.root, county.team.group)
    team.effective_from = DEC
    team.save()
    return team


@pytest.fixture
def merged_town(county):
    """乙镇, merged away after October: it counts up to October only."""
    county.other_town.effective_to = date(YEAR, 10, 1)
    county.other_town.save()
    return county.other_town


def test_existing_units_have_no_months_and_always_count(county):
    assert not Unit.objects.exclude(effective_from=None).exists()
    assert not Unit.objects.exclude(effective_to=None).exists()
    assert Unit.objects.active_in(date(1990, 1, 1)).count() == Unit.objects.filter(is_active=True).count()


def test_a_unit_counts_in_its_months_both_included(county, new_team, merged_town):
    assert list(Unit.objects.filter(pk=new_team.pk).active_in(NOV)) == []
    assert list(Unit.objects.filter(pk=new_team.pk).active_in(DEC)) == [new_team]
    assert merged_town.active_in(date(YEAR, 10, 1)) and not merged_town.active_in(NOV)
    county.town.is_active = False
    assert not county.town.active_in(DEC)  # a unit switched off never counts


def test_months_are_kept_as_their_first_day_and_in_order(county):
    unit = county.town
    unit.effective_from, unit.effective_to = date(YEAR, 5, 17), date(YEAR, 3, 9)
    with pytest.raises(ValidationError) as refused:
        unit.full_clean(exclude=["path"])
    assert refused.value.message_dict == {"effective_to": ["截止月份不能早于起始月份"]}
    unit.effective_to = date(YEAR, 8, 31)
    unit.full_clean(exclude=["path"])
    assert (unit.effective_from, unit.effective_to) == (date(YEAR, 5, 1), date(YEAR, 8, 1))


def test_a_team_set_up_in_december_is_not_in_novembers_team_count_nor_in_the_bulletin(county, new_team):
    november, december = period_report(county.root, NOV), period_report(county.root, DEC)
    assert november.progress(county.root, "teams_total").ytd == 1
    assert december.progress(county.root, "teams_total").ytd == 2
    snapshot = build_snapshot(county.root, NOV)
    assert snapshot["teams"]["total"] == 1 and snapshot["teams"]["idle"] == ["第一招商小分队"]
    assert "全县1个招商小分队" in bulletin_text(snapshot)
    assert "全县2个招商小分队" in bulletin_text(build_snapshot(county.root, DEC))


def test_a_unit_out_of_its_months_is_not_ranked_but_its_projects_still_count(county, merged_town):
    make_project(county.bureau, merged_town, signed_on=date(YEAR, 3, 10))

    def ranked(month):
        report = period_report(county.root, month)
        return {row.unit.name for g in report.ranking("domestic_signed_count") for row in g.rows}, report

    names, report = ranked(date(YEAR, 10, 1))
    assert "乙镇" in names
    names, report = ranked(NOV)
    assert "乙镇" not in names and "甲镇" in names
    assert report.progress(county.root, "domestic_signed_count").ytd == 1  # the county's figure keeps it
    assert "乙镇" not in {u["name"] for u in build_snapshot(county.root, NOV)["units"]}


def test_the_units_that_must_report_are_those_of_the_month(county, merged_town, new_team):
    assert merged_town in reporting_units(month=date(YEAR, 10, 1))
    assert merged_town not in reporting_units(month=NOV)
    assert merged_town not in unreported_units(county.root, NOV)
    assert merged_town in unreported_units(county.root, date(YEAR, 10, 1))
    # The reminders after the deadline day of December remind November's units only.
    reminded = {r.summary_line for r in missing_reports(date(YEAR, 12, 20))}
    assert "甲镇" in reminded and "乙镇" not in reminded


def test_the_months_pages_expect_each_months_own_units(county, merged_town, client_for):
    client = client_for(county.bureau)
    page = client.get(reverse("month_status", args=[f"{YEAR}-11"])).content.decode()
    assert "甲镇" in page and "乙镇" not in page
    page = client.get(reverse("month_status", args=[f"{YEAR}-10"])).content.decode()
    assert "乙镇" in page


def test_the_months_list_expects_each_months_own_count(county, merged_town, client_for):
    response = client_for(county.bureau).get(reverse("month_list"))
    expected = {row["month"]: row["expected"] for row in response.context["rows"]}
    if date(YEAR, 10, 1) in expected and NOV in expected:  # the page lists the last 24 months
        assert expected[NOV] == expected[date(YEAR, 10, 1)] - 1


def test_the_system_admin_sets_a_units_months_and_no_group(county, client_for):
    """投资促进中心, the bureau's own office, is taken out of the 部门组 it assesses: never ranked again."""
    client = client_for(county.sysadmin)
    unit = county.bureau_unit
    url = reverse("sysadmin:org_unit_change", args=[unit.pk])
    page = client.get(url).content.decode()
    assert "不参与考核排名（无考核组）" in page and "起始月份" in page and "截止月份" in page
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "group": "",
        "sort_order": 0,
        "is_active": "on",
        "effective_from": "2026-13",
        "effective_to": "",
    }
    response = client.post(url, data)
    assert "月份格式应为 YYYY-MM，例如 2026-12" in response.content.decode()
    response = client.post(url, {**data, "effective_from": f"{YEAR}-12"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.group, unit.effective_from, unit.effective_to) == (None, DEC, None)
    data = AuditEntry.objects.get(action="unit.updated").data
    assert data["group"] == ["部门组", None] and data["effective_from"] == [None, f"{YEAR}-12-01"]
    ranked = {row.unit.pk for g in period_report(county.root, DEC).ranking("domestic_arrived_wan") for row in g.rows}
    assert unit.pk not in ranked and county.department.pk in ranked
