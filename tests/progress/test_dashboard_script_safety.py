"""A unit or group named like a script must reach the dashboard's charts as text, never run (issue 12, M1).

The charts' data travels in the page as JSON (json_script) and is read by static/js/dashboard.js; a name that
closes the script element must come out escaped, and still be in the data the charts draw."""

import json
import re

import pytest
from django.urls import reverse

from tests.factories import make_group, make_unit

pytestmark = pytest.mark.django_db

HOSTILE_UNIT = "</script><script>alert(1)</script>"
HOSTILE_GROUP = "<img src=x onerror=alert(2)>组"


def charts_data(page: str) -> dict:
    match = re.search(r'<script id="charts-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the dashboard carries its charts' data as JSON"
    return json.loads(match.group(1))


@pytest.mark.parametrize("user", ["bureau", "leader"])
def test_it_shows_a_script_named_unit_as_text_and_still_charts_it(county, client_for, user):
    group = make_group(HOSTILE_GROUP)
    make_unit(HOSTILE_UNIT, "乡镇", county.root, group)

    response = client_for(getattr(county, user)).get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert HOSTILE_UNIT not in page
    assert HOSTILE_GROUP not in page
    assert "<script>alert(1)" not in page

    data = charts_data(page)
    hostile = [g for g in data["groups"] if g["group"] == HOSTILE_GROUP]
    assert hostile and hostile[0]["units"] == [HOSTILE_UNIT]
    assert any("甲镇" in g["units"] for g in data["groups"])
    assert data["funds"]["months"] and data["stages"]["stages"]
