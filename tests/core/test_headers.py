"""Content-Security-Policy on every page, `Cache-Control: no-store` on every page and download, static files
still cacheable; and no template left that the policy would break (inline script or inline event handler)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from zhaoshang.core.periods import add_months, current_month, format_month

ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)
LAST = format_month(add_months(current_month(), -1))


def assert_protected(response):
    assert response["Content-Security-Policy"] == CSP
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user, url",
    [
        ("leader", "/dashboard/"),
        ("reporter", "/report/"),
        ("leader", "/projects/"),
        ("auditor", "/audit/"),
        ("sysadmin", "/sysadmin/"),
        ("bureau", "/projects/?format=xlsx"),  # downloads too
        ("leader", f"/dashboard/?format=xlsx&month={LAST}"),
        ("auditor", "/audit/?format=xlsx"),
        ("reporter", "/sheets/template/funds/"),
        ("leader", f"/bulletins/draft/?month={LAST}&format=docx"),
    ],
)
def test_it_sends_the_policy_and_no_store_to_signed_in_users(county, client_for, user, url):
    response = client_for(getattr(county, user)).get(url)
    assert response.status_code == 200, url
    assert_protected(response)


@pytest.mark.django_db
def test_it_sends_them_on_the_login_page_errors_and_redirects(county, client_for):
    assert_protected(client_for(None).get(reverse("login")))
    assert_protected(client_for(None).get(reverse("dashboard")))  # the redirect to the login page
    assert_protected(client_for(county.reporter).get("/projects/999999/"))  # 404


def test_static_files_stay_cacheable(client):
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]
    assert "Content-Security-Policy" not in response


def templates():
    return sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_needs_inline_script(path):
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "src=" in tag, f"{path.name}: inline <script> (move it to static/js/, data via json_script): {tag}"
    handlers = re.findall(r"\son[a-z]+\s*=", text, re.I)
    assert not handlers, f"{path.name}: inline event handler {handlers} (use data-autosubmit / data-confirm)"
    assert "javascript:" not in text.lower()
    assert "|safe" not in text, f"{path.name}: |safe"
