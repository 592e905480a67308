"""Every write, from every path, appends an audit entry; the application never edits or deletes one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.projects.forms import post_new_project
from zhaoshang.audit.models import AuditEntry, AuditLogIsAppendOnly
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.org.models import Unit

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)


def test_it_audits_a_page_write_with_before_and_after(county, client_for):
    client = client_for(county.reporter)
    client.post(
        reverse("monthly_report"),
        {"unit": county.town.pk, "month": format_month(LAST), f"funds-{county.project.pk}": "12.5"},
    )
    client.post(
        reverse("monthly_report"),
        {
            "unit": county.town.pk,
            "month": format_month(LAST),
            f"funds-{county.project.pk}": "20",
            f"initial-funds-{county.project.pk}": "12.50",  # the value the page showed (reporting/grid.py)
        },
    )
    entries = list(AuditEntry.objects.filter(action="funds.set").order_by("id"))
    assert [e.data["amount"] for e in entries] == [[None, "12.50"], ["12.50", "20.00"]]
    assert all(e.source == "page" and e.actor == county.reporter and e.unit == county.town for e in entries)
    assert entries[0].target_id == str(county.project.pk)


def test_it_audits_project_creation_from_the_page(county, client_for):
    response = post_new_project(
        client_for(county.reporter),
        county.town,
        code="XM-NEW-1",
        name="年产10万吨饲料项目",
        investor="某某饲料有限公司",
        credit_code="",
        stage="在谈",
    )
    assert response.status_code == 302, response.content.decode()
    entry = AuditEntry.objects.get(action="project.created", target_repr__contains="XM-NEW-1")
    assert entry.source == "page" and entry.actor == county.reporter
    assert entry.data["name"] == [None, "年产10万吨饲料项目"]


def test_it_audits_the_admin_path(county, client_for):
    client = client_for(county.sysadmin)
    response = client.post(
        reverse("sysadmin:org_unit_change", args=[county.other_town.pk]),
        {
            "name": "乙镇（更名）",
            "kind": "乡镇",
            "parent": county.root.pk,
            "group": county.other_town.group_id,
            "sort_order": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="unit.updated")
    assert entry.source == "admin" and entry.actor == county.sysadmin
    assert entry.data["name"] == ["乙镇", "乙镇（更名）"]
    assert entry.data["sort_order"] == [0, 3]


def test_it_audits_logins_and_failures(county, client):
    client.post(reverse("login"), {"username": "reporter", "password": "wrong-password"})
    client.post(reverse("login"), {"username": "reporter", "password": "Test@12345"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.data["username"] == "reporter" and failed.target_id == str(county.reporter.pk)
    assert AuditEntry.objects.filter(action="auth.login", actor=county.reporter).exists()


def test_it_never_edits_or_deletes_an_entry(county):
    entry = AuditEntry.objects.filter(action="project.created").first()
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.filter(action="tampered").count() == 0


def test_it_lets_the_auditor_search_the_log(county, client_for):
    from zhaoshang.projects import figures

    figures.monthly_funds_set(actor=county.reporter, project=county.project, month=LAST, amount=Decimal("7"))
    client = client_for(county.auditor)
    page = client.get(reverse("audit_list"), {"q": county.project.code}).content.decode()
    assert "填报到位资金" in page and county.project.code in page
    none = client.get(reverse("audit_list"), {"q": "没有这个对象"}).content.decode()
    assert "没有符合条件的记录" in none
    by_action = client.get(reverse("audit_list"), {"action": "funds.set", "source": "page"}).content.decode()
    assert "填报到位资金" in by_action and "新建项目" not in by_action.split("<tbody>")[1]
    # the changed values themselves are searchable (stored as JSON on both databases)
    assert county.project.code in client.get(reverse("audit_list"), {"q": "7.00"}).content.decode()


def test_it_shows_the_projects_history_on_its_page(county, client_for):
    from zhaoshang.projects import services

    services.project_update(actor=county.reporter, project=county.project, values={"industry_chain": "新能源"})
    page = client_for(county.leader).get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "修改项目" in page and "新能源" in page and "产业链" in page


def test_units_are_never_deleted_from_the_admin(county, client_for):
    client = client_for(county.sysadmin)
    response = client.post(reverse("sysadmin:org_unit_delete", args=[county.team.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Unit.objects.filter(pk=county.team.pk).exists()


def test_postgresql_itself_refuses_to_rewrite_the_log(county):
    """On PostgreSQL a trigger refuses UPDATE and DELETE even from raw SQL; SQLite relies on the model guard
    tested above (its test teardown deletes rows, so it cannot carry such a trigger)."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        assert AuditEntry.objects.exists()
        return
    for sql in ("UPDATE audit_auditentry SET action = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert not AuditEntry.objects.filter(action="x").exists()
