"""The 认定 settings (the root's bureau only, validated, audited, used by the queue) and the pages' query counts."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_project
from tests.verification.helpers import FEB, JAN, attach, funds, items_of
from zhaoshang.audit.models import AuditEntry
from zhaoshang.projects.models import Project, VerificationRules


def test_the_root_bureau_sets_the_evidence_each_item_needs_and_the_queue_follows(county, client_for):
    data = {"counted": "verified", "signing_0": ["contract"], "funds_1": ["invoice", "capital_report"]}
    answer = client_for(county.bureau).post("/verification/rules/", data)
    assert answer.status_code == 302
    rules = VerificationRules.objects.get()
    assert rules.counted == "verified" and rules.root == county.root
    assert rules.requirements == {
        "signing": [["contract"]],
        "start": [],
        "production": [],
        "funds": [["capital_report", "invoice"]],
    }
    entry = AuditEntry.objects.get(action="verification.rules_updated")
    assert entry.actor == county.bureau and entry.data["counted"] == ["declared", "verified"]
    funds(county.bureau, county.project, JAN, "5")
    items = items_of(Project.objects.filter(pk=county.project.pk))
    assert items[(county.project.pk, "signing", JAN)].missing_text == "缺少：合同"
    assert items[(county.project.pk, "funds", JAN)].missing_text == "缺少：验资报告或发票"
    page = client_for(county.bureau).get("/verification/rules/").content.decode()
    assert "验资报告或发票" in page


def test_only_the_roots_bureau_changes_the_settings(city, client_for):
    county_bureau = client_for(city.county.bureau)
    assert county_bureau.get("/verification/rules/").status_code == 200
    assert county_bureau.post("/verification/rules/", {"counted": "verified"}).status_code == 403
    assert client_for(city.county.reporter).get("/verification/rules/").status_code == 403
    assert client_for(city.city_bureau).post("/verification/rules/", {"counted": "verified"}).status_code == 302
    assert not AuditEntry.objects.filter(action="verification.rules_updated", actor=city.county.bureau).exists()


def test_a_bad_setting_is_refused_in_the_products_words(county, client_for):
    page = client_for(county.bureau).post("/verification/rules/", {"counted": "x", "signing_0": ["forged"]})
    assert page.status_code == 200
    assert not VerificationRules.objects.exists()


def _queries(client, path, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_and_a_units_page_make_a_fixed_number_of_queries(county, client_for):
    params = {"month": "2026-01", "span": "quarter", "status": ""}
    funds(county.bureau, county.project, JAN, "1")
    attach(county.project, "bank_slip", funds_month=JAN)
    bureau, reporter = client_for(county.bureau), client_for(county.reporter)
    few = (_queries(bureau, "/verification/", params), _queries(reporter, "/verification/mine/", params))
    for n in range(5):
        project = make_project(county.bureau, county.town, signed_on=date(2026, 1, 3 + n))
        funds(county.bureau, project, FEB, "5")
        attach(project, "contract")
        attach(project, "invoice", funds_month=FEB)
    many = (_queries(bureau, "/verification/", params), _queries(reporter, "/verification/mine/", params))
    assert few == many
    detail = [_queries(bureau, f"/projects/{county.project.pk}/", {})]
    funds(county.bureau, county.project, FEB, "2")
    attach(county.project, "invoice", funds_month=FEB)
    detail.append(_queries(bureau, f"/projects/{county.project.pk}/", {}))
    assert detail[0] == detail[1]


def test_the_queue_builds_only_the_items_it_shows_and_counts_them_all(county, client_for, monkeypatch):
    """A city's month holds some 20,000 到位资金 items: the page shows the first N (sorted by unit, project, item)
    and says how many there are; the counts by status cover every item of the period."""
    from zhaoshang.verification import views

    monkeypatch.setattr(views, "QUEUE_LIMIT", 3)
    projects = [make_project(county.bureau, county.town, signed_on=date(2026, 1, 3 + n)) for n in range(4)]
    for project in projects:
        funds(county.bureau, project, FEB, "5")
    bureau = client_for(county.bureau)
    params = {"month": "2026-01", "span": "quarter", "status": ""}
    expected = len(items_of(Project.objects.under(county.root), JAN, date(2026, 3, 1)))
    assert expected >= 8  # four signings and four months of 到位资金, at least
    page = bureau.get("/verification/", params).content.decode()
    assert page.count("vq-card vq-") == 3
    assert f"本页列出前3项（共{expected}项）" in page
    assert f"待认定 {expected} 项" in page
    only_funds = bureau.get("/verification/", {**params, "kind": "funds"}).content.decode()
    assert "本页列出前3项（共4项）" in only_funds and only_funds.count("到位资金 5.00") == 3
