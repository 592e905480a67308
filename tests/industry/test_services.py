"""The library's services: the duplicate rules and what each role is told, the county set from the owner, the
contact status raised by linked work and never lowered, and linking only what the actor reads in its county."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import credit_code, make_project
from tests.industry.helpers import make_reception, make_target, make_trip
from zhaoshang.audit.models import AuditEntry
from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.core.periods import today
from zhaoshang.industry import services
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.projects.services import project_change_stage

pytestmark = pytest.mark.django_db


def refusal(exc) -> str:
    return "；".join(exc.value.messages)


def test_a_target_takes_its_owners_county_and_is_audited(county):
    target = make_target(county.reporter, county.town, tags=["上市公司", "行业龙头"], credit_code=credit_code(901))
    assert target.county == county.root and target.tags == "|上市公司|行业龙头|" and target.status == "未接触"
    entry = AuditEntry.objects.get(action="enterprise.created")
    assert entry.actor == county.reporter and entry.unit == county.town


def test_the_same_credit_code_in_the_county_is_a_duplicate_told_per_role(county):
    code = credit_code(902)
    make_target(county.reporter, county.town, "甲公司", credit_code=code)
    with pytest.raises(ValidationError) as exc:  # another town's user: no unit named
        make_target(county.outsider, county.other_town, "甲公司（另一名称）", credit_code=code.lower())
    assert "其他单位" in refusal(exc) and "甲镇" not in refusal(exc)
    assert exc.value.message_dict.keys() == {"credit_code"}
    with pytest.raises(ValidationError) as exc:  # the bureau: the owner named
        make_target(county.bureau, county.other_town, "甲公司二", credit_code=code)
    assert "责任单位：甲镇" in refusal(exc)
    assert TargetEnterprise.objects.count() == 1


def test_the_same_name_is_a_duplicate_when_either_side_has_no_code(county):
    make_target(county.reporter, county.town, "乙材料有限公司")
    with pytest.raises(ValidationError) as exc:  # neither has a code; spaces and brackets do not make it new
        make_target(county.outsider, county.other_town, " 乙材料 有限公司")
    assert "其他单位" in refusal(exc) and exc.value.message_dict.keys() == {"name"}
    with pytest.raises(ValidationError):  # the new one has a code, the old one none
        make_target(county.outsider, county.other_town, "乙材料有限公司", credit_code=credit_code(903))
    make_target(county.reporter, county.town, "丙电子（深圳）有限公司", credit_code=credit_code(904))
    with pytest.raises(ValidationError) as exc:  # the old one has a code, the new one none; half-width brackets
        make_target(county.reporter, county.town, "丙电子(深圳)有限公司")
    assert "责任单位：甲镇" in refusal(exc)  # its own unit reads it
    # the same name with two different codes: two enterprises
    make_target(county.outsider, county.other_town, "丙电子（深圳）有限公司", credit_code=credit_code(905))
    assert TargetEnterprise.objects.count() == 3


def test_another_county_may_hold_the_same_enterprise(city):
    county = city.county
    code = credit_code(906)
    make_target(county.reporter, county.town, "丁集团有限公司", credit_code=code)
    theirs = make_target(city.n_reporter, city.n_town, "丁集团有限公司", credit_code=code)
    assert theirs.county == city.neighbour
    with pytest.raises(ValidationError) as exc:
        make_target(city.n_reporter, city.n_town, "丁集团有限公司")
    assert "邻镇" in refusal(exc)


def test_an_update_keeps_its_own_name_and_refuses_a_neighbours(county):
    mine = make_target(county.reporter, county.town, "戊公司")
    make_target(county.reporter, county.town, "己公司")
    services.target_save(actor=county.reporter, target=mine, values={"main_products": "锂电池"})
    with pytest.raises(ValidationError):
        services.target_save(actor=county.reporter, target=mine, values={"name": "己公司"})


def test_writes_need_the_owner_unit(county):
    target = make_target(county.reporter, county.town, "庚公司")
    with pytest.raises(PermissionDenied):
        make_target(county.reporter, county.other_town, "辛公司")
    with pytest.raises(PermissionDenied):
        services.target_save(actor=county.outsider, target=target, values={"note": "x"})
    with pytest.raises(PermissionDenied):
        services.target_delete(actor=county.leader, target=target)


def test_a_bad_credit_code_is_refused_in_words(county):
    with pytest.raises(ValidationError) as exc:
        make_target(county.reporter, county.town, "壬公司", credit_code="91341122ABC")
    assert "统一社会信用代码" in refusal(exc)


def test_the_chain_must_be_the_owners_and_the_link_its_chains(city):
    county = city.county
    chain = Chain.objects.create(owner=county.root, name="新能源")
    link = ChainLink.objects.create(chain=chain, name="电池材料", position="上游")
    theirs = Chain.objects.create(owner=city.neighbour, name="新能源")
    target = make_target(county.reporter, county.town, "癸公司", link=link)
    assert target.chain == chain
    with pytest.raises(ValidationError) as exc:
        make_target(county.reporter, county.town, "子公司", chain=theirs)
    assert "不是甲镇可选的产业链" in refusal(exc)
    other = Chain.objects.create(owner=county.root, name="食品")
    with pytest.raises(ValidationError):
        make_target(county.reporter, county.town, "丑公司", chain=other, link=link)


def test_linked_work_raises_the_status_and_never_lowers_it(county):
    target = make_target(county.reporter, county.town)
    trip = make_trip(county.reporter, county.town)
    services.target_link(actor=county.reporter, target=target, kind="trip", pk=trip.pk)
    target.refresh_from_db()
    assert target.status == "已接触"
    lead = make_project(county.bureau, county.town, stage="在谈", signed_on=None, contract_amount=None)
    services.target_link(actor=county.reporter, target=target, kind="project", pk=lead.pk)
    target.refresh_from_db()
    assert target.status == "有意向"
    # a reception linked after does not lower it
    reception = make_reception(county.reporter, county.town)
    services.target_link(actor=county.reporter, target=target, kind="reception", pk=reception.pk)
    target.refresh_from_db()
    assert target.status == "有意向"
    # by hand, not below what the work shows
    with pytest.raises(ValidationError) as exc:
        services.target_save(actor=county.reporter, target=target, values={"status": "已接触"})
    assert "至少为“有意向”" in refusal(exc)
    # the lead signed: the target follows
    project_change_stage(
        actor=county.bureau, project=lead, to_stage="签约", on_date=today(), contract_amount=Decimal("3000")
    )
    target.refresh_from_db()
    assert target.status == "已签约"
    assert AuditEntry.objects.filter(action="enterprise.status_raised").count() == 3
    # unlinking leaves the status
    services.target_unlink(actor=county.reporter, target=target, kind="project", pk=lead.pk)
    target.refresh_from_db()
    assert target.status == "已签约"


def test_a_signed_project_linked_makes_it_signed(county):
    target = make_target(county.bureau, county.town)
    services.target_link(actor=county.bureau, target=target, kind="project", pk=county.project.pk)
    target.refresh_from_db()
    assert target.status == "已签约"


def test_only_work_the_actor_reads_in_the_county_can_be_linked(city):
    county = city.county
    target = make_target(county.reporter, county.town)
    theirs = make_trip(county.outsider, county.other_town)
    with pytest.raises(ValidationError) as exc:
        services.target_link(actor=county.reporter, target=target, kind="trip", pk=theirs.pk)
    assert "您可查看的外出拜访" in refusal(exc)
    with pytest.raises(ValidationError):
        services.target_link(actor=county.reporter, target=target, kind="project", pk=county.other_project.pk)
    # the city's bureau reads both counties but may not hang a neighbour's project on this county's target
    with pytest.raises(ValidationError):
        services.target_link(actor=city.city_bureau, target=target, kind="project", pk=city.n_project.pk)
    with pytest.raises(PermissionDenied):
        services.target_link(actor=county.outsider, target=target, kind="trip", pk=theirs.pk)
    assert not target.trips.exists() and not target.projects.exists()
