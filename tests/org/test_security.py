"""Security basics: Argon2 in production, the 等保 password policy, lockout after 5 failures, idle timeout,
CSRF, and a clean `check --deploy` with the production variables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from zhaoshang.audit.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("password", ["Zhaoshang9", "huaxi#2026", "QINGHE#88", "Qing!heyu", "长城Abc123"])
def test_it_accepts_passwords_with_three_kinds_of_character(password):
    validate_password(password)


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Ab1!", "太短"),  # too short
        ("abcdefgh1", "至少三类"),  # two kinds only
        ("ABCDEFGH", "至少三类"),
        ("password", "至少三类"),
    ],
)
def test_it_refuses_weak_passwords_in_chinese(password, reason):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as err:
            validate_password(password)
        messages = [str(m) for m in err.value.messages]
    assert any(reason in m for m in messages), messages


def test_it_hashes_with_argon2_outside_tests():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='zhaoshang.settings';"
            "django.setup();from django.conf import settings;print(settings.PASSWORD_HASHERS[0])",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_it_locks_an_account_after_five_failures_for_thirty_minutes(county):
    attacker = Client()
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "reporter", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    # Locked from that address: the right password from there is refused too (more in test_login_throttle.py).
    response = Client().post(
        reverse("login"), {"username": "reporter", "password": "Test@12345"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "已被锁定30分钟" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert AuditEntry.objects.filter(action="auth.locked_out", target_id=str(county.reporter.pk)).exists()
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    # another account is not affected
    ok = Client().post(reverse("login"), {"username": "unithead", "password": "Test@12345"}, REMOTE_ADDR="10.0.0.1")
    assert ok.status_code == 302


def test_it_ends_idle_sessions_after_thirty_minutes():
    from zhaoshang import settings as product

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert product.SESSION_RENEW_SECONDS == 60  # the 30 minutes count from the last request, to within a minute


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
@override_settings(SESSION_RENEW_SECONDS=60)
def test_a_request_renews_the_idle_expiry_at_most_once_a_minute(county, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.org import sessions

    clock = [1_000_000.0]
    monkeypatch.setattr(sessions.time, "time", lambda: clock[0])
    client = Client()
    client.force_login(county.reporter)
    client.get(reverse("notification_list"))  # renewed: never renewed before
    first = _expiry(client)
    clock[0] += 30
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notification_list"))
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _expiry(client) == first  # half a minute later: not written
    clock[0] += 31
    client.get(reverse("notification_list"))
    assert _expiry(client) > first  # a minute after the last renewal: the 30 minutes start again


@pytest.mark.django_db
def test_it_checks_csrf_on_writes(county):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.reporter)
    response = client.post(reverse("project_create"), {"code": "X"})
    assert response.status_code == 403


def test_it_passes_check_deploy_with_the_production_variables():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhaoshang.settings",
        "ZHAOSHANG_DEMO": "0",
        "ZHAOSHANG_DEBUG": "0",
        "ZHAOSHANG_SECURE": "1",
        "ZHAOSHANG_ALLOWED_HOSTS": "zhaoshang.example.gov.cn",
        "ZHAOSHANG_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {**os.environ, "ZHAOSHANG_DEMO": "0", "ZHAOSHANG_SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode != 0 and "ZHAOSHANG_SECRET_KEY" in result.stderr


def _check_without_a_key(**variables):
    unset = ("ZHAOSHANG_DEMO", "ZHAOSHANG_DEBUG", "ZHAOSHANG_SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["DJANGO_SETTINGS_MODULE"] = "zhaoshang.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, cwd=ROOT, env={**env, **variables}
    )


def test_it_does_not_fall_back_to_the_demo_key_unless_asked():
    # Nothing set, as a careless deployment would be: no silent public key, the process stops and says why.
    result = _check_without_a_key()
    assert result.returncode != 0
    assert "ZHAOSHANG_SECRET_KEY is not set" in result.stderr and "ZHAOSHANG_DEMO=1" in result.stderr


@pytest.mark.parametrize("variables", [{"ZHAOSHANG_DEBUG": "1"}, {"ZHAOSHANG_DEMO": "1"}])
def test_it_warns_loudly_while_the_demo_key_is_in_use(variables):
    result = _check_without_a_key(**variables)  # make run (debug) or an explicit demo
    assert result.returncode == 0, result.stderr
    assert "zhaoshang.W001" in result.stderr and "正在使用演示密钥" in result.stderr


def test_it_refuses_a_bad_setting_loudly():
    env = {**os.environ, "ZHAOSHANG_DEBUG": "maybe"}
    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode != 0 and "ZHAOSHANG_DEBUG" in result.stderr


@pytest.mark.django_db
def test_the_system_admin_unlocks_an_account_and_it_is_audited(county):
    from axes.models import AccessAttempt

    for _ in range(5):
        Client().post(reverse("login"), {"username": "reporter", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="reporter")
    admin = Client()
    admin.force_login(county.sysadmin)
    response = admin.post(reverse("sysadmin:org_loginlockout_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEntry.objects.get(action="auth.unlocked").actor == county.sysadmin
    assert Client().post(reverse("login"), {"username": "reporter", "password": "Test@12345"}).status_code == 302
