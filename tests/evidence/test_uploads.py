"""What an uploaded document must be (core/uploads.py), judged by its real bytes: each refused kind of file with its
Chinese reason, the photo's EXIF and GPS gone (its orientation applied first), names cleaned, the size cap."""

import io
import os
import time
import zipfile

import pytest
from PIL import Image

from tests.evidence import helpers as h
from zhaoshang.core import uploads
from zhaoshang.core.errors import Refused
from zhaoshang.core.files import DOCX, XLSX

MB = 1024 * 1024
CAP = 20 * MB


def refusal(name, data, cap=CAP) -> str:
    with pytest.raises(Refused) as caught:
        uploads.check_document(name, data, max_bytes=cap)
    (message,) = caught.value.messages
    return message


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("合同.pdf", h.PDF, "application/pdf"),
        ("执照.PNG", h.png(), "image/png"),
        ("现场.jpeg", h.jpeg_with_gps(), "image/jpeg"),
        ("施工合同.docx", h.docx(), DOCX),
        ("进账单.xlsx", h.xlsx(), XLSX),
    ],
)
def test_it_takes_the_five_kinds_by_their_content(name, data, content_type):
    checked = uploads.check_document(name, data, max_bytes=CAP)
    assert checked.content_type == content_type
    if content_type == "application/pdf" or content_type in (DOCX, XLSX):
        assert checked.data == data  # documents are stored as they came
    assert checked.extension == {"jpeg": "jpg"}.get(name.rsplit(".")[-1].lower(), name.rsplit(".")[-1].lower())


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("材料.zip", h.plain_zip(), "只能上传 PDF、JPG、PNG"),
        ("材料.pdf", h.plain_zip(), "不能上传压缩包"),
        ("材料.rar", h.RAR, "压缩包（RAR）"),
        ("材料.pdf", h.SEVEN_Z, "压缩包（7z）"),
        ("材料.pdf", h.GZ, "压缩包（gz）"),
        ("setup.exe", h.EXE, "不能上传可执行程序"),
        ("合同.pdf", h.EXE, "不能上传可执行程序"),
        ("照片.jpg", h.ELF, "不能上传可执行程序"),
        ("run.pdf", b"#!/bin/sh\nrm -rf /\n", "不能上传脚本文件"),
        ("页面.pdf", h.HTML, "不能上传网页或 SVG 文件"),
        ("page.html", h.HTML, "不能上传网页或 SVG 文件"),
        ("图.png", h.SVG, "不能上传网页或 SVG 文件"),
        ("合同.jpg", h.PDF, "文件名为 .jpg，但文件内容是PDF"),
        ("合同.xlsx", h.docx(), "文件名为 .xlsx，但文件内容是Word 文档（.docx）"),
        ("表.xlsm", h.xlsm(), "不能上传含宏的 Office 文件"),
        ("表.xlsx", h.xlsm(), "不能上传含宏的 Office 文件"),
        ("合同.pdf", b"just some text", "文件内容不是PDF"),
        ("合同.txt", b"just some text", "扩展名为 txt"),
        ("合同.pdf", b"", "文件是空的"),
    ],
)
def test_it_refuses_what_is_not_a_plain_document_saying_why(name, data, words):
    assert words in refusal(name, data)


def test_it_refuses_a_zip_bomb_dressed_as_a_docx_quickly():
    bomb = h.bomb_docx()  # 300 MB of zeros in a 0.3 MB docx
    assert len(bomb) < MB
    started = time.monotonic()
    assert "疑似压缩炸弹" in refusal("合同.docx", bomb)
    assert time.monotonic() - started < 2


def test_it_states_the_cap_when_a_file_is_too_large():
    message = refusal("合同.pdf", h.PDF + b"0" * (2 * MB), cap=2 * MB)
    assert message == "文件不能超过 2 MB（本文件 2.0 MB），请压缩或拆分后再上传"


def test_it_strips_a_photos_exif_and_gps_and_keeps_it_upright():
    original = h.jpeg_with_gps(size=(40, 20), orientation=6)  # taken sideways: shown turned 90°
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(h.GPS_IFD)  # the GPS position is there to start with
    checked = uploads.check_document("现场.jpg", original, max_bytes=CAP)
    with Image.open(io.BytesIO(checked.data)) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {}
        assert "exif" not in after.info
        assert after.size == (20, 40)  # the orientation applied, then dropped
    assert b"PhoneMaker" not in checked.data


def test_it_refuses_a_broken_image():
    assert "不是可识别的 JPG 或 PNG 图片" in refusal("照片.png", h.png()[:40])


@pytest.mark.parametrize(
    "given, cleaned",
    [
        ("C:\\Users\\张三\\Desktop\\合同.pdf", "合同.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("合\x00同\x1b[31m\u202e.pdf", "合同[31m.pdf"),
        ("...隐藏.pdf", "隐藏.pdf"),
        ("/", "文件"),
        ("长" * 300 + ".docx", "长" * 95 + ".docx"),
    ],
)
def test_it_cleans_the_uploaders_file_name(given, cleaned):
    assert uploads.clean_name(given) == cleaned


def test_it_refuses_a_docx_whose_parts_together_unpack_too_far():
    """No one part a bomb (each about 45× its packed size), but 120 MB in all."""
    source = zipfile.ZipFile(io.BytesIO(h.docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            package.writestr(info, source.read(info.filename))
        for n in range(120):
            package.writestr(f"word/media/part{n}.bin", os.urandom(20_000) + b"\0" * 1_028_576)
    assert "疑似压缩炸弹" in refusal("报告.docx", out.getvalue())
