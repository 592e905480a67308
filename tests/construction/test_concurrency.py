"""Two people adding steps to one project at the same moment: the second waits for the first and then finds the
steps there, instead of failing on the unique constraint (a 500 before the project row was locked). Every path
that adds steps takes the lock: 生成标准步骤, the single-step service and the page's 新增 row."""

import pytest
from django.core.exceptions import ValidationError

from tests.concurrency import race
from zhaoshang.construction import services
from zhaoshang.construction.models import ApprovalStep

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_generations_add_the_standard_steps_once(county):
    def generate():
        return services.approval_steps_init(actor=county.bureau, project=county.project)

    created, errors = race(generate, generate)
    assert errors == []
    assert len(created["first"]) == 7 and created["second"] == []
    assert ApprovalStep.objects.filter(project=county.project).count() == 7


def test_two_page_saves_adding_the_same_custom_step_end_in_a_message(county):
    def save():
        return services.approval_steps_save(
            actor=county.bureau, project=county.project, updates={}, new={"name": "消防设计审查"}
        )

    _, errors = race(save, save)
    assert len(errors) == 1 and isinstance(errors[0], services.StepsInvalid), errors  # 本项目已有, not a 500
    assert ApprovalStep.objects.filter(project=county.project, name="消防设计审查").count() == 1


def test_a_page_save_racing_the_standard_steps_ends_in_a_message(county):
    def generate():
        return services.approval_steps_init(actor=county.bureau, project=county.project)

    def save():
        return services.approval_steps_save(
            actor=county.bureau, project=county.project, updates={}, new={"name": "环评"}
        )

    _, errors = race(generate, save)
    assert len(errors) == 1 and isinstance(errors[0], services.StepsInvalid), errors
    assert ApprovalStep.objects.filter(project=county.project, name="环评").count() == 1


def test_a_step_renamed_while_the_same_step_is_added_ends_in_a_message(county):
    """Renaming one step waits for the project's other step writers too, so the name it takes is checked against
    the steps they added (before, it read the names without the project's lock and hit the unique constraint)."""
    step = services.approval_step_create(actor=county.bureau, project=county.project, values={"name": "水保方案"})

    def add():
        return services.approval_step_create(
            actor=county.bureau, project=county.project, values={"name": "消防设计审查"}
        )

    def rename():
        return services.approval_step_save(actor=county.bureau, step=step, values={"name": "消防设计审查"})

    _, errors = race(add, rename)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert "本项目已有" in str(errors[0])
    names = set(ApprovalStep.objects.filter(project=county.project).values_list("name", flat=True))
    assert names == {"水保方案", "消防设计审查"}
