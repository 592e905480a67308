"""The front line's writes: a lead is a ledger project with its register fields; 首报首谈 tells the entering unit
nothing of the other; trips and receptions are their unit's, audited and refused in closed months."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.core.periods import month_start, today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import LeadProfile, Trip
from zhaoshang.projects.models import Project, Stage


def _lead(county, user, unit, **project):
    values = {"name": "新材料项目", "investor": "某某新材料有限公司", "responsible_unit": unit, **project}
    return services.lead_register(actor=user, project_values=values, lead_values={"source": "以商招商"})


def test_a_lead_is_a_ledger_project_with_its_register(county):
    profile, warning = _lead(county, county.reporter, county.town)
    assert warning == ""
    project = Project.objects.get(pk=profile.pk)
    assert project.stage == Stage.LEAD and project.responsible_unit == county.town
    assert profile.registered_on == today()
    assert AuditEntry.objects.filter(action="lead.registered", target_id=str(profile.pk)).exists()
    assert AuditEntry.objects.filter(action="project.created", target_id=str(project.pk)).exists()


def test_a_lead_past_negotiation_is_refused(county):
    with pytest.raises(ValidationError):
        _lead(county, county.reporter, county.town, stage=Stage.SIGNED)
    assert not LeadProfile.objects.exists()


def test_another_units_lead_is_refused(county):
    with pytest.raises(PermissionDenied):
        _lead(county, county.reporter, county.other_town)


def test_first_report_flags_without_naming_the_other_unit(county):
    first, _ = _lead(county, county.outsider, county.other_town)
    second, warning = _lead(county, county.reporter, county.town, name="新材料二期")
    assert second.claim_conflict is None  # a different name and no credit code: not the same
    third, warning = _lead(county, county.reporter, county.town)
    assert third.claim_conflict_id == first.pk
    assert "其他单位" in warning and "乙镇" not in warning and first.project.code not in warning


def test_trip_counts_and_refuses_bad_dates(county):
    day = today() - timedelta(days=3)
    trip = services.trip_save(
        actor=county.reporter,
        values={
            "unit": county.town,
            "departs_on": day,
            "returns_on": day + timedelta(days=2),
            "destination": "深圳",
            "leader": "张三",
            "leader_category": "党政主要负责同志",
            "people": 3,
            "visited": "甲公司\n乙公司",
        },
    )
    assert trip.visited_count == 2 and trip.days == 3
    with pytest.raises(ValidationError) as err:
        services.trip_save(actor=county.reporter, trip=trip, values={"returns_on": day - timedelta(days=1)})
    assert "返回日期" in str(err.value)
    with pytest.raises(PermissionDenied):
        services.trip_save(actor=county.outsider, trip=trip, values={"destination": "上海"})
    assert Trip.objects.get(pk=trip.pk).destination == "深圳"


def test_trip_in_a_closed_month_is_refused(county):
    last_month = month_start(month_start(today()) - timedelta(days=1))
    month_close(actor=county.bureau, unit=county.root, month=last_month)
    with pytest.raises(ValidationError):
        services.trip_save(
            actor=county.reporter,
            values={
                "unit": county.town,
                "departs_on": last_month,
                "returns_on": last_month,
                "destination": "深圳",
                "leader": "张三",
                "leader_category": "工作人员",
            },
        )
    assert not Trip.objects.exists()


def test_followup_needs_content_and_no_future(county):
    profile, _ = _lead(county, county.reporter, county.town)
    with pytest.raises(ValidationError):
        services.followup_add(
            actor=county.reporter, project=profile.project, values={"on_date": today(), "content": " "}
        )
    with pytest.raises(ValidationError):
        services.followup_add(
            actor=county.reporter,
            project=profile.project,
            values={"on_date": today() + timedelta(days=1), "content": "电话沟通"},
        )
    f = services.followup_add(
        actor=county.reporter,
        project=profile.project,
        values={"on_date": today(), "content": "电话沟通", "way": "电话"},
    )
    assert f.author == county.reporter and f.on_date == today()


def test_overdue_leads_follow_the_county_rules(county):
    from zhaoshang.frontline.deadlines import overdue_leads
    from zhaoshang.frontline.models import LeadRules

    registered = today() - timedelta(days=20)
    profile, _ = _lead(county, county.reporter, county.town)
    LeadProfile.objects.filter(pk=profile.pk).update(registered_on=registered)
    states = overdue_leads([county.root], today())
    assert [s.profile.pk for s in states] == [profile.pk]
    assert {d.what for d in states[0].overdue} == {"首问负责人", "研判"}
    assert overdue_leads([county.other_town], today()) == []
    LeadRules.objects.create(root=county.root, first_responsible_workdays=30, judgement_workdays=30)
    assert overdue_leads([county.root], today()) == []
