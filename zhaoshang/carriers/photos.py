"""A carrier's photos: what an upload must be, and how it is stored.

An upload is taken only when Pillow reads it, by its content, as a JPEG or PNG no larger than
CARRIER_PHOTO_MAX_BYTES (a PNG named .jpg is fine: the name says nothing; a text file named .jpg is refused). It is
then re-encoded — turned upright by its EXIF orientation, at most MAX_SIDE pixels on its longer side — and saved
without any metadata (a phone's photo carries the GPS position where it was taken, and the camera's serial). The
stored name is made here (random, with the format's extension): the uploader's file name is never a path. The
files live in Django's default storage (MEDIA_ROOT, inside the var directory) and are served only by the carriers'
photo view, after the reader's scope is checked."""

import secrets
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from PIL import Image, UnidentifiedImageError

from zhaoshang.core import uploads

FORMATS = {"JPEG": "jpg", "PNG": "png"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
MAX_SIDE = 2560
MAX_PIXELS = 60_000_000  # a forged header claiming a huge image (a decompression bomb) is refused before decoding


def max_bytes() -> int:
    return settings.CARRIER_PHOTO_MAX_BYTES


def max_count() -> int:
    return settings.CARRIER_PHOTO_MAX_COUNT


def _refuse(message: str) -> ValidationError:
    return ValidationError({"image": message})


def clean_image(upload) -> ContentFile:
    """The upload re-encoded as a new file (named here), or a refusal saying why in Chinese."""
    if upload is None:
        raise _refuse("请选择要上传的照片")
    limit = max_bytes()
    if upload.size > limit:
        raise _refuse(
            f"照片不能超过 {limit // (1024 * 1024)} MB（本张 {upload.size / 1024 / 1024:.1f} MB），请压缩后再上传"
        )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = "JPEG" if probe.format == "MPO" else probe.format  # a phone's JPEG with a depth/HDR map in it
            width, height = probe.size
        if kind not in FORMATS:
            raise _refuse(f"只能上传 JPG 或 PNG 格式的照片（本文件为 {kind or '未知'} 格式）")
        if width * height > MAX_PIXELS:
            raise _refuse("照片像素过大，请缩小后再上传")
        with Image.open(BytesIO(data)) as image:
            image.load()
            return _reencoded(image, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse("文件不是可识别的 JPG 或 PNG 图片，请重新选择") from None


def _reencoded(image: Image.Image, kind: str) -> ContentFile:
    # core/uploads.py re-encodes every uploaded image the same way (the evidence files too)
    return ContentFile(uploads.reencode_opened(image, kind, MAX_SIDE), name=f"{secrets.token_hex(12)}.{FORMATS[kind]}")


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def photo_response(name: str) -> FileResponse:
    """A stored photo as the answer to one of its readers (the view has checked the scope): kept in the browser's
    private cache, never a shared one."""
    if not default_storage.exists(name):
        raise Http404("照片文件不存在")
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type(name))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


def delete_files(names) -> None:
    """Remove stored files (after their rows are gone); one already missing is no error."""
    for name in names:
        if name:
            default_storage.delete(name)
