"""Setups, form data and checks for the approval pages' rows of the permission matrix
(tests/org/test_permissions.py). The departments' own cells are in tests/construction/test_pages.py."""

from zhaoshang.construction import services
from zhaoshang.construction.models import ApprovalStep
from zhaoshang.core.periods import today


def with_steps(c):
    """The seven standard steps on 甲镇's, 甲镇工业园's and 乙镇's projects."""
    for project in (c.project, c.park_project, c.other_project):
        services.approval_steps_init(actor=c.bureau, project=project)


def save_data(which: str):
    """The whole page of that project's steps as its form posts them, with 环评 filed today."""

    def data(c):
        values = {"new-name": "", "new-sort_order": "", "new-department": "", "new-note": ""}
        for step in ApprovalStep.objects.filter(project=getattr(c, which)):
            prefix = f"s{step.pk}-"
            values |= {
                prefix + "sort_order": step.sort_order,
                prefix + "name": step.name,
                prefix + "department": step.department_id or "",
                prefix + "planned_on": "",
                prefix + "filed_on": today().isoformat() if step.name == "环评" else "",
                prefix + "done_on": "",
                prefix + "note": "",
            }
        return values

    return data


def filed(which: str):
    return lambda c: ApprovalStep.objects.filter(project=getattr(c, which), name="环评").exclude(filed_on=None).exists()


def has_steps(which: str):
    return lambda c: ApprovalStep.objects.filter(project=getattr(c, which)).count() == 7
