"""Who decides and who sees: a county's bureau its county only (another county's items answer 404), the city's
bureau every county, a granted 认定 account its subtree, a town's users their own items and no decision."""

from tests.factories import make_user
from tests.verification.helpers import JAN, attach, decide_post, funds
from zhaoshang.audit.models import AuditEntry
from zhaoshang.org.models import Role
from zhaoshang.projects.models import Verification
from zhaoshang.verification.models import Verifier


def _ready(project, actor):
    funds(actor, project, JAN, "10")
    attach(project, "bank_slip", funds_month=JAN)


def test_a_county_bureau_neither_sees_nor_decides_another_countys_items(city, client_for):
    county = city.county
    _ready(county.project, county.bureau)
    _ready(city.n_project, city.n_bureau)
    neighbour = client_for(city.n_bureau)
    assert neighbour.get("/verification/", {"unit": county.root.pk}).status_code == 404
    assert neighbour.get("/verification/", {"unit": county.town.pk}).status_code == 404
    page = neighbour.get("/verification/", {"month": "2026-01", "span": "year"}).content.decode()
    assert city.n_project.code in page and county.project.code not in page and "测试县" not in page
    answer = decide_post(neighbour, county.project, "funds", "pass", month="2026-01")
    assert answer.status_code == 404
    bulk = neighbour.post("/verification/pass/", {"item": f"{county.project.pk}:funds:2026-01"})
    assert bulk.status_code == 302
    assert not Verification.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="verification.").exists()
    mine = neighbour.get("/verification/mine/", {"unit": county.town.pk})
    assert mine.status_code == 404


def test_the_city_bureau_decides_every_county(city, client_for):
    _ready(city.county.project, city.county.bureau)
    _ready(city.n_project, city.n_bureau)
    client = client_for(city.city_bureau)
    decide_post(client, city.county.project, "funds", "pass", month="2026-01")
    decide_post(client, city.n_project, "funds", "pass", month="2026-01")
    assert Verification.objects.filter(status="passed").count() == 2


def test_a_town_sees_its_own_items_and_decides_nothing(county, client_for):
    _ready(county.project, county.bureau)
    _ready(county.other_project, county.bureau)
    reporter = client_for(county.reporter)
    assert reporter.get("/verification/").status_code == 403
    assert decide_post(reporter, county.project, "funds", "pass", month="2026-01").status_code == 403
    assert reporter.post("/verification/pass/", {"item": f"{county.project.pk}:funds:2026-01"}).status_code == 403
    page = reporter.get("/verification/mine/", {"month": "2026-01"}).content.decode()
    assert county.project.code in page and county.other_project.code not in page
    assert client_for(county.outsider).get("/verification/mine/", {"unit": county.town.pk}).status_code == 404
    assert client_for(county.leader).post("/verification/pass/", {"item": "1:funds:2026-01"}).status_code == 403
    assert not Verification.objects.exists()


def test_a_unit_sees_why_an_item_was_refused(county, client_for):
    decide_post(client_for(county.bureau), county.project, "signing", "refuse", reason="营业执照已过期")
    page = client_for(county.reporter).get("/verification/mine/", {"month": "2026-01", "status": ""}).content.decode()
    assert "营业执照已过期" in page and "不予认定" in page
    detail = client_for(county.reporter).get(f"/projects/{county.project.pk}/").content.decode()
    assert "不予认定原因：营业执照已过期" in detail


def test_a_granted_account_decides_its_subtree_only_and_the_grant_is_audited(county, client_for):
    _ready(county.project, county.bureau)
    _ready(county.other_project, county.bureau)
    staff = make_user("staff", county.town, Role.UNIT_HEAD)
    answer = client_for(county.bureau).post("/verification/deciders/", {"username": "staff", "unit": county.town.pk})
    assert answer.status_code == 302
    assert Verifier.objects.get().unit == county.town
    assert AuditEntry.objects.get(action="verification.role_granted").actor == county.bureau
    client = client_for(staff)
    decide_post(client, county.project, "funds", "pass", month="2026-01")
    assert decide_post(client, county.other_project, "funds", "pass", month="2026-01").status_code == 404
    assert list(Verification.objects.values_list("project", flat=True)) == [county.project.pk]
    grant = Verifier.objects.get()
    client_for(county.bureau).post(f"/verification/deciders/{grant.pk}/revoke/")
    assert not Verifier.objects.exists()
    assert AuditEntry.objects.filter(action="verification.role_revoked").count() == 1
    assert client_for(staff).get("/verification/").status_code == 403


def test_a_county_cannot_grant_its_items_to_another_countys_account(city, client_for):
    client = client_for(city.county.bureau)
    page = client.post("/verification/deciders/", {"username": city.n_reporter.username, "unit": city.county.root.pk})
    assert "该账号不属于所选单位或其下级单位" in page.content.decode()
    neighbour = client_for(city.n_bureau)
    answer = neighbour.post("/verification/deciders/", {"username": "reporter", "unit": city.county.town.pk})
    assert "所选认定范围不在可选范围内" in answer.content.decode()
    assert not Verifier.objects.exists()
    assert not AuditEntry.objects.filter(action="verification.role_granted").exists()


def test_the_role_is_not_granted_to_a_leader_or_a_system_admin(county, client_for):
    client = client_for(county.bureau)
    for username in ("leader", "sysadmin", "auditor"):
        page = client.post("/verification/deciders/", {"username": username, "unit": county.root.pk})
        assert "只能授权填报员、单位负责人或主管部门管理员账号" in page.content.decode(), username
    assert not Verifier.objects.exists()
