"""Who may change which approval step.

- the writers of the project's responsible unit (its reporter, the unit heads above it, the bureau) manage all
  of a project's steps: add, rename, assign, plan, record, delete;
- the writers of a step's department are its approvers: they record that step's 申报日期, 办结日期 and 备注;
- everyone else changes nothing.
"""

from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.projects.lookups import can_edit_project

MANAGE = "manage"
APPROVE = "approve"
APPROVER_FIELDS = {"filed_on", "done_on", "note"}


def can_manage(user, project) -> bool:
    return can_edit_project(user, project)


def step_rights(user, step) -> str | None:
    """MANAGE, APPROVE or None for this user on this step."""
    if can_manage(user, step.project):
        return MANAGE
    if step.department_id and step.department_id in editable_unit_ids(user):
        return APPROVE
    return None
