"""The audit page at a city's size (issue 15): paged by a key of (time, id) instead of an offset, days as ranges
of time, the text search, and the count bounded; the same entries in the same order as before."""

import json
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry
from zhaoshang.audit.services import record
from zhaoshang.org import audit_log

pytestmark = pytest.mark.django_db
NOON = timezone.make_aware(datetime(2026, 3, 10, 12, 0))


@pytest.fixture
def log(city):
    """130 entries over five days, around midnight in Shanghai, several at the very same instant (the id
    decides), in both counties and the system's own."""
    county = city.county
    units = [county.town, county.other_town, city.n_town, None]
    moments = [NOON + timedelta(hours=7 * (n // 3)) for n in range(130)]  # three at each instant
    for n, moment in enumerate(moments):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            record(
                county.reporter if n % 2 else None,
                action="project.updated",
                unit=units[n % 4],
                data={"项目名称": [f"旧名{n}", f"光伏组件{n}" if n % 5 == 0 else f"锂电池{n}"]},
            )
    return city


def walk(client, params, start=None):
    """Every page, following the "next" links from the first page, or the "previous" ones from the oldest."""
    pages, page = [], client.get(reverse("audit_list"), {**params, **(start or {})}).context["page"]
    while True:
        pages.append([e.pk for e in page.entries])
        key, cursor = ("after", page.older) if start is None else ("before", page.newer)
        if not cursor:
            return pages
        page = client.get(reverse("audit_list"), {**params, key: cursor}).context["page"]


def before(entries, params):
    """The filters as the page applied them before: created_at__date and one scan of the text."""
    if params.get("q"):
        text = params["q"]
        entries = entries.annotate(t=Cast("data", TextField())).filter(
            Q(actor_name__icontains=text)
            | Q(target_repr__icontains=text)
            | Q(t__icontains=text)
            | Q(t__icontains=json.dumps(text)[1:-1])
        )
    if params.get("date_from"):
        entries = entries.filter(created_at__date__gte=params["date_from"])
    if params.get("date_to"):
        entries = entries.filter(created_at__date__lte=params["date_to"])
    return [e.pk for e in entries.order_by("-created_at", "-id")]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "光伏组件"},
        {"q": "reporter"},
        {"date_from": "2026-03-11", "date_to": "2026-03-12"},
        {"date_to": "2026-03-10"},
    ],
)
@pytest.mark.parametrize("who", ["city_auditor", "n_auditor"])
def test_the_pages_hold_every_entry_once_in_the_order_of_before(log, client_for, params, who):
    user = getattr(log, who)
    client = client_for(user)  # its login is an entry too
    expected = before(audit_log.audited_entries(user), params)
    downwards = walk(client, params)
    assert [pk for page in downwards for pk in page] == expected
    assert all(len(page) == audit_log.PAGE_SIZE for page in downwards[:-1])
    # From the oldest page upwards: full pages of the same order, the last "previous" landing on the newest page.
    upwards = walk(client, params, start={"before": audit_log.OLDEST})
    older = [pk for page in reversed(upwards[1:] if len(upwards) == 1 else upwards[:-1]) for pk in page]
    assert upwards[-1] == downwards[0]
    assert older == expected[len(expected) - len(older) :]
    assert set(older) | set(upwards[-1]) == set(expected)


def test_the_newer_link_comes_back_to_the_same_page(log, client_for):
    client = client_for(log.city_auditor)
    first = client.get(reverse("audit_list")).context["page"]
    second = client.get(reverse("audit_list"), {"after": first.older}).context["page"]
    third = client.get(reverse("audit_list"), {"after": second.older}).context["page"]
    back = client.get(reverse("audit_list"), {"before": third.newer}).context["page"]
    assert [e.pk for e in back.entries] == [e.pk for e in second.entries]
    again = client.get(reverse("audit_list"), {"before": second.newer}).context["page"]
    assert [e.pk for e in again.entries] == [e.pk for e in first.entries] and again.is_first


def test_a_key_that_names_nothing_gives_the_newest_page(log, client_for):
    client = client_for(log.city_auditor)
    first = [e.pk for e in client.get(reverse("audit_list")).context["page"].entries]
    for bad in ("x", "1_2_3", "99999999999999999999999_1", ""):
        page = client.get(reverse("audit_list"), {"after": bad}).context["page"]
        assert [e.pk for e in page.entries] == first


def test_the_root_auditor_reads_with_no_condition_and_a_county_auditor_by_its_units(log):
    assert "WHERE" not in str(audit_log.audited_entries(log.city_auditor).query)
    ids = set(audit_log.audited_entries(log.n_auditor).values_list("pk", flat=True))
    assert ids == set(AuditEntry.objects.filter(unit__path__startswith=log.neighbour.path).values_list("pk", flat=True))


def test_the_count_is_bounded(log, client_for, monkeypatch):
    client = client_for(log.city_auditor)
    page = client.get(reverse("audit_list")).content.decode()
    assert f"共 {AuditEntry.objects.count()} 条" in page
    monkeypatch.setattr(audit_log, "COUNT_CAP", 100)
    assert "超过 100 条" in client.get(reverse("audit_list")).content.decode()


def test_a_text_search_counts_to_a_smaller_cap_and_reads_no_more(log, client_for, monkeypatch):
    """A common term stops counting at SEARCH_COUNT_CAP (one LIMIT subquery): "超过 N 条", not a test of every
    row up to COUNT_CAP; the pages stay keyset-paged."""
    monkeypatch.setattr(audit_log, "SEARCH_COUNT_CAP", 30)
    client = client_for(log.city_auditor)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("audit_list"), {"q": "锂电池"})  # 104 of the 130 entries
    assert "超过 30 条" in response.content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 31" in counts[0]
    page = response.context["page"]
    assert len(page.entries) == audit_log.PAGE_SIZE and page.older
    assert "共 26 条" in client.get(reverse("audit_list"), {"q": "光伏组件"}).content.decode()  # under the cap
    assert f"共 {AuditEntry.objects.count()} 条" in client.get(reverse("audit_list")).content.decode()  # no search


def test_a_page_makes_the_same_queries_at_any_depth(log, client_for):
    client = client_for(log.city_auditor)

    def queries(params):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("audit_list"), params).context["page"]
        return len(ctx.captured_queries), page

    first, page = queries({})
    second, page = queries({"after": page.older})
    third, _ = queries({"after": page.older})
    oldest, _ = queries({"before": audit_log.OLDEST})
    assert first == second == third == oldest
