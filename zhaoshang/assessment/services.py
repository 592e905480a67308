"""Writes of the assessment engine: publishing a scheme's result (frozen, like an issued bulletin) and its
corrections, each a new audited version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from zhaoshang.assessment import schema
from zhaoshang.assessment.models import Publication, Scheme
from zhaoshang.assessment.scoring import SchemeError, score
from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.org.ownership import require_manages
from zhaoshang.org.scoping import require_bureau_admin


def latest_publication(scheme: Scheme) -> Publication | None:
    return scheme.publications.order_by("-version").first()


@transaction.atomic
def publish(scheme: Scheme, *, actor, reason: str = "", source: str = Source.PAGE) -> Publication:
    """Freeze the scheme's result as it stands now (and the scheme it was scored with) as the next version. Only a
    bureau admin of the owner (its subtree) publishes; a correction (version 2 on) says why."""
    require_bureau_admin(actor, "发布考核结果")
    require_manages(actor, scheme.owner, "发布该单位的考核结果")
    scheme = Scheme.objects.select_for_update(of=("self",)).select_related("owner", "group").get(pk=scheme.pk)
    version = (scheme.publications.aggregate(last=Max("version"))["last"] or 0) + 1
    reason = (reason or "").strip()
    if version > 1 and not reason:
        raise ValidationError("考核结果已发布，更正发布须填写更正说明")
    try:
        result = score(scheme).as_json()
    except SchemeError as exc:
        raise ValidationError(f"考核方案无法计分：{exc}") from None
    if not result["units"]:
        raise ValidationError("该方案没有考核单位，不能发布")
    publication = Publication.objects.create(
        scheme=scheme,
        version=version,
        result=result,
        scheme_file=schema.dump(scheme),  # the file it was scored with, as `assessment export` writes it
        reason=reason,
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor,
        action="assessment.published" if version == 1 else "assessment.corrected",
        target=scheme,
        source=source,
        data={"version": version, "reason": reason, "units": len(result["units"])},
    )
    return publication
