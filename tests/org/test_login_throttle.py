"""Login throttling by account and address, and by address alone (org/lockout.py).

A stranger's failures must not lock `bureau` out of its own office; one address failing over many accounts is
stopped for every account; behind a proxy the address is the one the proxy appended, not what the client says.
"""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from zhaoshang.audit.models import AuditEntry

PASSWORD = "Test@12345"
STRANGER = "203.0.113.7"
OFFICE = "198.51.100.20"


def sign_in(username, password, address, **headers):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail_from(address, username, times, **headers):
    for _ in range(times):
        response = sign_in(username, "wrong-password", address, **headers)
        assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_it_does_not_let_a_strangers_failures_lock_the_bureau_out_of_its_office(county):
    fail_from(STRANGER, "bureau", 5)

    from_office = sign_in("bureau", PASSWORD, OFFICE)
    assert from_office.status_code == 302
    assert from_office.client.session["_auth_user_id"] == str(county.bureau.pk)

    # The stranger's own address stays locked for that account, even with the right password.
    from_stranger = sign_in("bureau", PASSWORD, STRANGER)
    assert from_stranger.status_code == 429
    text = from_stranger.content.decode()
    assert "账号已锁定" in text and "该账号在此地址连续5次登录失败，已被锁定30分钟" in text
    assert "_auth_user_id" not in from_stranger.client.session


@pytest.mark.django_db
def test_it_tells_a_wrong_password_and_the_rule_in_chinese(county):
    response = sign_in("bureau", "wrong-password", OFFICE)
    assert response.status_code == 200
    assert "用户名或密码错误。同一账号在同一地址连续输错5次密码，将被锁定30分钟。" in response.content.decode()


@pytest.mark.django_db
def test_it_locks_an_address_out_for_every_account_after_many_failures(county):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 30
    # Four failures on each of seven accounts (none reaches its own limit of five): 28 from the address, which
    # still lets an account in…
    for name in ["reporter", "unithead", "bureau", "leader", "auditor", "sysadmin", "nobody"]:
        fail_from(STRANGER, name, 4)
    assert sign_in("dept", PASSWORD, STRANGER).status_code == 302

    fail_from(STRANGER, "outsider", 2)  # …until the 30th: then every account is refused from there
    refused = sign_in("dept", PASSWORD, STRANGER)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "此地址已暂停登录" in text
    assert "登录失败次数过多（30次），该地址已被暂停登录30分钟，任何账号都不能从此地址登录" in text
    assert "_auth_user_id" not in refused.client.session

    # The same accounts sign in from anywhere else.
    assert sign_in("dept", PASSWORD, OFFICE).status_code == 302
    assert sign_in("bureau", PASSWORD, OFFICE).status_code == 302

    locked = AuditEntry.objects.filter(action="auth.locked_out", ip=STRANGER).first()
    assert locked is not None and locked.data["scope"] == "此地址（所有账号）"


@pytest.mark.django_db
def test_it_records_sign_ins_with_the_address_and_the_accounts_unit(county):
    sign_in("reporter", "wrong-password", OFFICE)
    fail_from(STRANGER, "unithead", 5)
    sign_in("reporter", PASSWORD, OFFICE)

    failed = AuditEntry.objects.get(action="auth.login_failed", target_id=str(county.reporter.pk))
    assert (failed.ip, failed.unit) == (OFFICE, county.town)
    login = AuditEntry.objects.get(action="auth.login")
    assert (login.ip, login.unit, login.actor) == (OFFICE, county.town, county.reporter)
    locked = AuditEntry.objects.filter(action="auth.locked_out", target_id=str(county.unit_head.pk)).first()
    assert (locked.ip, locked.unit, locked.data["scope"]) == (STRANGER, county.town, "此账号在此地址")


@pytest.mark.django_db
@override_settings(BEHIND_PROXY=True)
def test_it_throttles_the_address_the_proxy_appended_not_the_one_the_client_claims(county):
    proxy = "10.0.0.2"
    # The client makes up a new left-most address every time; the proxy appends the real one.
    for n in range(5):
        sign_in("bureau", "wrong-password", proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {STRANGER}")
    refused = sign_in("bureau", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {STRANGER}")
    assert refused.status_code == 429
    assert sign_in("bureau", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE).status_code == 302

    failures = AuditEntry.objects.filter(action="auth.login_failed")
    assert set(failures.values_list("ip", flat=True)) == {STRANGER}


@pytest.mark.django_db
def test_it_ignores_forwarded_addresses_without_a_proxy(county):
    for n in range(5):
        sign_in("bureau", "wrong-password", STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in("bureau", PASSWORD, STRANGER, HTTP_X_FORWARDED_FOR="192.0.2.50").status_code == 429
    assert set(AuditEntry.objects.filter(action="auth.login_failed").values_list("ip", flat=True)) == {STRANGER}


@pytest.mark.django_db
def test_the_system_admin_finds_an_address_and_unlocks_it(county, client_for):
    from axes.models import AccessAttempt

    for name in ["reporter", "unithead", "bureau", "leader", "auditor", "nobody"]:
        fail_from(STRANGER, name, 5)
    assert sign_in("dept", PASSWORD, STRANGER).status_code == 429

    admin = client_for(county.sysadmin)
    listed = admin.get(reverse("sysadmin:org_loginlockout_changelist"), {"q": STRANGER})
    rows = listed.context["cl"].result_list
    assert {a.ip_address for a in rows} == {STRANGER} and len(rows) == AccessAttempt.objects.count()
    response = admin.post(
        reverse("sysadmin:org_loginlockout_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in rows], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(ip_address=STRANGER).exists()
    assert sign_in("dept", PASSWORD, STRANGER).status_code == 302
