"""The lead register's actions: 首问负责人, 研判 (不予跟进 ends the project as 终止), 告知引荐方, 首报首谈 decided by
the bureau within a county, reassigning a stale lead (the old unit notified). Each refuses who may not and
leaves no trace when it does."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import credit_code
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import LeadProfile, LeadRules
from zhaoshang.notifications.models import Notification
from zhaoshang.projects.models import Project, Stage

pytestmark = pytest.mark.django_db


def _lead(user, unit, **project):
    values = {"name": "新材料项目", "investor": "某某新材料有限公司", "responsible_unit": unit, **project}
    lead = {"source": "以商招商", "referrer": "李四"}
    return services.lead_register(actor=user, project_values=values, lead_values=lead)


def _registered_days_ago(profile, days):
    LeadProfile.objects.filter(pk=profile.pk).update(registered_on=today() - timedelta(days=days))
    profile.refresh_from_db()
    return profile


def test_the_first_responsible_is_an_account_of_the_unit(county):
    profile, _ = _lead(county.reporter, county.town)
    with pytest.raises(ValidationError):
        services.lead_assign_first(actor=county.reporter, profile=profile, user=county.outsider)
    with pytest.raises(PermissionDenied):
        services.lead_assign_first(actor=county.outsider, profile=profile, user=county.reporter)
    services.lead_assign_first(actor=county.unit_head, profile=profile, user=county.reporter)
    profile.refresh_from_db()
    assert profile.first_responsible == county.reporter and profile.first_responsible_on == today()
    entry = AuditEntry.objects.get(action="lead.first_assigned")
    assert entry.actor == county.unit_head and entry.unit == county.town


def test_judged_not_worth_following_ends_the_project_with_the_reason(county):
    profile, _ = _lead(county.reporter, county.town)
    with pytest.raises(ValidationError) as err:
        services.lead_judge(actor=county.reporter, profile=profile, judgement="不予跟进", on_date=today())
    assert "理由" in str(err.value)
    assert not AuditEntry.objects.filter(action="lead.judged").exists()
    with pytest.raises(PermissionDenied):
        services.lead_judge(actor=county.leader, profile=profile, judgement="有效", on_date=today())
    services.lead_judge(
        actor=county.reporter, profile=profile, judgement="不予跟进", on_date=today(), reason="投资方资金不实"
    )
    project = Project.objects.get(pk=profile.pk)
    assert project.stage == Stage.DROPPED and "投资方资金不实" in project.dropped_reason
    assert project.stage_changes.filter(to_stage=Stage.DROPPED).exists()
    assert AuditEntry.objects.filter(action="project.stage_changed", actor=county.reporter).exists()
    with pytest.raises(ValidationError):  # not judged twice once dropped
        services.lead_judge(actor=county.reporter, profile=profile, judgement="有效", on_date=today())


def test_a_judgement_is_not_dated_before_registration_or_in_the_future(county):
    profile = _registered_days_ago(_lead(county.reporter, county.town)[0], 2)
    for day in (today() - timedelta(days=3), today() + timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.lead_judge(actor=county.reporter, profile=profile, judgement="有效", on_date=day)
    services.lead_judge(actor=county.reporter, profile=profile, judgement="有效", on_date=today())
    assert LeadProfile.objects.get(pk=profile.pk).judgement == "有效"
    assert Project.objects.get(pk=profile.pk).stage == Stage.LEAD


def test_the_referrer_is_told_after_the_judgement(county):
    profile, _ = _lead(county.reporter, county.town)
    with pytest.raises(ValidationError) as err:
        services.lead_tell_referrer(actor=county.reporter, profile=profile, on_date=today())
    assert "先完成研判" in str(err.value)
    services.lead_judge(actor=county.reporter, profile=profile, judgement="有效", on_date=today())
    services.lead_tell_referrer(actor=county.reporter, profile=profile, on_date=today())
    assert LeadProfile.objects.get(pk=profile.pk).referrer_told_on == today()
    assert AuditEntry.objects.filter(action="lead.referrer_told").count() == 1


def test_an_existing_project_at_lead_stage_is_registered_as_a_lead(county):
    project = Project.objects.create(code="XM-X-1", name="老线索", investor="甲公司", responsible_unit=county.town)
    services.lead_attach(actor=county.reporter, project=project, lead_values={"source": "平台活动"})
    assert LeadProfile.objects.get(pk=project.pk).source == "平台活动"
    with pytest.raises(ValidationError):
        services.lead_attach(actor=county.reporter, project=project, lead_values={})
    with pytest.raises(ValidationError):  # a signed project is no lead
        services.lead_attach(actor=county.reporter, project=county.project, lead_values={})


def test_the_bureau_keeps_the_first_report_and_the_later_lead_ends(county):
    first, _ = _lead(county.outsider, county.other_town, credit_code=credit_code(501))
    later, warning = _lead(county.reporter, county.town, name="另一个名字", credit_code=credit_code(501))
    assert later.claim_conflict_id == first.pk and "乙镇" not in warning
    with pytest.raises(PermissionDenied):
        services.lead_settle_claim(actor=county.unit_head, profile=later, decision="first")
    words = services.lead_settle_claim(actor=county.bureau, profile=later, decision="first")
    assert "首报" in words
    project = Project.objects.get(pk=later.pk)
    assert project.stage == Stage.DROPPED and project.dropped_reason == "首报首谈认定：由首报单位跟进"  # no unit named
    assert LeadProfile.objects.get(pk=later.pk).claim_settled_on == today()
    assert AuditEntry.objects.filter(action="lead.claim_settled", actor=county.bureau).exists()
    with pytest.raises(ValidationError):  # decided once
        services.lead_settle_claim(actor=county.bureau, profile=later, decision="first")


def test_the_bureau_moves_the_later_lead_to_the_first_unit_and_tells_the_old_one(county):
    _lead(county.outsider, county.other_town)
    later, _ = _lead(county.reporter, county.town)
    services.lead_settle_claim(actor=county.bureau, profile=later, decision="move")
    assert Project.objects.get(pk=later.pk).responsible_unit == county.other_town
    assert AuditEntry.objects.filter(action="lead.transferred", actor=county.bureau).exists()
    told = Notification.objects.filter(kind="lead.transferred")
    assert set(told.values_list("user__username", flat=True)) == {"reporter", "unithead"}


def test_first_report_is_a_county_rule(city):
    """A neighbouring county's project of the same investor is no conflict and is never hinted at."""
    county = city.county
    Project.objects.filter(pk=city.n_project.pk).update(credit_code=credit_code(777))
    profile, warning = _lead(county.reporter, county.town, credit_code=credit_code(777))
    assert profile.claim_conflict is None and warning == ""


def test_a_stale_lead_is_reassigned_by_the_bureau_only(county):
    profile, _ = _lead(county.reporter, county.town)
    args = {"profile": profile, "to_unit": county.other_town, "reason": "长期未跟进"}
    with pytest.raises(ValidationError) as err:  # followed recently
        services.lead_transfer(actor=county.bureau, **args)
    assert "未到" in str(err.value)
    profile = _registered_days_ago(profile, 61)
    args["profile"] = profile
    for user in (county.reporter, county.unit_head):
        with pytest.raises(PermissionDenied):
            services.lead_transfer(actor=user, **args)
    with pytest.raises(ValidationError):
        services.lead_transfer(actor=county.bureau, **{**args, "reason": " "})
    with pytest.raises(ValidationError):  # a team holds no project
        services.lead_transfer(actor=county.bureau, **{**args, "to_unit": county.team})
    assert not AuditEntry.objects.filter(action="lead.transferred").exists()
    services.lead_transfer(actor=county.bureau, **args)
    assert Project.objects.get(pk=profile.pk).responsible_unit == county.other_town


def test_the_county_sets_how_long_a_lead_may_go_without_follow_up(county):
    profile = _registered_days_ago(_lead(county.reporter, county.town)[0], 61)
    LeadRules.objects.create(root=county.root, reassign_days=90)
    assert not services.is_stale(profile)
    services.followup_add(
        actor=county.reporter, project=profile.project, values={"on_date": today(), "content": "电话"}
    )
    LeadRules.objects.filter(root=county.root).update(reassign_days=60)
    assert not services.is_stale(profile)  # followed today


def test_the_first_responsible_named_at_entry_is_of_the_unit_too(county):
    values = {"name": "新材料项目", "investor": "某公司", "responsible_unit": county.town}
    with pytest.raises(ValidationError):
        services.lead_register(
            actor=county.bureau, project_values=values, lead_values={"first_responsible": county.outsider}
        )
    assert not Project.objects.filter(name="新材料项目").exists()
    profile, _ = services.lead_register(
        actor=county.bureau, project_values=values, lead_values={"first_responsible": county.unit_head}
    )
    assert profile.first_responsible == county.unit_head and profile.first_responsible_on == today()
