"""Background exports' pages: the offer to make a long list's export in the background (GET shows how many rows,
POST queues it), the user's own exports, and the file, served to the user who asked for it only (404 to anyone
else, so its existence is not revealed) and audited."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from zhaoshang.core.files import XLSX, attachment
from zhaoshang.downloads import services
from zhaoshang.downloads.kinds import KINDS
from zhaoshang.downloads.models import Download, Status


def _kind(request, kind: str):
    found = KINDS.get(kind)
    if found is None:
        raise Http404("没有这种导出")
    if not found.allowed(request.user):
        raise PermissionDenied("您的角色无权导出此列表")
    return found


@login_required
def download_new(request, kind):
    found = _kind(request, kind)
    query = request.GET.urlencode()
    if request.method == "POST":
        query = request.POST.get("query", "")
        download = services.download_request(user=request.user, kind=kind, query=query)
        if download.status == Status.DONE:
            messages.success(request, f"{download.title}已导出，可在下方下载，也已发到您的通知中。")
        elif download.status == Status.FAILED:
            messages.error(request, f"{download.title}导出失败，请稍后重试。")
        else:
            messages.success(request, f"{download.title}正在后台生成，完成后将在通知中提供下载链接。")
        return redirect("download_list")
    rows = found.build(request.user, QueryDict(query)).size()
    back = reverse(found.back)
    filters = QueryDict(query, mutable=True)
    filters.pop("format", None)
    return render(
        request,
        "downloads/download_new.html",
        {
            "kind": found,
            "rows": rows,
            "threshold": settings.EXPORT_BACKGROUND_ROWS,
            "query": query,
            "back": f"{back}?{filters.urlencode()}" if filters else back,
        },
    )


@login_required
def download_list(request):
    page = Paginator(Download.objects.filter(user=request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "downloads/download_list.html", {"page": page, "retention": settings.DOWNLOAD_RETENTION_DAYS}
    )


@login_required
def download_file(request, pk):
    download = Download.objects.filter(pk=pk, user=request.user, status=Status.DONE).first()
    path = services.download_path(download) if download is not None and download.file_name else None
    if path is None or not path.is_file():
        raise Http404("文件不存在或已过保留期")
    services.download_fetched(user=request.user, download=download)
    stamp = download.created_at.strftime("%Y%m%d-%H%M")
    return attachment(FileResponse(path.open("rb"), content_type=XLSX), f"{download.title}-{stamp}.xlsx")
