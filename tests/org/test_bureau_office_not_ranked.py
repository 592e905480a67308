"""The bureau's own office (投资促进中心) assesses the departments: in the demo county it has no 考核组, so it is
never ranked among them nor on their red or black list, while the other departments still are."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from zhaoshang.org.models import Unit
from zhaoshang.progress.report import period_report

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 28)


def test_the_demo_bureau_office_is_not_ranked_with_the_departments_it_assesses():
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=StringIO())
    office = Unit.objects.get(name="示范县投资促进中心")
    assert office.group is None
    root = Unit.objects.get(parent=None)
    report = period_report(root, date(2026, 10, 1))
    for code in ("domestic_arrived_wan", "domestic_signed_count"):
        groups = {g.group.name: [row.unit.name for row in g.rows] for g in report.ranking(code)}
        assert all(office.name not in names for names in groups.values())
        assert len(groups["部门组"]) == Unit.objects.filter(kind="部门").count() - 1
