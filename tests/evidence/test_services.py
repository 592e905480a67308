"""attach() and remove(): the file stored with its size, type and sha256; only the writers of what it proves may
add or remove it; a closed month refuses it where it proves something dated; every upload and deletion audited;
a file of a kind an item's 认定 needs sends that item (and only it) back to 待认定."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tests.evidence import helpers as h
from tests.evidence.conftest import LAST, PAST, attach_pdf, make_trip, stored_files
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.guard import MonthClosed
from zhaoshang.closing.services import month_close
from zhaoshang.core.errors import Refused
from zhaoshang.core.periods import current_month
from zhaoshang.evidence import services
from zhaoshang.evidence.models import Attachment, evidence_storage
from zhaoshang.projects.models import Verification, VerificationRules

pytestmark = pytest.mark.django_db


def test_it_stores_the_file_with_its_size_type_and_hash_and_audits_the_upload(county):
    before = stored_files()
    found = attach_pdf(county.reporter, name="C:\\扫描\\投资合同.pdf", project=county.project, note="正式合同")
    assert (found.name, found.size, found.content_type) == ("投资合同.pdf", len(h.PDF), "application/pdf")
    assert found.sha256 == hashlib.sha256(h.PDF).hexdigest()
    assert found.unit == county.town and found.uploaded_by == county.reporter
    (new,) = stored_files() - before
    assert new == found.file.name and new.startswith("evidence/") and "投资合同" not in new  # a random name
    with evidence_storage().open(new, "rb") as stored:
        assert stored.read() == h.PDF
    entry = AuditEntry.objects.get(action="evidence.uploaded")
    assert (entry.actor, entry.unit, entry.data["name"]) == (county.reporter, county.town, [None, "投资合同.pdf"])
    assert entry.data["project"] == [None, county.project.code]


def test_it_removes_the_row_then_the_file_and_audits_it(county, django_capture_on_commit_callbacks):
    found = attach_pdf(county.reporter, project=county.project)
    name = found.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(actor=county.unit_head, attachment=found)
    assert not Attachment.objects.exists()
    assert name not in stored_files()
    entry = AuditEntry.objects.get(action="evidence.deleted")
    assert (entry.actor, entry.unit, entry.data["name"]) == (county.unit_head, county.town, ["合同.pdf", None])


@pytest.mark.parametrize(
    "who, which",
    [
        ("outsider", "project"),  # 乙镇's reporter, 甲镇's project
        ("reporter", "park_project"),  # 甲镇's reporter writes 甲镇 only, not 甲镇工业园 below it
        ("leader", "project"),  # reads everything, writes nothing
        ("dept_user", "project"),
    ],
)
def test_a_user_attaches_only_to_what_it_writes(county, who, which):
    before = stored_files()
    with pytest.raises(PermissionDenied):
        attach_pdf(getattr(county, who), project=getattr(county, which))
    assert not Attachment.objects.exists() and stored_files() == before
    assert not AuditEntry.objects.filter(action="evidence.uploaded").exists()


def test_a_trips_files_are_its_units_writers(county, town_trip):
    found = attach_pdf(county.unit_head, kind="other", name="行程单.pdf", trip=town_trip)
    assert found.unit == county.town and found.project is None
    with pytest.raises(PermissionDenied):
        attach_pdf(county.outsider, kind="other", trip=town_trip)
    with pytest.raises(PermissionDenied):
        services.remove(actor=county.outsider, attachment=found)


def test_a_narrower_target_must_be_the_projects_own(county):
    theirs = county.other_project.stage_changes.first()
    with pytest.raises(Refused, match="所选阶段变更不属于本项目"):
        attach_pdf(county.bureau, project=county.project, stage_change=theirs)


def test_a_closed_month_refuses_files_proving_its_figures(county):
    month_close(actor=county.bureau, month=PAST)
    with pytest.raises(MonthClosed):
        attach_pdf(county.reporter, kind="bank_slip", project=county.project, funds_month=PAST)
    stage = county.project.stage_changes.first()
    stage.changed_on = PAST + timedelta(days=3)
    type(stage).objects.filter(pk=stage.pk).update(changed_on=stage.changed_on)  # a stage reached in that month
    with pytest.raises(MonthClosed):
        attach_pdf(county.reporter, project=county.project, stage_change=stage)
    trip = make_trip(county.reporter, county.town, departs=LAST)
    month_close(actor=county.bureau, month=LAST)
    with pytest.raises(MonthClosed):
        attach_pdf(county.reporter, kind="other", trip=trip)
    # the project itself is not dated: its licence may come any day; an open month's receipt too
    attach_pdf(county.reporter, kind="licence", project=county.project)
    open_month = attach_pdf(county.reporter, kind="bank_slip", project=county.project, funds_month=current_month())
    assert Attachment.objects.count() == 2 and open_month.funds_month.day == 1


def test_a_closed_month_refuses_removing_its_receipt(county):
    receipt = attach_pdf(county.reporter, kind="bank_slip", project=county.project, funds_month=PAST)
    month_close(actor=county.bureau, month=PAST)
    with pytest.raises(MonthClosed):
        services.remove(actor=county.bureau, attachment=receipt)
    assert Attachment.objects.filter(pk=receipt.pk).exists()


def _decided(project, kind, month=None, status="passed"):
    return Verification.objects.create(
        project=project,
        kind=kind,
        month=month,
        status=status,
        amount=project.contract_amount,
        on_date=project.signed_on,
    )


def _statuses(project) -> dict:
    return {
        (v.kind, v.month.strftime("%Y-%m") if v.month else None): v.status
        for v in Verification.objects.filter(project=project)
    }


def test_a_new_receipt_sends_back_only_its_months_funds(county):
    p = county.project
    may, june = PAST, LAST
    for item in (("signing", None), ("start", None), ("funds", may), ("funds", june)):
        _decided(p, *item)
    attach_pdf(county.reporter, kind="bank_slip", name="进账单.pdf", project=p, funds_month=may)
    assert _statuses(p) == {
        ("signing", None): "passed",
        ("start", None): "passed",
        ("funds", f"{may:%Y-%m}"): "pending",
        ("funds", f"{june:%Y-%m}"): "passed",
    }
    entry = AuditEntry.objects.get(action="verification.reset")
    assert entry.unit == county.town and entry.data["status"] == ["已认定", "待认定"]
    assert entry.data["evidence"] == [None, "进账单.pdf"]


def test_a_new_contract_sends_back_the_signing_and_an_unrelated_kind_nothing(county):
    p = county.project
    for item in (("signing", None), ("start", None), ("production", None)):
        _decided(p, *item)
    _decided(p, "funds", PAST, status="refused")
    attach_pdf(county.reporter, kind="other", project=p)
    attach_pdf(county.reporter, kind="capital_report", project=p)
    assert set(_statuses(p).values()) == {"passed", "refused"}
    assert not AuditEntry.objects.filter(action="verification.reset").exists()
    attach_pdf(county.reporter, kind="contract", project=p)
    assert _statuses(p)[("signing", None)] == "pending"
    assert _statuses(p)[("start", None)] == "passed"
    # a site photo serves the start; a refused funds month stays refused (a photo says nothing of money)
    services.attach(actor=county.reporter, kind="site_photo", upload=h.upload("现场.png", h.png()), project=p)
    assert _statuses(p) == {
        ("signing", None): "pending",
        ("start", None): "pending",
        ("production", None): "passed",
        ("funds", f"{PAST:%Y-%m}"): "refused",
    }


def test_removing_a_required_file_sends_its_item_back(county, django_capture_on_commit_callbacks):
    p = county.project
    licence = attach_pdf(county.reporter, kind="licence", project=p)
    _decided(p, "signing")
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(actor=county.reporter, attachment=licence)
    assert _statuses(p) == {("signing", None): "pending"}
    assert AuditEntry.objects.filter(action="verification.reset", actor=county.reporter).count() == 1


def test_the_installs_own_requirements_decide_what_a_kind_serves(county):
    VerificationRules.objects.create(
        root=county.root, requirements={"signing": [["contract"]], "production": [["other"]]}
    )
    p = county.project
    _decided(p, "signing")
    _decided(p, "production")
    attach_pdf(county.reporter, kind="licence", project=p)  # no longer needed for the signing here
    assert _statuses(p) == {("signing", None): "passed", ("production", None): "passed"}
    attach_pdf(county.reporter, kind="other", project=p)
    assert _statuses(p) == {("signing", None): "passed", ("production", None): "pending"}


def test_the_cap_is_a_setting_and_the_refusal_names_it(county, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = h.upload("扫描件.pdf", h.PDF + b"0" * (1024 * 1024 + 512 * 1024))
    with pytest.raises(Refused) as caught:
        services.attach(actor=county.reporter, kind="contract", upload=big, project=county.project)
    assert caught.value.messages == ["文件不能超过 1 MB（本文件 1.5 MB），请压缩或拆分后再上传"]
    assert not Attachment.objects.exists()
