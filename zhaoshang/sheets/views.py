"""Downloading a template for a unit and month (the monthly sheets list the unit's projects)."""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from zhaoshang.org.access import business_writer_required
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.progress.views.common import period_from
from zhaoshang.projects.models import Project, Stage
from zhaoshang.reporting.locks import MonthClosed
from zhaoshang.sheets.http import XLSX
from zhaoshang.sheets.http import download as _download
from zhaoshang.sheets.reader import SheetRefused
from zhaoshang.sheets.service import KINDS, SUPPORTED, KindNotSupported, run_import
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


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="表格类型", choices=[(k, KINDS[k]) for k in SUPPORTED])
    file = forms.FileField(label="xlsx 文件")


def _pending_path(token: str) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"{token}.xlsx"


@business_writer_required
def import_page(request):
    """Upload → preview (a dry run: new / updated / unchanged, or every error) → commit, all or nothing.
    The previewed file waits under VAR_DIR/imports, named by a random token kept in the user's session."""
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "result": None}
    if request.method == "POST" and "commit" in request.POST:
        pending = request.session.get("pending_import") or {}
        if pending.get("token") != request.POST.get("token"):
            messages.error(request, "预检已失效，请重新上传文件")
            return redirect("import_page")
        path = _pending_path(pending["token"])
        try:
            result = run_import(
                pending["kind"], path.read_bytes(), file_name=pending["name"], actor=request.user, dry_run=False
            )
        except (SheetRefused, KindNotSupported, MonthClosed, FileNotFoundError) as exc:
            messages.error(request, f"导入失败：{exc}")
            return redirect("import_page")
        path.unlink(missing_ok=True)
        del request.session["pending_import"]
        if result.ok:
            messages.success(request, result.summary())
            return redirect("import_page")
        context["result"] = result
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", f"文件过大，上限 {settings.IMPORT_MAX_BYTES // 1024 // 1024} MB")
        else:
            data = upload.read()
            try:
                result = run_import(
                    form.cleaned_data["kind"], data, file_name=upload.name, actor=request.user, dry_run=True
                )
            except (SheetRefused, KindNotSupported) as exc:
                form.add_error("file", str(exc))
            else:
                context["result"] = result
                if result.ok:
                    token = secrets.token_hex(16)
                    path = _pending_path(token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    request.session["pending_import"] = {
                        "token": token,
                        "kind": form.cleaned_data["kind"],
                        "name": upload.name[:200],
                    }
                    context["token"] = token
    status = 400 if context["result"] is not None and not context["result"].ok else 200
    return render(request, "sheets/import.html", context, status=status)
