"""Downloading a template for a unit and month (the monthly sheets list the unit's projects)."""

from django.http import Http404

from zhaoshang.bulletins.views import XLSX, _download
from zhaoshang.org.access import business_writer_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.progress.views.common import period_from
from zhaoshang.projects.models import Project, Stage
from zhaoshang.sheets.service import KINDS
from zhaoshang.sheets.templates_xlsx import TEMPLATE_SPECS, monthly_template


@business_writer_required
def template_download(request, kind):
    if kind not in TEMPLATE_SPECS:
        raise Http404("没有这种模板")
    month = period_from(request)
    projects = (
        Project.objects.filter(responsible_unit_id__in=editable_unit_ids(request.user))
        .exclude(stage__in=[Stage.LEAD, Stage.NEGOTIATING, Stage.DROPPED])
        .order_by("code")
    )
    if kind == "investment":
        projects = projects.exclude(key_level="")
    content = monthly_template(TEMPLATE_SPECS[kind], list(projects), month)
    return _download(content, f"{KINDS[kind]}模板-{month:%Y-%m}.xlsx", XLSX)
