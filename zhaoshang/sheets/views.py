"""Templates to download, and the import page: upload → preview → commit, the refused file handed back with its
errors, and the user's recent imports with undo."""

import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core.errors import Refused
from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.files import XLSX
from zhaoshang.core.files import download as _download
from zhaoshang.org.models import Membership
from zhaoshang.org.ownership import is_root_bureau
from zhaoshang.org.scoping import is_bureau_admin
from zhaoshang.progress.views.common import period_from
from zhaoshang.sheets.account_import import result_file
from zhaoshang.sheets.error_file import error_file
from zhaoshang.sheets.models import ImportLog
from zhaoshang.sheets.reader import SheetRefused, read_sheet
from zhaoshang.sheets.services import KINDS, ImportNotAllowed, kinds_for, run_import
from zhaoshang.sheets.templates_xlsx import template_bytes
from zhaoshang.sheets.undo import UndoRefused, import_undo

RECENT_IMPORTS = 20


def _kinds(request) -> list[str]:
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied("您的角色不能导入表格")
    return kinds


@login_required
def template_download(request, kind):
    if kind not in KINDS:
        raise Http404("没有这种模板")
    if kind not in _kinds(request):
        raise PermissionDenied(f"您的角色不能导入“{KINDS[kind]}”表")
    month = period_from(request)
    content = template_bytes(kind, actor=request.user, month=month)
    suffix = f"{month.year}年" if kind in ("plans", "targets") else f"{month:%Y-%m}"
    return _download(content, f"{KINDS[kind]}模板-{suffix}.xlsx", XLSX)


class UploadForm(ProductForm):
    kind = forms.ChoiceField(label="表格类型")
    file = forms.FileField(label="xlsx 文件")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KINDS[k]) for k in kinds]


def _var_path(name: str) -> Path:
    return Path(settings.VAR_DIR) / "imports" / name


KEEP_HOURS = 24  # a preview not committed, or an error file not fetched, within this is swept away
# A 账号 sheet may hold initial passwords in clear: its preview and error file are swept after minutes, not hours.
SECRET_KINDS = {"accounts"}
SECRET_PREFIX = "secret-"
SECRET_KEEP_MINUTES = 15


def _keep(data: bytes, suffix: str, *, secret: bool = False) -> str:
    """Keep a file for this user's next request under a random token (the session remembers the token).
    Old files are removed first, so abandoned previews do not pile up."""
    token = (SECRET_PREFIX if secret else "") + secrets.token_hex(16)
    path = _var_path(f"{token}{suffix}")
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep()
    path.write_bytes(data)
    return token


def _sweep() -> None:
    folder = _var_path("")
    if not folder.is_dir():
        return
    now = time.time()
    for old in folder.glob("*.xlsx"):
        keep_seconds = SECRET_KEEP_MINUTES * 60 if old.name.startswith(SECRET_PREFIX) else KEEP_HOURS * 3600
        if old.stat().st_mtime < now - keep_seconds:
            old.unlink(missing_ok=True)


def visible_imports(user):
    """The imports a user may list and undo: its own; a bureau's admin also those of the accounts of its units
    (not a neighbouring county's, where one installation serves a city), and the root's bureau those run by
    commands without --user."""
    logs = ImportLog.objects.all()
    if not is_bureau_admin(user):
        return logs.filter(actor=user)
    ours = Membership.objects.filter(user=OuterRef("actor")).readable_by(user)
    system = Q(actor=None) if is_root_bureau(user) else Q(pk__in=[])
    return logs.filter(Q(actor=user) | system | Exists(ours))


def _recent(user):
    logs = visible_imports(user).select_related("actor", "undone_by").order_by("-created_at")
    return list(logs[:RECENT_IMPORTS])


@login_required
def import_page(request):
    """Upload → preview (a dry run: new / updated / unchanged, or every error) → commit, all or nothing.
    The previewed file waits under VAR_DIR/imports, named by a random token kept in the user's session."""
    kinds = _kinds(request)
    _sweep()
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    context = {"form": form, "result": None, "kinds": [(k, KINDS[k]) for k in kinds]}
    if request.method == "POST" and "commit" in request.POST:
        return _commit(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", f"文件过大，上限 {settings.IMPORT_MAX_BYTES // 1024 // 1024} MB")
        else:
            _preview(request, form, upload, context)
    context["recent"] = _recent(request.user)
    status = 400 if context["result"] is not None and not context["result"].ok else 200
    return render(request, "sheets/import.html", context, status=status)


def _preview(request, form, upload, context) -> None:
    data = upload.read()
    kind = form.cleaned_data["kind"]
    try:
        result = run_import(kind, data, file_name=upload.name, actor=request.user, dry_run=True)
    except (SheetRefused, ImportNotAllowed) as exc:
        form.add_error("file", str(exc))
        return
    context["result"] = result
    secret = kind in SECRET_KINDS
    if result.ok:
        token = _keep(data, ".xlsx", secret=secret)
        request.session["pending_import"] = {"token": token, "kind": kind, "name": upload.name[:200]}
        context["token"] = token
    else:
        token = _keep(error_file(read_sheet(data), result.errors), "-errors.xlsx", secret=secret)
        request.session["import_errors"] = {"token": token, "name": upload.name[:200]}
        context["error_token"] = token


def _commit(request):
    pending = request.session.get("pending_import") or {}
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "预检已失效，请重新上传文件")
        return redirect("import_page")
    path = _var_path(f"{pending['token']}.xlsx")
    if not path.is_file():  # swept meanwhile (a 账号 sheet waits minutes only); never the server's path in a message
        messages.error(request, "预检已过期，请重新上传文件")
        return redirect("import_page")
    try:
        result = run_import(
            pending["kind"], path.read_bytes(), file_name=pending["name"], actor=request.user, dry_run=False
        )
    except (SheetRefused, Refused, FileNotFoundError) as exc:  # Refused: not allowed, or a month closed
        messages.error(request, f"导入失败：{exc}")
        return redirect("import_page")
    path.unlink(missing_ok=True)
    del request.session["pending_import"]
    if result.ok and pending["kind"] == "accounts":
        messages.success(request, f"{result.summary()}；账号导入结果（含系统生成的初始密码）已下载，请妥善保管并分发")
        return _accounts_result(result)
    if result.ok:
        messages.success(request, result.summary())
    else:  # the data changed between preview and commit (a month closed meanwhile, say)
        messages.error(request, "导入失败，未写入任何数据：" + "；".join(str(e) for e in result.errors[:10]))
    return redirect("import_page")


def _accounts_result(result):
    """The commit answers with the result file itself: the generated passwords go to the system admin's browser
    and are written nowhere on the server; no cache may keep the answer."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = _download(result_file(result.issued), f"账号导入结果-{stamp}.xlsx", XLSX)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_error_file(request, token):
    """The refused file, handed back with an error column; only to the user who uploaded it."""
    kept = request.session.get("import_errors") or {}
    if kept.get("token") != token:
        raise Http404("文件已失效，请重新预检")
    path = _var_path(f"{token}-errors.xlsx")
    if not path.is_file():
        raise Http404("文件已失效，请重新预检")
    name = Path(kept["name"]).stem
    return _download(path.read_bytes(), f"{name}-错误标注.xlsx", XLSX)


@login_required
@require_POST
def import_undo_view(request, pk):
    _kinds(request)
    log = get_object_or_404(visible_imports(request.user), pk=pk)
    try:
        restored = import_undo(actor=request.user, log=log)
    except UndoRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤销导入“{log.file_name}”，恢复 {restored} 行")
    return redirect("import_page")
