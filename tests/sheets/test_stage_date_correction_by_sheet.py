"""A 签约日期 corrected through the 项目台账 sheet corrects the stage history too, as the project page does."""

from datetime import timedelta

import pytest

from tests.factories import default_signing_day
from tests.sheets.files import xlsx
from tests.sheets.test_import_records import PROJECT_HEADERS, project_row, run
from zhaoshang.audit.models import AuditEntry
from zhaoshang.projects.models import Project, StageChange
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.undo import import_undo

pytestmark = pytest.mark.django_db


def test_a_sheet_correcting_the_signing_date_moves_the_history_with_it(county, tmp_path):
    status, _, err = run("projects", xlsx(tmp_path, [project_row("XM-001")], PROJECT_HEADERS), "--user", "reporter")
    assert status == 0, err
    corrected = default_signing_day() + timedelta(days=5)
    row = project_row("XM-001", 签约日期=corrected.isoformat())
    status, out, err = run("projects", xlsx(tmp_path, [row], PROJECT_HEADERS, name="b.xlsx"), "--user", "reporter")
    assert status == 0, err
    project = Project.objects.get(code="XM-001")
    assert project.signed_on == corrected
    assert list(StageChange.objects.filter(project=project).values_list("to_stage", "changed_on")) == [
        ("签约", corrected)
    ]
    entry = AuditEntry.objects.get(action="project.stage_history_corrected")
    assert (entry.source, entry.actor) == ("import", county.reporter)


def test_undoing_the_sheet_puts_the_date_and_the_history_back(county, tmp_path):
    run("projects", xlsx(tmp_path, [project_row("XM-001")], PROJECT_HEADERS), "--user", "reporter")
    first = default_signing_day()
    row = project_row("XM-001", 签约日期=(first + timedelta(days=5)).isoformat())
    run("projects", xlsx(tmp_path, [row], PROJECT_HEADERS, name="b.xlsx"), "--user", "reporter")
    restored = import_undo(actor=county.reporter, log=ImportLog.objects.latest("pk"))
    assert restored == 1  # one row of the sheet, its history following it
    project = Project.objects.get(code="XM-001")
    assert project.signed_on == first
    assert list(StageChange.objects.filter(project=project).values_list("changed_on", flat=True)) == [first]
