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
from django.test import Client
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
    # Locked by username: the right password from another address is refused too.
    response = Client().post(
        reverse("login"), {"username": "reporter", "password": "Test@12345"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 429
    assert "已被锁定30分钟" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert AuditEntry.objects.filter(action="auth.locked_out", target_id=str(county.reporter.pk)).exists()
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    # another account is not affected
    ok = Client().post(reverse("login"), {"username": "unithead", "password": "Test@12345"})
    assert ok.status_code == 302


def test_it_ends_idle_sessions_after_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the 30 minutes count from the last request


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
