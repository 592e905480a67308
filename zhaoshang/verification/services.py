"""Writes of 认定: a decision on an item, a bulk 认定, the install's rules, the 认定 role's grants. Each in one
transaction, audited.

A closed month does not stop a decision: closing freezes what units declared (申报), and 认定 is the bureau's check
of those declared figures, which normally happens after the month is closed and the data final. A decision
changes no declared figure; it changes only the verified totals, which follow the decisions by design."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.core.errors import Refused
from zhaoshang.core.periods import parse_month
from zhaoshang.evidence.models import EvidenceKind
from zhaoshang.org import versions
from zhaoshang.org.models import Role, Unit, User
from zhaoshang.org.ownership import require_manages, require_root_bureau
from zhaoshang.org.scoping import memberships
from zhaoshang.projects import totals
from zhaoshang.projects.models import (
    CountedBasis,
    Project,
    Verification,
    VerificationKind,
    VerificationRules,
    VerificationStatus,
)
from zhaoshang.projects.verification import decided_figure
from zhaoshang.verification import queries, rights, rules
from zhaoshang.verification.models import Verifier

DECIDER_ROLES = {Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU_ADMIN}
DECISION_FIELDS = ("status", "reason", "amount", "on_date", "decided_by_id", "decided_at")


def _snapshot(row: Verification) -> dict:
    return {name: getattr(row, name) for name in DECISION_FIELDS}


@transaction.atomic
def item_decide(
    *, actor, project: Project, kind: str, month=None, passed: bool, reason: str = "", source: str = Source.PAGE
) -> Verification:
    """认定 (passed) or 不予认定 (with a reason) of one item, on the figure the ledger holds now."""
    project = Project.objects.select_for_update().select_related("responsible_unit").get(pk=project.pk)
    rights.require_decides(actor, project.responsible_unit)
    item = queries.item_of(project, kind, month)
    if item is None:
        raise Refused("该事项在台账中没有可认定的数据（日期或金额为空）")
    reason = (reason or "").strip()
    if passed and item.missing:
        raise Refused(f"佐证材料不全，不能认定：{item.missing_text}")
    if not passed and not reason:
        raise Refused("不予认定须填写原因", field="reason")
    funds = kind == VerificationKind.FUNDS
    row = Verification.objects.filter(project=project, kind=kind, month=month if funds else None).first()
    row = row or Verification(project=project, kind=kind, month=month if funds else None)
    before = _snapshot(row) if row.pk else {}
    row.amount, row.on_date = decided_figure(kind, project, item.amount if funds else None)
    row.status = VerificationStatus.PASSED if passed else VerificationStatus.REFUSED
    row.reason = "" if passed else reason[:200]
    row.decided_by = actor if getattr(actor, "pk", None) else None
    row.decided_at = timezone.now()
    row.save()
    changes = diff(before, _snapshot(row)) if before else {k: [None, v] for k, v in _snapshot(row).items()}
    record(actor, action=f"verification.{row.status}", target=row, source=source, data=changes)
    # The verified totals read the decisions: they follow in this transaction.
    totals.refresh(totals.project_keys(project))
    return row


def items_pass(*, actor, keys: list[str], source: str = Source.PAGE) -> tuple[int, list[str]]:
    """Bulk 认定 of the items named by their keys: each one with complete evidence is passed (each in its own
    transaction); returns (passed count, the refusals, one line per item not passed)."""
    passed, refusals = 0, []
    for key in keys:
        parsed = parse_key(key)
        if parsed is None:
            continue
        pk, kind, month = parsed
        project = Project.objects.filter(pk=pk).select_related("responsible_unit").first()
        if project is None or not rights.decides(actor, project.responsible_unit):
            refusals.append("有事项不在您的认定范围内")
            continue
        try:
            item_decide(actor=actor, project=project, kind=kind, month=month, passed=True, source=source)
        except ValidationError as exc:
            refusals.append(f"{project.code} {rules.KIND_LABELS.get(kind, kind)}：{'；'.join(exc.messages)}")
        else:
            passed += 1
    return passed, refusals


def parse_key(key: str):
    """'12:funds:2026-05' → (12, 'funds', date(2026, 5, 1)); None for anything else."""
    parts = str(key).split(":")
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] not in VerificationKind.values:
        return None
    month = None
    if parts[1] == VerificationKind.FUNDS:
        try:
            month = parse_month(parts[2])
        except ValueError:
            return None
    return int(parts[0]), parts[1], month


@transaction.atomic
def rules_update(*, actor, counted: str, requirements: dict, source: str = Source.PAGE) -> VerificationRules:
    """The install's 认定 settings, by the root's bureau: which figures count, what evidence each item needs."""
    require_root_bureau(actor, "修改认定设置")
    if counted not in CountedBasis.values:
        raise Refused("请选择排名与完成率的计算口径", field="counted")
    clean = {}
    for kind in VerificationKind.values:
        groups = []
        for group in requirements.get(kind) or []:
            codes = sorted(set(group))
            if any(code not in EvidenceKind.values for code in codes):
                raise Refused("佐证材料类型不存在")
            if codes and codes not in groups:
                groups.append(codes)
        if len(groups) > rules.MAX_GROUPS:
            raise Refused(f"每个事项最多设{rules.MAX_GROUPS}组佐证材料")
        clean[kind] = groups
    root = Unit.objects.filter(parent=None).order_by("path").first()
    row = VerificationRules.objects.select_for_update().filter(root=root).first()
    row = row or VerificationRules(root=root)
    # A new row starts from the defaults, so the entry says what changed from what was in force.
    before = {"counted": row.counted, "requirements": rules.requirements_of(row)}
    row.counted, row.requirements = counted, clean
    changes = diff(before, {"counted": row.counted, "requirements": row.requirements})
    if not changes:
        return row
    row.save()
    record(actor, action="verification.rules_updated", target=row, source=source, data=changes)
    # Which basis counts changes every ranking: the cached pages' version moves.
    versions.touch_everything()
    return row


@transaction.atomic
def verifier_grant(*, actor, user: User, unit: Unit, source: str = Source.PAGE) -> Verifier:
    """Give an account the 认定 role for a unit's subtree. The granting bureau manages the unit, and the account
    belongs to that subtree: a county cannot hand its items to another county's account."""
    require_manages(actor, unit, "授予认定权限")
    own = list(memberships(user)) if user.pk else []
    if not any(m.unit.path.startswith(unit.path) for m in own):
        raise Refused("该账号不属于所选单位或其下级单位", field="username")
    # Deciding is business work: a leader only reads, a system admin or an auditor holds no business data (等保).
    if not any(m.unit.path.startswith(unit.path) and m.role in DECIDER_ROLES for m in own):
        raise Refused("只能授权填报员、单位负责人或主管部门管理员账号承担认定工作", field="username")
    grant, created = Verifier.objects.get_or_create(
        user=user, unit=unit, defaults={"granted_by": actor if getattr(actor, "pk", None) else None}
    )
    if not created:
        raise Refused("该账号已有此范围的认定权限", field="username")
    record(actor, action="verification.role_granted", target=grant, source=source, data={"user": user.username})
    return grant


@transaction.atomic
def verifier_revoke(*, actor, grant: Verifier, source: str = Source.PAGE) -> None:
    grant = Verifier.objects.select_for_update().select_related("unit", "user").get(pk=grant.pk)
    require_manages(actor, grant.unit, "收回认定权限")
    record(actor, action="verification.role_revoked", target=grant, source=source, data={"user": grant.user.username})
    grant.delete()
