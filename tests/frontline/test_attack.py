"""The front line attacked as users and attackers would (issue 16, the attack part): what the first tests of each
part left open, each case failing before its fix. 首报首谈 naming no unit even after the bureau's decision, closed
months on every dated write of a lead, the leads a trip names that its reader may not read, and more."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import credit_code
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.notifications.models import Notification
from zhaoshang.projects.models import Project, Stage

pytestmark = pytest.mark.django_db


def _lead(user, unit, name="新材料项目", investor="某某新材料有限公司", **project):
    values = {"name": name, "investor": investor, "responsible_unit": unit, **project}
    return services.lead_register(actor=user, project_values=values, lead_values={"source": "以商招商"})[0]


def _claim(county):
    first = _lead(county.outsider, county.other_town, credit_code=credit_code(43))
    later = _lead(county.reporter, county.town, name="二期", credit_code=credit_code(43))
    assert later.claim_conflict_id == first.pk
    return first, later


# --- 首报首谈: the bureau's decision names no unit to either side -------------------------------------------------


def test_the_later_unit_is_not_told_who_reported_first_when_its_lead_ends(county, client_for):
    first, later = _claim(county)
    client_for(county.bureau).post(reverse("claim_settle", args=[later.pk]), {"decision": "first"})
    assert Project.objects.get(pk=later.pk).stage == Stage.DROPPED
    page = client_for(county.reporter).get(reverse("project_detail", args=[later.pk])).content.decode()
    assert services.CLAIM_FIRST_KEEPS in page  # its stage history says why, and no more
    for secret in ("乙镇", first.project.code, first.project.name):
        assert secret not in page


def test_the_first_unit_is_not_told_who_keeps_it_when_its_project_ends(county, client_for):
    first, later = _claim(county)
    client_for(county.bureau).post(reverse("claim_settle", args=[later.pk]), {"decision": "later"})
    assert Project.objects.get(pk=first.pk).stage == Stage.DROPPED
    page = client_for(county.outsider).get(reverse("project_detail", args=[first.pk])).content.decode()
    assert services.CLAIM_LATER_KEEPS in page
    for secret in ("甲镇", later.project.code, "二期"):
        assert secret not in page


def test_a_lead_moved_to_the_first_unit_is_told_without_naming_it(county, client_for):
    first, later = _claim(county)
    client_for(county.bureau).post(reverse("claim_settle", args=[later.pk]), {"decision": "move"})
    told = Notification.objects.get(kind="lead.transferred", user=county.reporter)
    assert "首报单位" in told.title and "乙镇" not in told.title + told.body
    page = client_for(county.reporter).get(reverse("notification_list")).content.decode()
    assert "首报单位" in page and "乙镇" not in page


def test_a_stale_lead_moved_by_the_bureau_still_names_its_new_unit(county):
    profile = _lead(county.reporter, county.town)
    type(profile).objects.filter(pk=profile.pk).update(registered_on=today() - timedelta(days=61))
    profile.refresh_from_db()
    services.lead_transfer(actor=county.bureau, profile=profile, to_unit=county.other_town, reason="长期未跟进")
    told = Notification.objects.get(kind="lead.transferred", user=county.reporter)
    assert "乙镇" in told.title
