"""What an uploaded document really is, judged by its bytes, never by its name or the browser's content type.

Taken: PDF, JPEG, PNG, and Word/Excel files that are real OOXML packages of their kind (a zip holding
`[Content_Types].xml` and the main part `word/document.xml` or `xl/workbook.xml`, no macros, not a zip bomb).
Refused with the reason in Chinese: any other archive (zip, rar, 7z, gz), an executable or a script, HTML and SVG
(a browser would run them), and a file whose content is not the type its name says (a PDF named .jpg). Images are
re-encoded by Pillow (`reencode_image`): turned upright by their EXIF orientation and saved without any metadata,
so a phone photo's GPS position is not kept. Names are cleaned (`clean_name`): no path, no control characters,
short enough, the extension kept. Knows no business: the evidence app and the carriers' photos call these."""

import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO
from xml.etree import ElementTree

from PIL import Image, ImageOps, UnidentifiedImageError

from zhaoshang.core.errors import Refused
from zhaoshang.core.files import DOCX, XLSX

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
# The extensions taken, and the content type each one's bytes must prove.
TYPES = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "docx": DOCX, "xlsx": XLSX}
ACCEPTED_TEXT = "PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）"
# Each OOXML kind's main part and the content type `[Content_Types].xml` gives it (a macro-enabled file's is
# different: .docm is "…document.macroEnabled.main+xml").
OOXML_MAIN = {
    DOCX: ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
# Zip bombs: a package's parts may together unpack to at most this, and no part may be more than RATIO times its
# compressed size (a real document's XML compresses 5–20×; a bomb a thousandfold).
ZIP_MAX_UNPACKED = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_PARTS = 5000
IMAGE_MAX_SIDE = 2560
IMAGE_MAX_PIXELS = 60_000_000  # a forged header claiming a huge image is refused before decoding
# A PNG is decoded whole (a JPEG is decoded shrunk, see reencode_image), four bytes a pixel unless grey or
# palette, and resizing one with transparency copies it once more: a flat 250 KB PNG of 60 megapixels took 780 MB.
# Its decoded size is capped (an RGB or RGBA PNG up to about 33 megapixels, a grey scan up to IMAGE_MAX_PIXELS).
PNG_MAX_DECODED = 128 * 1024 * 1024
NAME_MAX = 100  # characters, the extension included

# Leading bytes of what is refused outright, with the words that name it.
_REFUSED_STARTS = [
    (b"MZ", "可执行程序"),
    (b"\x7fELF", "可执行程序"),
    (b"\xfe\xed\xfa", "可执行程序"),
    (b"\xcf\xfa\xed\xfe", "可执行程序"),
    (b"\xca\xfe\xba\xbe", "可执行程序"),
    (b"#!", "脚本文件"),
    (b"Rar!", "压缩包（RAR）"),
    (b"7z\xbc\xaf\x27\x1c", "压缩包（7z）"),
    (b"\x1f\x8b", "压缩包（gz）"),
    (b"BZh", "压缩包（bz2）"),
    (b"\xfd7zXZ\x00", "压缩包（xz）"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.doc/.xls，可能含宏）"),
]
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|svg|script|\?xml|body|head|iframe)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """An upload that passed: the bytes to store (an image re-encoded), its content type and the extension."""

    data: bytes
    content_type: str
    extension: str


def refuse(message: str, field: str | None = "file") -> Refused:
    return Refused(message, field=field)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_name(name: str, *, limit: int = NAME_MAX) -> str:
    """The uploader's file name as shown and offered on download: its last path part only (a browser on Windows
    sends `C:\\…\\合同.pdf`), without control or format characters, with no leading dots, at most `limit`
    characters with the extension kept. Never a path: the stored file is named by the storage (random)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    room = limit - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(". ") or "文件"
    return f"{stem}.{ext}" if ext else stem


def check_document(name: str, data: bytes, *, max_bytes: int) -> Checked:
    """The upload `data` named `name` as it may be stored, or a Refused saying why (in Chinese)."""
    if not data:
        raise refuse("文件是空的，请重新选择")
    if len(data) > max_bytes:
        raise refuse(too_large(len(data), max_bytes))
    extension = extension_of(name)
    for start, what in _REFUSED_STARTS:
        if data.startswith(start):
            raise refuse(f"不能上传{what}，只能上传 {ACCEPTED_TEXT} 文件")
    actual = sniff(data)
    if actual is None and _MARKUP.search(data[:1024]):
        raise refuse(f"不能上传网页或 SVG 文件，只能上传 {ACCEPTED_TEXT} 文件")
    if extension in ("docm", "xlsm", "dotm", "xltm", "pptm"):
        raise refuse("不能上传含宏的 Office 文件，请另存为 .docx 或 .xlsx 后再上传")
    if extension not in TYPES:
        raise refuse(f"只能上传 {ACCEPTED_TEXT} 文件（本文件扩展名为 {extension or '无'}）")
    expected = TYPES[extension]
    if actual != expected:
        raise refuse(_mismatch(extension, actual))
    if actual in (JPEG, PNG):
        data = reencode_image(data)
    elif actual == PDF and zipfile.is_zipfile(BytesIO(data)):
        # A zip's directory sits at the end of the file: a PDF reader shows the page, an unzip tool (or Java, for a
        # .jar) finds the archive behind it. A PDF a scanner or an office suite writes is never both.
        raise refuse("不能上传：此 PDF 末尾附带了压缩包，请用原软件重新导出 PDF 后上传")
    elif actual in OOXML_MAIN:
        check_ooxml(data, actual)
    return Checked(data=data, content_type=actual, extension="jpg" if extension == "jpeg" else extension)


def sniff(data: bytes) -> str | None:
    """The content type the bytes prove (among those taken), None for anything else. A zip is DOCX or XLSX when it
    is such a package (check_ooxml says why not), else "zip"."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        names = _zip_names(data)
        for kind, (main, _) in OOXML_MAIN.items():
            if names and "[Content_Types].xml" in names and main in names:
                return kind
        return "zip"
    return None


_NAMES = {PDF: "PDF", JPEG: "JPG 图片", PNG: "PNG 图片", DOCX: "Word 文档（.docx）", XLSX: "Excel 表格（.xlsx）"}


def _mismatch(extension: str, actual: str | None) -> str:
    if actual == "zip":
        return f"不能上传压缩包：文件名为 .{extension}，内容却是压缩包；请解压后逐个上传 {ACCEPTED_TEXT} 文件"
    said = f"文件名为 .{extension}"
    if actual is None:
        return f"{said}，但文件内容不是{_NAMES[TYPES[extension]]}（文件可能已损坏或类型不符），请重新选择"
    return f"{said}，但文件内容是{_NAMES[actual]}；请改正扩展名或选择正确的文件"


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            return set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def check_ooxml(data: bytes, kind: str) -> None:
    """A Word or Excel package: its declared main part is the plain (not macro-enabled) one, it holds no VBA
    project, and it is no zip bomb (parts counted, sizes and ratios from the directory, then read to make sure)."""
    main, content_type = OOXML_MAIN[kind]
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            infos = package.infolist()
            if len(infos) > ZIP_MAX_PARTS:
                raise refuse("文件内部结构异常（部件过多），不能上传")
            total = 0
            for info in infos:
                total += info.file_size
                if total > ZIP_MAX_UNPACKED or info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1024):
                    raise refuse("文件解压后过大（疑似压缩炸弹），不能上传")
                if info.filename.lower().endswith("vbaproject.bin"):
                    raise refuse("不能上传含宏的 Office 文件，请另存为 .docx 或 .xlsx 后再上传")
            declared = package.read("[Content_Types].xml")
            if b"macroEnabled" in declared:
                raise refuse("不能上传含宏的 Office 文件，请另存为 .docx 或 .xlsx 后再上传")
            if content_type.encode() not in declared:
                raise refuse(f"文件内容不是有效的{_NAMES[kind]}，请用 Word/WPS 或 Excel 重新保存后上传")
            _read_bounded(package, infos)
            _check_reaches(package, infos)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        raise refuse(f"文件内容不是有效的{_NAMES[kind]}（文件可能已损坏），请重新保存后上传") from None
    if main not in {info.filename for info in infos}:
        raise refuse(f"文件内容不是有效的{_NAMES[kind]}，请重新保存后上传")


def _check_reaches(package: zipfile.ZipFile, infos) -> None:
    """No embedded OLE object or ActiveX control (a packaged program the reader is invited to open), and no
    relationship to outside the file but a plain hyperlink: Word and Excel fetch an external template, OLE link,
    frame or picture as the file opens (remote template injection, 2022's Follina), calling a stranger's server
    with the county PC's Windows credentials. Embedded Office files (a chart's own workbook) are kept."""
    for info in infos:
        lowered = info.filename.lower()
        if lowered.endswith(".bin") and ("/embeddings/" in lowered or "/activex/" in lowered):
            raise refuse("文件内嵌了 OLE 对象或控件，不能上传；请删除嵌入的对象，或另存为 PDF 后上传")
        if lowered.endswith(".rels") and any(not kind.endswith("/hyperlink") for kind in _external(package.read(info))):
            raise refuse("文件含有指向外部的链接（外部模板、外部对象或链接图片），不能上传；请断开外部链接后重新保存")


def _external(rels: bytes) -> list[str]:
    """The types of a relationships part's relationships that point outside the file. Parsed as XML (a regex
    would miss `&#69;xternal` or a `>` inside a value); a DTD, which no Office file has, is refused unread."""
    if b"<!doctype" in rels.lower():
        raise refuse("文件内部结构异常（含 DTD 声明），不能上传")
    try:
        root = ElementTree.fromstring(rels)
    except ElementTree.ParseError:
        raise refuse("文件内部结构异常（关系部件无法解析），请重新保存后上传") from None
    return [
        element.get("Type", "")
        for element in root.iter()
        if element.tag.endswith("Relationship") and element.get("TargetMode", "").lower() == "external"
    ]


def _read_bounded(package: zipfile.ZipFile, infos) -> None:
    """Unpack every part in blocks, stopping past the cap: the directory's sizes may lie."""
    left = ZIP_MAX_UNPACKED
    for info in infos:
        with package.open(info) as part:
            while block := part.read(1024 * 1024):
                left -= len(block)
                if left < 0:
                    raise refuse("文件解压后过大（疑似压缩炸弹），不能上传")


def reencode_image(data: bytes, *, max_side: int = IMAGE_MAX_SIDE) -> bytes:
    """A JPEG or PNG re-encoded: upright by its EXIF orientation, at most `max_side` pixels a side, without any
    metadata (EXIF with its GPS position, text chunks). Refused when Pillow cannot read it or it is too large."""
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            per_pixel = 1 if probe.mode in ("1", "L", "P") else 4  # as Pillow holds it in memory
        if kind == "MPO":  # a JPEG carrying a second picture (a phone's depth or HDR gain map): its first is kept
            kind = "JPEG"
        if kind not in ("JPEG", "PNG"):
            raise refuse(f"只能上传 JPG 或 PNG 格式的图片（本文件为 {kind or '未知'} 格式）")
        if width * height > IMAGE_MAX_PIXELS or (kind == "PNG" and width * height * per_pixel > PNG_MAX_DECODED):
            raise refuse("图片像素过大，请缩小后再上传")
        with Image.open(BytesIO(data)) as image:
            if kind == "JPEG":  # decoded at 1/2, 1/4 or 1/8 scale when that still covers max_side: a phone's
                image.draft("RGB", (max_side, max_side))  # 50-megapixel photo never lands in memory whole
            image.load()
            return reencode_opened(image, kind, max_side)
    except Image.DecompressionBombError:  # Pillow's own limit, met before ours when the header claims even more
        raise refuse("图片像素过大，请缩小后再上传") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refuse("文件不是可识别的 JPG 或 PNG 图片，请重新选择") from None


def reencode_opened(image: Image.Image, kind: str, max_side: int) -> bytes:
    """An opened (and loaded) JPEG or PNG as new bytes of that format: upright, bounded, without metadata.
    Turned and shrunk in place: a large image is not held twice (a small PNG may unpack to hundreds of MB)."""
    ImageOps.exif_transpose(image, in_place=True)  # the orientation applied; no tag is written out below
    upright = image
    upright.thumbnail((max_side, max_side))
    out = BytesIO()
    if kind == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", optimize=True)  # no pnginfo given: text chunks and EXIF are not written
    return out.getvalue()


def stored_name(extension: str) -> str:
    """A name for the stored file: random, with the type's extension (the uploader's name is never a path)."""
    return f"{secrets.token_hex(12)}.{extension}"


def too_large(size: int, max_bytes: int) -> str:
    return f"文件不能超过 {_mb(max_bytes)}（本文件 {size / 1024 / 1024:.1f} MB），请压缩或拆分后再上传"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"
