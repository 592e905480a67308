"""What a rerun does with the flags already raised, and the run after a write: after a page's save and after an
xlsx import, once per transaction."""

import io
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.quality.helpers import Y, flags, funds, run, signed
from zhaoshang.core.periods import format_month
from zhaoshang.projects import services as ledger
from zhaoshang.projects.services import EDITABLE_FIELDS
from zhaoshang.quality import services
from zhaoshang.quality.models import Flag, FlagStatus, Rule
from zhaoshang.sheets.services import run_import

pytestmark = pytest.mark.django_db


def test_a_rerun_raises_nothing_twice(county):
    c = county
    p = signed(c, contract_amount=Decimal(100))
    funds(c, p, 2, 500)
    first = run(c)
    again = run(c)
    assert first.raised >= 1 and again.raised == 0
    assert len(flags(Rule.OVER_CONTRACT)) == 1


def test_corrected_data_marks_the_flag_corrected_and_a_relapse_reopens_it(county):
    c = county
    p = signed(c, contract_amount=Decimal(100))
    funds(c, p, 2, 500)
    run(c)
    funds(c, p, 2, 80)  # corrected: 80 ≤ 100
    result = run(c)
    (flag,) = flags(Rule.OVER_CONTRACT)
    assert flag.status == FlagStatus.CORRECTED and result.corrected == 1
    funds(c, p, 2, 120)  # above again
    run(c)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert flag.detail == "累计到位资金120.00万元，超过协议资金100.00万元"
    assert Flag.objects.count() == 1


def test_an_explained_or_closed_flag_is_kept_as_it_is(county):
    c = county
    a, b = signed(c, contract_amount=Decimal(100)), signed(c, contract_amount=Decimal(100))
    funds(c, a, 2, 500)
    funds(c, b, 2, 500)
    run(c)
    fa, fb = flags(Rule.OVER_CONTRACT)
    services.flag_explain(actor=c.reporter, flag=fa, text="投资方追加投资，补充协议在签")
    services.flag_close(actor=c.bureau, flag=fb, note="已核实")
    funds(c, a, 2, 50)
    funds(c, b, 2, 50)
    run(c)
    fa.refresh_from_db()
    fb.refresh_from_db()
    assert (fa.status, fb.status) == (FlagStatus.EXPLAINED, FlagStatus.CLOSED)


def test_a_page_save_raises_the_flag_once_it_commits(county, client_for, django_capture_on_commit_callbacks):
    c = county
    p = signed(c, contract_amount=Decimal(5000))
    funds(c, p, 2, 3000)
    assert flags(Rule.OVER_CONTRACT) == []
    data = {k: ("" if v is None else v) for k, v in model_to_dict(p, fields=EDITABLE_FIELDS).items()}
    data["contract_amount"] = "2000"  # the contract lowered below the 3,000 arrived
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(c.reporter).post(reverse("project_edit", args=[p.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1  # one run for the transaction, whatever rows it wrote
    (flag,) = flags(Rule.OVER_CONTRACT)
    assert flag.project == p and flag.detail == "累计到位资金3,000.00万元，超过协议资金2,000.00万元"


def test_a_rolled_back_write_runs_nothing(county, django_capture_on_commit_callbacks):
    c = county
    p = signed(c, contract_amount=Decimal(100))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            ledger.project_change_stage(actor=c.bureau, project=p, to_stage="终止", on_date=date(Y, 2, 1))
    assert callbacks == []


def _funds_sheet(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["项目编号", "月份", "到位资金"])
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    book.close()
    return buffer.getvalue()


def test_an_xlsx_import_raises_the_flags_of_its_rows(county, django_capture_on_commit_callbacks):
    c = county
    p = signed(c, contract_amount=Decimal(1000))
    q = signed(c, contract_amount=Decimal(1000))
    sheet = _funds_sheet([[p.code, format_month(date(Y, 3, 1)), 1200], [q.code, format_month(date(Y, 3, 1)), 900]])
    with django_capture_on_commit_callbacks(execute=True):
        result = run_import("funds", sheet, file_name="到位资金.xlsx", actor=c.reporter, dry_run=False)
    assert result.ok, result.errors
    (flag,) = flags(Rule.OVER_CONTRACT)  # 1,200 > 1,000; 900 is not
    assert flag.project == p and flag.detail == "累计到位资金1,200.00万元，超过协议资金1,000.00万元"


def test_the_nightly_command_runs_every_rule(county):
    from django.core.management import call_command

    c = county
    p = signed(c, contract_amount=Decimal(100))
    funds(c, p, 2, 500)
    out = io.StringIO()
    call_command("quality", "run", "--root", "测试县", stdout=out)
    assert "新发现" in out.getvalue()
    assert len(flags(Rule.OVER_CONTRACT)) == 1
