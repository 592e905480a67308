"""The front line attacked as users and attackers would (issue 16, the attack part): what the first tests of each
part left open, each case failing before its fix. 首报首谈 naming no unit even after the bureau's decision, closed
months on every dated write of a lead, the leads a trip names that its reader may not read, and more."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import credit_code
from tests.sheets.files import xlsx
from tests.sheets.test_import_frontline import LEADS, lead, run
from tests.xlsx_cells import content, read_cells, rows
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import add_months, current_month, today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import LeadProfile
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


# --- Closed months: every dated write of a lead ---------------------------------------------------------------------


def _closed_day(county):
    last = add_months(current_month(), -1)
    month_close(actor=county.bureau, unit=county.root, month=last)
    return last + timedelta(days=3)


def test_a_lead_registered_in_a_closed_month_is_refused_on_the_page_keeping_the_form(county, client_for):
    day = _closed_day(county)
    data = {
        "p-name": "锂电池正极材料项目",
        "p-investor": "某某锂电科技有限公司",
        "p-funding_type": "内资",
        "p-responsible_unit": county.town.pk,
        "p-stage": "线索",
        "l-registered_on": day.isoformat(),
        "l-source": "中介机构",
        "l-summary": "年产5万吨",
    }
    response = client_for(county.reporter).post(reverse("lead_new"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert f"{day.year}年{day.month}月已关账" in body and "锂电池正极材料项目" in body and "年产5万吨" in body
    assert not Project.objects.filter(name="锂电池正极材料项目").exists()


def test_a_lead_sheet_dated_in_a_closed_month_writes_nothing(county, tmp_path):
    day = _closed_day(county)
    rows = [lead("XS-001"), lead("XS-002", 项目名称="储能电站项目", 登记日期=day.isoformat())]
    status, _, err = run("leads", xlsx(tmp_path, rows, LEADS), "--user", "reporter")
    assert status == 1 and "第3行" in err and "已关账" in err
    assert not Project.objects.filter(code__startswith="XS").exists() and not LeadProfile.objects.exists()


def test_a_judgement_dated_in_a_closed_month_is_refused_on_the_page(county, client_for):
    day = _closed_day(county)
    profile = _lead(county.reporter, county.town)
    LeadProfile.objects.filter(pk=profile.pk).update(registered_on=day - timedelta(days=1))
    client = client_for(county.reporter)
    response = client.post(
        reverse("lead_judge", args=[profile.pk]), {"judgement": "有效", "on_date": day, "reason": "前景好"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "已关账" in body and "前景好" in body
    assert LeadProfile.objects.get(pk=profile.pk).judgement == ""
    assert not AuditEntry.objects.filter(action="lead.judged").exists()
    # judged today, it is taken; moving that 研判 back into the closed month is refused again
    assert (
        client.post(reverse("lead_judge", args=[profile.pk]), {"judgement": "有效", "on_date": today()}).status_code
        == 302
    )
    with pytest.raises(ValidationError):
        services.lead_judge(actor=county.reporter, profile=profile, judgement="有效", on_date=day)
    assert LeadProfile.objects.get(pk=profile.pk).judged_on == today()


def test_a_registration_moved_into_or_out_of_a_closed_month_is_refused(county):
    day = _closed_day(county)
    profile = _lead(county.reporter, county.town)
    with pytest.raises(ValidationError, match="已关账"):
        services.lead_update(actor=county.reporter, profile=profile, values={"registered_on": day})
    LeadProfile.objects.filter(pk=profile.pk).update(registered_on=day)
    with pytest.raises(ValidationError, match="已关账"):
        services.lead_update(actor=county.reporter, profile=profile, values={"registered_on": today()})
    # the other fields of a lead registered in a closed month stay editable
    assert services.lead_update(actor=county.reporter, profile=profile, values={"summary": "补充概况"})


# --- The leads a trip names that its reader no longer reads ---------------------------------------------------------


def _trip_with_a_lead_moved_away(county):
    """甲镇's trip produced 甲镇's lead, which the bureau then gave to 乙镇 (a stale lead reassigned)."""
    moved = _lead(county.reporter, county.town, name="后来移交乙镇的线索")
    kept = _lead(county.reporter, county.town, name="仍在甲镇的线索", investor="另一家公司")
    day = today() - timedelta(days=1)
    values = {
        "unit": county.town,
        "departs_on": day,
        "returns_on": day,
        "destination": "上海",
        "leader": "李四",
        "leader_category": "工作人员",
        "people": 2,
        "leads": [moved.project, kept.project],
    }
    trip = services.trip_save(actor=county.reporter, values=values)
    LeadProfile.objects.filter(pk=moved.pk).update(registered_on=today() - timedelta(days=61))
    moved.refresh_from_db()
    services.lead_transfer(actor=county.bureau, profile=moved, to_unit=county.other_town, reason="长期未跟进")
    return trip, moved.project, kept.project


def test_a_trip_shows_its_reader_only_the_leads_it_reads(county, client_for):
    trip, moved, kept = _trip_with_a_lead_moved_away(county)
    client = client_for(county.reporter)
    page = client.get(reverse("trip_detail", args=[trip.pk])).content.decode()
    assert kept.name in page and moved.name not in page and moved.code not in page and "乙镇" not in page
    listing = client.get(reverse("trip_list")).content.decode()
    assert "线索 1 条" in listing
    export = client.get(reverse("trip_list"), {"format": "xlsx"})
    sheet = read_cells(content(export))["外出招商"]
    table = [[cell.value if cell else None for cell in row] for row in rows(sheet)]
    assert dict(zip(table[0], table[1], strict=False))["形成的线索"] == kept.code
    # the bureau, which reads both, sees both
    page = client_for(county.bureau).get(reverse("trip_detail", args=[trip.pk])).content.decode()
    assert kept.name in page and moved.name in page


def test_correcting_the_trip_keeps_the_link_it_cannot_see(county, client_for):
    trip, moved, kept = _trip_with_a_lead_moved_away(county)
    client = client_for(county.reporter)
    form = client.get(reverse("trip_edit", args=[trip.pk])).content.decode()
    assert kept.code in form and moved.code not in form
    day = (today() - timedelta(days=1)).isoformat()
    data = {
        "unit": county.town.pk,
        "departs_on": day,
        "returns_on": day,
        "destination": "上海浦东",
        "leader": "李四",
        "leader_category": "工作人员",
        "people": "2",
        "visited": "",
        "visited_count": "0",
        "outcome": "",
        "lead_codes": kept.code,  # as the form offered it
    }
    response = client.post(reverse("trip_edit", args=[trip.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    trip.refresh_from_db()
    assert trip.destination == "上海浦东" and set(trip.leads.all()) == {moved, kept}
    # and the reader still cannot add another unit's lead by its number
    response = client.post(reverse("trip_edit", args=[trip.pk]), {**data, "lead_codes": f"{kept.code}\n{moved.code}"})
    assert response.status_code == 200 and "不是您可查看的招商线索" in response.content.decode()


# --- Query counts of the lists that had no such test ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["claim_list", "lead_conversion"])
def test_the_city_bureaus_claims_and_conversion_take_a_fixed_number_of_queries(city, client_for, name):
    county = city.county
    client = client_for(city.city_bureau)

    def add(i):
        code = credit_code(100 + i)
        _lead(county.outsider, county.other_town, f"项目{i}", f"投资方{i}", credit_code=code)
        _lead(county.reporter, county.town, f"二期{i}", f"投资方{i}", credit_code=code)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    add(0)
    few = queries()
    for i in range(1, 6):
        add(i)
    assert queries() == few
