"""The 佐证材料 panels of a project's page and a trip's page. Those pages load this tag rather than importing the
evidence app: the ledger and the front line sit below it (docs/architecture.md)."""

from django import template

from zhaoshang.evidence.forms import EvidenceForm, SitePhotoForm
from zhaoshang.evidence.models import Attachment, EvidenceKind
from zhaoshang.evidence.services import max_bytes
from zhaoshang.projects.models import VerificationKind
from zhaoshang.projects.verification import requirements_for

register = template.Library()
KB, MB = 1024, 1024 * 1024


@register.filter
def size_text(size: int) -> str:
    """A file's size as the page says it: 字节 below a KB, else KB or MB with one decimal."""
    if size < KB:
        return f"{size} 字节"
    return f"{size / KB:.1f} KB" if size < MB else f"{size / MB:.1f} MB"


def needs_text(project) -> str:
    """What the install asks for each item (签约需合同和营业执照…), from its 认定 settings."""
    names = dict(EvidenceKind.choices)
    parts = []
    requirements = requirements_for(project.responsible_unit)
    for item, label in VerificationKind.choices:
        groups = [g for g in requirements.get(item) or [] if g]
        if groups:
            wanted = "和".join("或".join(names.get(kind, kind) for kind in group) for group in groups)
            parts.append(f"{label}需{wanted}")
    return "；".join(parts)


def grouped(files) -> list[tuple[str, list]]:
    """[(kind's name, its files)] in the kinds' order, kinds without files left out."""
    by_kind: dict[str, list] = {}
    for item in files:
        by_kind.setdefault(item.kind, []).append(item)
    return [(label, by_kind[value]) for value, label in EvidenceKind.choices if value in by_kind]


def proves(item) -> str:
    """What a project's file proves, in the page's words."""
    if item.funds_month:
        return f"到位资金 {item.funds_month:%Y-%m}"
    if item.stage_change_id:
        return f"阶段变更 {item.stage_change.changed_on:%Y-%m-%d} {item.stage_change.to_stage}"
    if item.problem_id:
        return f"问题：{item.problem.description[:24]}"
    if item.approval_step_id:
        return f"前期手续：{item.approval_step.name}"
    return "项目本身"


@register.inclusion_tag("evidence/_panel.html")
def project_evidence(project, can_edit):
    files = list(
        Attachment.objects.filter(project=project).select_related(
            "uploaded_by", "stage_change", "problem", "approval_step"
        )
    )
    for item in files:
        item.proves = proves(item)
    latest = project.stage_changes.order_by("-changed_on", "-id").first() if can_edit else None
    return {
        "owner": project,
        "upload_url_name": "evidence_project_upload",
        "groups": grouped(files),
        "count": len(files),
        "can_edit": can_edit,
        "form": EvidenceForm(project=project) if can_edit else None,
        "photo_form": SitePhotoForm() if can_edit else None,
        "latest_stage": latest,
        "needs": needs_text(project) if can_edit else "",
        "max_mb": max_bytes() // (1024 * 1024),
    }


@register.inclusion_tag("evidence/_panel.html")
def trip_evidence(trip, can_edit):
    files = list(Attachment.objects.filter(trip=trip).select_related("uploaded_by"))
    return {
        "owner": trip,
        "upload_url_name": "evidence_trip_upload",
        "groups": grouped(files),
        "count": len(files),
        "can_edit": can_edit,
        "form": EvidenceForm() if can_edit else None,
        "max_mb": max_bytes() // (1024 * 1024),
    }
