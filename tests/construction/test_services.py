"""Writing approval steps: generated, validated in Chinese, changed by who may, every change audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.construction.conftest import days_ago
from zhaoshang.audit.models import AuditEntry
from zhaoshang.construction import rules, services
from zhaoshang.construction.models import ApprovalStep

pytestmark = pytest.mark.django_db


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_it_generates_the_seven_standard_steps_with_their_usual_departments(county, housing, steps):
    assert list(ApprovalStep.objects.filter(project=county.project).values_list("name", flat=True)) == [
        "立项/备案",
        "用地预审",
        "环评",
        "能评",
        "土地出让",
        "规划许可",
        "施工许可",
    ]
    assert steps["用地预审"].department == county.department  # 自然资源局
    assert steps["规划许可"].department == county.department
    assert steps["施工许可"].department == housing
    assert steps["环评"].department is None  # the test county has no 生态环境局
    created = entries("approval.created")
    assert len(created) == 7 and all(e.actor == county.reporter and e.unit == county.town for e in created)
    assert created[1].data["name"] == [None, "用地预审"] and created[1].data["department"] == [None, "自然资源局"]


def test_it_skips_the_steps_a_project_already_has(county, steps):
    services.approval_step_delete(actor=county.reporter, step=steps["能评"])
    added = services.approval_steps_init(actor=county.reporter, project=county.project)
    assert [s.name for s in added] == ["能评"]
    assert services.approval_steps_init(actor=county.reporter, project=county.project) == []


def test_it_records_a_step_and_audits_the_fields_that_changed(county, steps):
    step = steps["用地预审"]
    changes = services.approval_step_save(
        actor=county.reporter,
        step=step,
        values={"planned_on": days_ago(5), "filed_on": days_ago(20), "note": " 已受理 "},
    )
    assert changes == {
        "planned_on": [None, days_ago(5).isoformat()],
        "filed_on": [None, days_ago(20).isoformat()],
        "note": ["", "已受理"],
    }
    entry = entries("approval.updated")[-1]
    assert entry.data == changes and entry.actor == county.reporter and entry.unit == county.town
    assert entry.target_type == "construction.approvalstep" and entry.target_id == str(step.pk)
    step.refresh_from_db()
    assert step.status == "办理中" and step.light == "yellow" and step.days_overdue == 5

    services.approval_step_save(actor=county.reporter, step=step, values={"done_on": days_ago(1)})
    step.refresh_from_db()
    assert step.status == "已完成" and step.days_taken == 19 and step.light is None and step.done_late
    # saving the same values again changes nothing and records nothing
    count = AuditEntry.objects.count()
    assert services.approval_step_save(actor=county.reporter, step=step, values={"done_on": days_ago(1)}) == {}
    assert AuditEntry.objects.count() == count


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"filed_on": days_ago(3), "done_on": days_ago(4)}, "done_on", "办结日期不能早于申报日期"),
        ({"filed_on": days_ago(-1)}, "filed_on", "申报日期不能晚于今天"),
        ({"filed_on": days_ago(3), "done_on": days_ago(-2)}, "done_on", "办结日期不能晚于今天"),
        ({"done_on": days_ago(2)}, "filed_on", "已办结的手续须填写申报日期，以便统计办理用时"),
        ({"name": ""}, "name", "请填写手续名称"),
        ({"name": "环评"}, "name", "本项目已有“环评”"),
    ],
)
def test_it_refuses_a_wrong_step_and_writes_nothing(county, steps, values, field, message):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.approval_step_save(actor=county.reporter, step=steps["用地预审"], values=values)
    assert caught.value.message_dict == {field: [message]}
    assert AuditEntry.objects.count() == before
    assert ApprovalStep.objects.get(pk=steps["用地预审"].pk).filed_on is None


def test_it_assigns_only_a_department(county, steps):
    with pytest.raises(ValidationError) as caught:
        services.approval_step_save(actor=county.reporter, step=steps["环评"], values={"department": county.other_town})
    assert caught.value.message_dict == {"department": ["办理部门须选择类型为“部门”的单位"]}


def test_it_lets_a_department_record_only_its_own_steps_dates_and_note(county, housing, steps):
    dept = county.dept_user  # 自然资源局
    services.approval_step_save(
        actor=dept, step=steps["用地预审"], values={"filed_on": days_ago(9), "done_on": days_ago(2), "note": "已批复"}
    )
    assert ApprovalStep.objects.get(pk=steps["用地预审"].pk).days_taken == 7
    assert entries("approval.updated")[-1].actor == dept
    with pytest.raises(PermissionDenied):  # not its own step
        services.approval_step_save(actor=dept, step=steps["施工许可"], values={"filed_on": days_ago(1)})
    with pytest.raises(PermissionDenied):  # its own step, but the plan is the project unit's
        services.approval_step_save(actor=dept, step=steps["用地预审"], values={"planned_on": days_ago(1)})
    with pytest.raises(PermissionDenied):
        services.approval_steps_init(actor=dept, project=county.project)
    with pytest.raises(PermissionDenied):
        services.approval_step_delete(actor=dept, step=steps["土地出让"])


def test_it_lets_no_read_only_role_write(county, steps):
    for user in (county.leader, county.outsider, county.auditor):
        with pytest.raises(PermissionDenied):
            services.approval_step_save(actor=user, step=steps["环评"], values={"filed_on": days_ago(1)})
    # the bureau may do anything to any project's steps
    services.approval_step_save(actor=county.bureau, step=steps["环评"], values={"planned_on": days_ago(40)})
    assert ApprovalStep.objects.get(pk=steps["环评"].pk).light == "red"


def test_it_adds_a_custom_step_at_the_end(county, housing, steps):
    step = services.approval_step_create(
        actor=county.reporter, project=county.project, values={"name": "消防设计审查", "department": housing}
    )
    assert step.sort_order == rules.STANDARD_ORDER["施工许可"] + 10 and not step.is_standard
    assert entries("approval.created")[-1].data == {
        "name": [None, "消防设计审查"],
        "sort_order": [None, 80],
        "department": [None, "住房和城乡建设局"],
    }


def test_it_deletes_only_a_step_nobody_has_filed(county, steps):
    services.approval_step_save(actor=county.reporter, step=steps["环评"], values={"filed_on": days_ago(3)})
    with pytest.raises(ValidationError, match="已申报或办结，不能删除"):
        services.approval_step_delete(actor=county.reporter, step=steps["环评"])
    services.approval_step_delete(actor=county.reporter, step=steps["能评"])
    assert not ApprovalStep.objects.filter(name="能评").exists()
    deleted = entries("approval.deleted")[-1]
    assert deleted.data["name"] == ["能评", None] and deleted.target_id == str(steps["能评"].pk)


def test_it_saves_a_page_of_steps_all_or_none(county, steps):
    good = {"filed_on": days_ago(10)}
    bad = {"filed_on": days_ago(3), "done_on": days_ago(5)}
    with pytest.raises(services.StepsInvalid) as caught:
        services.approval_steps_save(
            actor=county.reporter,
            project=county.project,
            updates={steps["立项/备案"].pk: good, steps["环评"].pk: bad},
            new={"name": "用地预审"},
            delete={steps["能评"].pk},
        )
    assert caught.value.errors == {
        steps["环评"].pk: {"done_on": ["办结日期不能早于申报日期"]},
        "new": {"name": ["本项目已有“用地预审”"]},
    }
    assert ApprovalStep.objects.filter(project=county.project).count() == 7
    assert not ApprovalStep.objects.exclude(filed_on=None).exists()
    assert not AuditEntry.objects.filter(action__in=["approval.updated", "approval.deleted"]).exists()

    # a renamed step frees its name for the new one on the same page
    changed = services.approval_steps_save(
        actor=county.reporter,
        project=county.project,
        updates={steps["立项/备案"].pk: good, steps["用地预审"].pk: {"name": "用地预审（选址）"}},
        new={"name": "用地预审", "sort_order": 15},
        delete={steps["能评"].pk},
    )
    assert changed == 4
    assert len(entries("approval.updated")) == 2 and len(entries("approval.deleted")) == 1
    names = list(ApprovalStep.objects.filter(project=county.project).values_list("name", flat=True))
    assert names[:3] == ["立项/备案", "用地预审", "用地预审（选址）"]


def test_it_keeps_a_step_a_dispatch_meeting_has_on_its_agenda(county, steps):
    from zhaoshang.coordination.meeting_models import AgendaItem, DispatchMeeting

    meeting = DispatchMeeting.objects.create(unit=county.root, title="调度会", held_on=days_ago(1))
    AgendaItem.objects.create(meeting=meeting, kind="手续", title="能评逾期", approval_step=steps["能评"])
    with pytest.raises(services.StepsInvalid) as caught:
        services.approval_steps_save(
            actor=county.reporter,
            project=county.project,
            updates={steps["环评"].pk: {"filed_on": days_ago(2)}},
            delete={steps["立项/备案"].pk, steps["能评"].pk},
        )
    assert caught.value.errors == {steps["能评"].pk: {"delete": ["“能评”已列入调度会议题，不能删除"]}}
    assert ApprovalStep.objects.filter(project=county.project).count() == 7
    assert not AuditEntry.objects.filter(action__in=["approval.deleted", "approval.updated"]).exists()
