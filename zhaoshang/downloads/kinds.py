"""The lists that can be exported in the background: each one's name, who may ask for it (the roles of its page),
and its builder, the same function its page streams a small export with (user, query string) → core.files.Export."""

from dataclasses import dataclass
from typing import Callable

from zhaoshang.carriers.exports import carriers_export
from zhaoshang.construction.exports import approvals_export
from zhaoshang.coordination.exports import problems_export
from zhaoshang.core.files import Export
from zhaoshang.frontline.exports import leads_export
from zhaoshang.frontline.trip_exports import followups_export, receptions_export, trips_export
from zhaoshang.industry.exports import targets_export
from zhaoshang.org.audit_log import audit_export
from zhaoshang.org.models import BUSINESS_READ_ROLES, Role
from zhaoshang.org.scoping import has_role
from zhaoshang.projects.exports import ledger_export


@dataclass(frozen=True)
class Kind:
    title: str
    roles: frozenset
    build: Callable[..., Export]
    back: str  # the list page's URL name

    def allowed(self, user) -> bool:
        return has_role(user, *self.roles)


KINDS = {
    "ledger": Kind("项目台账", frozenset(BUSINESS_READ_ROLES), ledger_export, "project_list"),
    "approvals": Kind("前期手续", frozenset(BUSINESS_READ_ROLES), approvals_export, "approval_list"),
    "problems": Kind("问题清单", frozenset(BUSINESS_READ_ROLES), problems_export, "problem_list"),
    "leads": Kind("招商线索", frozenset(BUSINESS_READ_ROLES), leads_export, "lead_list"),
    "audit": Kind("审计日志", frozenset({Role.AUDITOR}), audit_export, "audit_list"),
    "trips": Kind("外出招商", frozenset(BUSINESS_READ_ROLES), trips_export, "trip_list"),
    "receptions": Kind("接待客商", frozenset(BUSINESS_READ_ROLES), receptions_export, "reception_list"),
    "followups": Kind("跟进记录", frozenset(BUSINESS_READ_ROLES), followups_export, "followup_list"),
    "enterprises": Kind("目标企业库", frozenset(BUSINESS_READ_ROLES), targets_export, "target_list"),
    "carriers": Kind("载体", frozenset(BUSINESS_READ_ROLES), carriers_export, "carrier_list"),
}
