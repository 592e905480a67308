"""The 单位 sheet may carry the months a unit counts in (起始月份, 截止月份) after its four columns; a sheet without
them (made before they existed) still imports and leaves the months as they are."""

import io
from datetime import date

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.sheets.files import xlsx
from tests.sheets.test_import_records import UNIT_HEADERS, run
from zhaoshang.audit.models import AuditEntry
from zhaoshang.org.models import Unit

pytestmark = pytest.mark.django_db
WITH_MONTHS = UNIT_HEADERS + ["起始月份", "截止月份"]


def test_a_sheet_sets_a_new_teams_first_month_and_a_merged_towns_last(county, tmp_path):
    rows = [
        ["第二招商小分队", "招商小分队", "测试县", "小分队组", "2026-12", None],
        ["乙镇", "乡镇", "测试县", "乡镇组", None, "2026-10"],
    ]
    status, out, err = run("units", xlsx(tmp_path, rows, WITH_MONTHS), "--user", "sysadmin")
    assert status == 0, err
    team = Unit.objects.get(name="第二招商小分队")
    assert (team.effective_from, team.effective_to) == (date(2026, 12, 1), None)
    assert Unit.objects.get(name="乙镇").effective_to == date(2026, 10, 1)
    audited = AuditEntry.objects.get(action="unit.updated", target_id=str(county.other_town.pk)).data
    assert audited["effective_to"] == [None, "2026-10-01"] and set(audited) == {"effective_to", "import"}
    # The same units in a sheet of the four columns only: the months stay.
    rows = [row[:4] for row in rows]
    status, out, err = run("units", xlsx(tmp_path, rows, UNIT_HEADERS, name="b.xlsx"), "--user", "sysadmin")
    assert status == 0, err
    assert "未变 2" in out
    assert Unit.objects.get(name="第二招商小分队").effective_from == date(2026, 12, 1)


def test_a_wrong_month_and_months_out_of_order_are_refused_by_row_and_column(county, tmp_path):
    rows = [
        ["第二招商小分队", "招商小分队", "测试县", "小分队组", "十二月", None],
        ["乙镇", "乡镇", "测试县", "乡镇组", "2026-10", "2026-03"],
    ]
    status, _, err = run("units", xlsx(tmp_path, rows, WITH_MONTHS), "--user", "sysadmin")
    assert status == 1
    assert "第2行 起始月份: 月份格式应为 YYYY-MM，例如 2026-05，收到“十二月”" in err
    assert "第3行 截止月份: 截止月份不能早于起始月份" in err
    assert not Unit.objects.filter(name="第二招商小分队").exists()
    assert Unit.objects.get(name="乙镇").effective_from is None


def test_the_units_template_carries_the_months_and_imports_back_unchanged(county, client_for, tmp_path):
    county.team.effective_from = date(2026, 12, 1)
    county.team.save()
    response = client_for(county.sysadmin).get(reverse("sheet_template", args=["units"]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:6] == WITH_MONTHS
    assert [r[4] for r in rows if r[0] == "第一招商小分队"] == ["2026-12"]
    body = [[cell if cell != "" else None for cell in row[:6]] for row in rows[1:]]
    status, out, err = run("units", xlsx(tmp_path, body, WITH_MONTHS), "--user", "sysadmin")
    assert status == 0, err
    assert f"未变 {len(body)}" in out
