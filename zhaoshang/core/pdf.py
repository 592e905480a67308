"""Word to PDF through LibreOffice headless, where the server has it (`soffice`); where it has not, callers say
so and offer the Word file (pdf_available). Each conversion runs in its own temporary directory with its own
LibreOffice profile (two at once never share one), is killed with its children after TIMEOUT_SECONDS, and maps
the 公文 fonts (仿宋, 方正小标宋简体, 黑体, 楷体) to the Noto CJK fonts a Linux server has when the real ones are
missing."""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60
UNAVAILABLE = "本服务器未安装 LibreOffice，不能生成 PDF；请下载 Word 版本，用 WPS 或 Word 打开后另存为 PDF。"

# Each 公文 font, and the fonts that stand in for it, best first (fontconfig takes the first one installed).
FONT_STAND_INS = {
    "方正小标宋简体": ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"),
    "仿宋": ("仿宋_GB2312", "FangSong", "Noto Serif CJK SC"),
    "仿宋_GB2312": ("仿宋", "FangSong", "Noto Serif CJK SC"),
    "楷体": ("楷体_GB2312", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC"),
    "宋体": ("SimSun", "Noto Serif CJK SC"),
}


def _fontconfig() -> str:
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer>"
        + "".join(f"<family>{alt}</family>" for alt in stand_ins)
        + "</prefer></alias>"
        for name, stand_ins in FONT_STAND_INS.items()
    )
    # 小标宋 is a heavy 宋体: where it is missing, its stand-in is drawn bold.
    heavy = (
        "<match target='pattern'><test name='family'><string>方正小标宋简体</string></test>"
        "<edit name='weight' mode='assign'><const>bold</const></edit></match>"
    )
    return (
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>" + heavy + aliases + "</fontconfig>"
    )


class PdfUnavailable(Exception):
    """No PDF could be made; str() is the message users read."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice() is not None


def docx_to_pdf(content: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable(UNAVAILABLE)
    with tempfile.TemporaryDirectory(prefix="zs-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(content)
        (work / "fonts.conf").write_text(_fontconfig(), encoding="utf-8")
        env = {**os.environ, "HOME": tmp, "FONTCONFIG_FILE": str(work / "fonts.conf")}
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        # A session of its own, so that a conversion that hangs is ended with every process it started.
        process = subprocess.Popen(
            command, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfUnavailable(f"生成 PDF 超时（超过{int(timeout)}秒），请稍后重试或下载 Word 版本。") from None
        result = work / "document.pdf"
        if process.returncode != 0 or not result.exists():
            raise PdfUnavailable("生成 PDF 失败，请下载 Word 版本。")
        return result.read_bytes()
