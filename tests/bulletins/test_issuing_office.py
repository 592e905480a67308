"""The issuing office of a unit's bulletins: its settings, edited only by its own bureau (a county's bureau its
own county), audited, and frozen into each bulletin as issued; the 发文字号 and 简报期号 numbered per issuing unit
and year, given once when a bulletin is issued, never twice (two bulletins issued at the same moment on
PostgreSQL); the closing 工作要求 written or picked from the unit's own earlier bulletins only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.bulletins.test_gongwen import OFFICE
from tests.concurrency import race
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import services
from zhaoshang.bulletins.models import Bulletin, IssuingOffice
from zhaoshang.bulletins.office import take_numbers
from zhaoshang.core.periods import add_months, current_month, format_month, today

LAST = add_months(current_month(), -1)
BEFORE = add_months(current_month(), -2)
YEAR = today().year


@pytest.mark.django_db
def test_numbers_follow_each_other_per_unit_and_start_again_each_year(county):
    first = services.bulletin_issue(actor=county.bureau, unit=county.root, month=BEFORE)
    second = services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST)
    town = services.bulletin_issue(actor=county.bureau, unit=county.town, month=LAST)
    assert (first.number, first.issue_no, second.number, second.issue_no) == (1, 1, 2, 2)
    assert first.doc_number == f"测招商〔{YEAR}〕1号" and second.doc_number == f"测招商〔{YEAR}〕2号"
    assert town.number == 1 and town.doc_number == f"甲招商〔{YEAR}〕1号"  # its own unit's sequence
    assert take_numbers(county.root, YEAR + 1) == (1, 1)  # a new year starts at 1
    entry = AuditEntry.objects.get(action="bulletin.issued", target_id=str(second.pk))
    assert entry.data["doc_number"] == second.doc_number


@pytest.mark.django_db
def test_an_issued_bulletin_keeps_its_number_and_the_settings_it_was_issued_with(county, client_for):
    services.office_save(actor=county.bureau, unit=county.root, values=OFFICE)
    bulletin = services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST)
    services.office_save(actor=county.bureau, unit=county.root, values={**OFFICE, "number_prefix": "新招商"})
    bulletin.refresh_from_db()
    assert bulletin.doc_number == f"测招商〔{YEAR}〕1号" and bulletin.letterhead["number_prefix"] == "测招商"
    page = client_for(county.leader).get(reverse("bulletin_issued", args=[bulletin.pk])).content.decode()
    assert f"测招商〔{YEAR}〕1号" in page and "新招商" not in page
    listing = client_for(county.leader).get(reverse("bulletin_list")).content.decode()
    assert f"测招商〔{YEAR}〕1号" in listing


@pytest.mark.django_db
def test_the_bureau_edits_its_settings_on_a_page_and_it_is_audited(county, client_for):
    bureau = client_for(county.bureau)
    page = bureau.get(reverse("bulletin_office")).content.decode()
    assert "发文设置：测试县" in page and "测试县招商引资工作领导小组办公室" in page  # the defaults, before any
    response = bureau.post(reverse("bulletin_office") + f"?unit={county.root.pk}", OFFICE)
    assert response.status_code == 302
    office = IssuingOffice.objects.get(unit=county.root)
    assert office.number_prefix == "测招商" and office.copy_to == "县委办公室，县政府办公室"
    entry = AuditEntry.objects.get(action="bulletin.office_saved")
    assert entry.actor == county.bureau and entry.data["number_prefix"] == [None, "测招商"]
    refused = bureau.post(reverse("bulletin_office"), {**OFFICE, "number_prefix": "", "issuer": "办" * 61})
    text = refused.content.decode()
    assert (
        refused.status_code == 200 and "请填写发文字号代字" in text and "发文机关名称不能超过60字（现为61字）" in text
    )
    assert IssuingOffice.objects.get(unit=county.root).number_prefix == "测招商"


@pytest.mark.django_db
def test_a_county_bureau_sees_and_edits_only_its_own_settings(city, client_for):
    neighbour = client_for(city.n_bureau)
    assert neighbour.get(reverse("bulletin_office") + f"?unit={city.county.root.pk}").status_code == 404
    assert neighbour.post(reverse("bulletin_office") + f"?unit={city.county.root.pk}", OFFICE).status_code == 404
    with pytest.raises(PermissionDenied):
        services.office_save(actor=city.n_bureau, unit=city.county.root, values=OFFICE)
    assert not IssuingOffice.objects.exists()
    assert "发文设置：邻县" in neighbour.get(reverse("bulletin_office")).content.decode()
    assert client_for(city.county.leader).get(reverse("bulletin_office")).status_code == 403


@pytest.mark.django_db
def test_the_closing_requirements_are_written_or_picked_from_the_units_own_earlier_bulletins(city, client_for):
    county = city.county
    earlier = services.bulletin_issue(actor=county.bureau, unit=county.root, month=BEFORE, requirements="要加压奋进。")
    elsewhere = services.bulletin_issue(actor=city.n_bureau, unit=city.neighbour, month=BEFORE, requirements="邻县的")
    page = client_for(county.bureau).get(reverse("bulletin_draft"), {"month": format_month(LAST)}).content.decode()
    assert "要加压奋进。" in page and "邻县的" not in page
    with pytest.raises(ValidationError, match="不是本单位以前通报中的"):
        services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST, requirements_from=elsewhere.pk)
    response = client_for(county.bureau).post(
        reverse("bulletin_issue") + f"?month={format_month(LAST)}", {"requirements_from": earlier.pk}
    )
    assert response.status_code == 302
    latest = Bulletin.objects.filter(unit=county.root).first()
    assert latest.pk != earlier.pk and latest.requirements == "要加压奋进。"


@pytest.mark.django_db(transaction=True)
def test_two_bulletins_issued_at_the_same_moment_never_share_a_number(county):
    services.bulletin_issue(actor=county.bureau, unit=county.root, month=add_months(current_month(), -3))
    results, errors = race(
        lambda: services.bulletin_issue(actor=county.bureau, unit=county.root, month=BEFORE),
        lambda: services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST),
    )
    assert not errors, errors
    numbers = sorted(Bulletin.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    assert len(set(Bulletin.objects.values_list("doc_number", flat=True))) == 3
