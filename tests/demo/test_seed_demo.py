"""The demo county loads, is believable, valid by the product's own rules, and the same for the same seed."""

from datetime import date

import pytest
from django.core.management.base import CommandError
from django.db.models import Count

from tests.demo.seeding import TODAY, assert_the_same_for_the_same_seed, seed
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.org.models import Membership, Role, Unit
from zhaoshang.projects import rules
from zhaoshang.projects.models import MonthlyFunds, MonthlyInvestment, Project, StageChange

pytestmark = pytest.mark.django_db


def fingerprint():
    return list(
        Project.objects.order_by("code").values_list(
            "code", "name", "stage", "responsible_unit__name", "contract_amount", "signed_on", "key_level"
        )
    ), list(MonthlyFunds.objects.order_by("project__code", "month").values_list("project__code", "month", "amount"))


def test_it_builds_the_demo_county():
    output = seed()
    assert "演示账号" in output and "Demo@2026" in output
    kinds = dict(Unit.objects.values_list("kind").annotate(n=Count("id")))
    assert (
        kinds["乡镇"] + kinds["街道"] == 12 and kinds["园区"] == 2 and kinds["部门"] == 7 and kinds["招商小分队"] == 8
    )
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    projects = Project.objects.all()
    assert 280 <= projects.count() <= 320
    assert set(projects.values_list("stage", flat=True)) == {"线索", "在谈", "签约", "注册", "开工", "投产", "终止"}
    assert projects.filter(funding_type="外资").exists() and projects.filter(is_major=True).exists()
    assert {"省重点", "市重点", "县重点"} <= set(projects.values_list("key_level", flat=True))
    years = set(projects.exclude(signed_on=None).values_list("signed_on__year", flat=True))
    assert years == {TODAY.year - 1, TODAY.year}
    last_month = date(2026, 10, 1)
    assert MonthlyFunds.objects.filter(month=last_month).exists()
    assert not MonthlyFunds.objects.filter(month__gt=last_month).exists()
    assert MonthlyInvestment.objects.exists()
    assert ClosedMonth.objects.filter(month=date(2026, 9, 1)).exists()
    assert not ClosedMonth.objects.filter(month=last_month).exists()


def test_every_demo_project_obeys_the_ledger_rules():
    seed()
    for project in Project.objects.all():
        values = {
            f: getattr(project, f)
            for f in ("stage", "signed_on", "started_on", "production_on", "contract_amount", "dropped_reason")
        }
        assert rules.consistency_errors(values, today=TODAY) == {}, project.code
        history = list(StageChange.objects.filter(project=project).order_by("changed_on", "id"))
        assert history[-1].to_stage == project.stage
        assert [h.changed_on for h in history] == sorted(h.changed_on for h in history)


def test_it_makes_the_same_data_for_the_same_seed():
    assert_the_same_for_the_same_seed(fingerprint, Project)


def test_it_refuses_a_database_that_has_data_unless_asked_to_skip():
    seed()
    with pytest.raises(CommandError, match="已有"):
        seed()
    assert "跳过" in seed(if_empty=True)


def test_the_demo_accounts_can_sign_in(client):
    seed()
    response = client.post("/login/", {"username": "reporter", "password": "Demo@2026"})
    assert response.status_code == 302
