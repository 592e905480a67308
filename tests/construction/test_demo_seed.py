"""The demo county's approval steps: believable, valid by the product's own rules, deterministic."""

from datetime import date

import pytest

from tests.demo.seeding import TODAY, assert_the_same_for_the_same_seed, seed
from zhaoshang.construction import queries, rules
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.org.models import User
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def fingerprint():
    return list(
        ApprovalStep.objects.order_by("project__code", "sort_order").values_list(
            "project__code", "name", "department__name", "planned_on", "filed_on", "done_on"
        )
    )


def test_the_demo_has_steps_in_every_status_and_some_overdue():
    seed()
    steps = list(ApprovalStep.objects.select_related("project", "department"))
    assert {rules.status(s.filed_on, s.done_on) for s in steps} == {"未开始", "办理中", "已完成"}
    overdue = queries.overdue_steps(TODAY)
    assert {o.light for o in overdue} == {"yellow", "red"}
    assert 3 <= len({o.project.pk for o in overdue}) <= 30  # a few projects held up, not most
    # steps each department handles, with different speeds
    found = queries.summaries(ApprovalStep.objects.all(), start=date(2026, 1, 1), end=date(2026, 11, 1), today=TODAY)
    averages = {row.label: row.avg_days for row in found.by_department}
    assert {"示范县发展和改革局", "示范县自然资源和规划局", "示范县住房和城乡建设局", "示范县生态环境分局"} <= set(
        averages
    )
    assert averages["示范县自然资源和规划局"] > 2 * averages["示范县住房和城乡建设局"]
    assert ApprovalStep.objects.exclude(name__in=rules.STANDARD_STEPS).exists()  # a custom step or two


def test_every_demo_step_obeys_the_rules_and_a_started_project_had_its_permits():
    seed()
    for step in ApprovalStep.objects.select_related("project", "department"):
        values = {"name": step.name, "filed_on": step.filed_on, "done_on": step.done_on, "note": step.note}
        assert rules.errors(values, today=TODAY, department_kind=step.department.kind) == {}, step
        assert step.days_taken == rules.days_taken(step.filed_on, step.done_on)
        if step.project.started_on:
            assert step.done_on and step.done_on <= step.project.started_on, step
    assert not ApprovalStep.objects.filter(project__stage__in=["线索", "在谈", "终止"]).exists()
    assert Project.objects.filter(stage="签约", approval_steps=None).exists()  # some still to be drawn up


def test_each_approving_department_has_an_account_that_sees_its_steps():
    seed()
    for username, department in [("fgj", "发展和改革局"), ("zrj", "自然资源和规划局"), ("zjj", "住房和城乡建设局")]:
        user = User.objects.get(username=username)
        assert user.check_password("Demo@2026")
        visible = ApprovalStep.objects.readable_by(user).filter(department__name__contains=department)
        assert visible.exists()
    sthj = User.objects.get(username="sthj")
    assert set(ApprovalStep.objects.readable_by(sthj).values_list("name", flat=True)) == {"环评"}


def test_it_makes_the_same_steps_for_the_same_seed():
    assert_the_same_for_the_same_seed(fingerprint, ApprovalStep)
