"""Query and form numbers that are not plain ASCII digits answer 404 or a message, never a 500.

`'²'.isdigit()` is True but `int('²')` fails: `?unit=²` gave a 500 (issue 12, Low). Every page is asked with
hostile values for every number it reads (unit, month, page, year, project, …), as the bureau and the auditor."""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from zhaoshang.core.params import whole_number

pytestmark = pytest.mark.django_db

# "²" passes str.isdigit() and fails int(); the others must not fail either.
HOSTILE = ["²", "1e3"]
PARAMS = ["unit", "month", "period", "page", "year", "project", "team", "rank"]  # what the pages read as numbers
SKIP = {"logout", "login", "healthz"}


def pages_without_arguments():
    patterns = [p for p in get_resolver().url_patterns if isinstance(p, URLPattern) and p.name not in SKIP]
    return sorted(p.name for p in patterns if p.name and not p.pattern.converters)


def answers(user, method, url, data):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = getattr(client, method)(url, data)
    return response.status_code


@pytest.mark.parametrize("param", PARAMS)
def test_no_page_fails_on_a_number_that_is_not_one(county, param):
    users = [county.bureau, county.auditor]  # every business page, and the audit log
    failures = []
    for name in pages_without_arguments():
        url = reverse(name)
        for user in users:
            for value in HOSTILE:  # one parameter at a time: a bad month answering 404 first hides nothing
                status = answers(user, "get", url, {param: value})
                if status >= 500:
                    failures.append((name, user.username, value, status))
    assert not failures, failures


@pytest.mark.parametrize("value", ["²", "1e3"])
def test_no_form_fails_on_a_number_that_is_not_one(county, value):
    group = county.town.group
    posts = [
        (county.bureau, reverse("group_lists"), {f"red-{group.pk}": value, f"black-{group.pk}": "1"}),
        (county.bureau, reverse("observation_picks"), {"project": value, "unit": value, "month": value}),
        (county.bureau, reverse("targets"), {"year": value}),
        (county.reporter, reverse("monthly_report"), {"unit": value, "month": value}),
        (county.bureau, reverse("usd_rates"), {"year": value, "rate": value}),
        (county.reporter, reverse("notification_read"), {"id": value}),
        (county.reporter, reverse("problem_create"), {"project": value}),
    ]
    failures = [(url, status) for user, url, data in posts if (status := answers(user, "post", url, data)) >= 500]
    assert not failures, failures


def test_a_unit_given_as_another_digit_answers_404(county, client_for):
    client = client_for(county.bureau)
    for name in ("dashboard", "targets", "monthly_report", "economy", "meeting_list"):
        assert client.get(reverse(name), {"unit": "²"}).status_code == 404, name
    assert client.get(reverse("targets"), {"year": "²"}).status_code == 404


@pytest.mark.parametrize(
    "text, number",
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("²", None),
        ("１２", None),
        ("-1", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_whole_number_reads_ascii_digits_only(text, number):
    assert whole_number(text) == number
