"""Deciding items: 认定 needs the required evidence, 不予认定 a reason; a decision is audited, moves the verified
totals' version and holds only for the figure decided."""

from decimal import Decimal

from tests.evidence.helpers import PDF, upload
from tests.verification.helpers import JAN, MAR, attach, decide_post, funds, items_of
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.evidence import services as evidence_services
from zhaoshang.projects.models import Project, Verification
from zhaoshang.projects.services import project_update


def _signing(county, project=None):
    project = project or county.project
    return items_of(Project.objects.filter(pk=project.pk))[(project.pk, "signing", JAN)]


def test_passing_an_item_with_missing_evidence_is_refused_naming_what_is_missing(county, client_for):
    attach(county.project, "contract")
    answer = decide_post(client_for(county.bureau), county.project, "signing", "pass")
    assert answer.status_code == 302
    texts = [str(m) for m in answer.wsgi_request._messages]
    assert any("佐证材料不全，不能认定：缺少：营业执照" in t for t in texts), texts
    assert not Verification.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="verification.").exists()


def test_passing_with_complete_evidence_records_the_figure_decided_and_audits(county, client_for):
    attach(county.project, "contract")
    attach(county.project, "licence")
    decide_post(client_for(county.bureau), county.project, "signing", "pass")
    row = Verification.objects.get()
    assert (row.kind, row.status, row.amount, row.on_date) == (
        "signing",
        "passed",
        Decimal("5000.00"),
        county.project.signed_on,
    )
    assert row.decided_by == county.bureau and row.decided_at is not None
    entry = AuditEntry.objects.get(action="verification.passed")
    assert entry.actor == county.bureau and entry.unit == county.town
    assert _signing(county).status == "passed"


def test_refusing_needs_a_reason_and_keeps_it(county, client_for):
    client = client_for(county.bureau)
    answer = decide_post(client, county.project, "signing", "refuse", reason="  ")
    assert any("不予认定须填写原因" in str(m) for m in answer.wsgi_request._messages)
    assert not Verification.objects.exists()
    decide_post(client, county.project, "signing", "refuse", reason="合同未盖章")
    item = _signing(county)
    assert (item.status, item.reason) == ("refused", "合同未盖章")
    assert AuditEntry.objects.filter(action="verification.refused", actor=county.bureau).count() == 1


def test_a_changed_figure_sends_the_item_back_to_pending(county, client_for):
    client = client_for(county.bureau)
    funds(county.bureau, county.project, MAR, "120")
    attach(county.project, "invoice", funds_month=MAR)
    attach(county.project, "contract")
    attach(county.project, "licence")
    decide_post(client, county.project, "funds", "pass", month="2026-03")
    decide_post(client, county.project, "signing", "pass")
    key = (county.project.pk, "funds", MAR)
    assert items_of(Project.objects.filter(pk=county.project.pk))[key].status == "passed"

    funds(county.bureau, county.project, MAR, "150")
    project_update(actor=county.bureau, project=county.project, values={"contract_amount": Decimal("6000")})
    items = items_of(Project.objects.filter(pk=county.project.pk))
    assert items[key].status == "pending"
    assert items[(county.project.pk, "signing", JAN)].status == "pending"


def test_a_closed_months_item_may_still_be_decided(county, client_for):
    """Closing freezes what units declared; 认定 checks those figures, normally after the month is closed."""
    funds(county.bureau, county.project, JAN, "80")
    attach(county.project, "bank_slip", funds_month=JAN)
    month_close(actor=county.bureau, month=JAN, unit=county.root)
    decide_post(client_for(county.bureau), county.project, "funds", "pass", month="2026-01")
    assert Verification.objects.get().status == "passed"


def test_an_item_the_ledger_does_not_have_is_refused(county, client_for):
    decide_post(client_for(county.bureau), county.project, "start", "refuse", reason="无")
    decide_post(client_for(county.bureau), county.project, "funds", "refuse", month="2026-02", reason="无")
    assert not Verification.objects.exists()


def test_bulk_passes_the_items_with_complete_evidence_and_names_the_others(county, client_for):
    funds(county.bureau, county.project, JAN, "80")
    funds(county.bureau, county.project, MAR, "20")
    attach(county.project, "bank_slip", funds_month=JAN)
    answer = client_for(county.bureau).post(
        "/verification/pass/",
        {
            "item": [f"{county.project.pk}:funds:2026-01", f"{county.project.pk}:funds:2026-03"],
            "next": "/verification/",
        },
    )
    texts = [str(m) for m in answer.wsgi_request._messages]
    assert "已认定1项" in texts
    assert any(county.project.code in t and "缺少：银行进账单或发票" in t for t in texts), texts
    assert list(Verification.objects.values_list("month", "status")) == [(JAN, "passed")]


def test_the_queue_shows_the_figure_the_evidence_and_what_is_missing(county, client_for):
    funds(county.bureau, county.project, JAN, "80.5")
    attach(county.project, "contract", name="投资合同.pdf")
    page = client_for(county.bureau).get("/verification/", {"month": "2026-01", "span": "quarter"}).content.decode()
    assert county.project.code in page and county.project.name in page
    assert "协议资金 5,000.00 万元" in page
    assert "到位资金 80.50 万元" in page
    assert "投资合同.pdf" in page
    assert "缺少：营业执照" in page and "缺少：银行进账单或发票" in page
    assert county.other_project.code in page  # the whole county


def test_a_new_file_of_a_needed_kind_sends_a_passed_item_back_to_pending(county, client_for, settings, tmp_path):
    """With the evidence app's upload: a second 营业执照 after 认定 means the signing is looked at again."""
    settings.MEDIA_ROOT = tmp_path
    for kind in ("contract", "licence"):
        evidence_services.attach(
            actor=county.reporter, kind=kind, upload=upload(f"{kind}.pdf", PDF), project=county.project
        )
    decide_post(client_for(county.bureau), county.project, "signing", "pass")
    assert _signing(county).status == "passed"
    evidence_services.attach(
        actor=county.reporter, kind="licence", upload=upload("新执照.pdf", PDF), project=county.project
    )
    assert _signing(county).status == "pending"
