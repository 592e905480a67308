"""The bulletin as a county office issues it (GB/T 9704-2012), read back from the Word file: the 版头 with the
issuing office's 发文字号, 主送机关, the closing 工作要求, 附件说明, the 落款 with its date in Chinese, the 版记;
its annex tables repeat their header row on every page and never split a row; the 简报 form of the same bulletin;
and its PDF where LibreOffice is installed (every page has text: no blank page)."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from zhaoshang.bulletins import services
from zhaoshang.core.periods import add_months, current_month, format_month

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
HAS_LIBREOFFICE = shutil.which("soffice") is not None and shutil.which("pdftoppm") is not None

OFFICE = {
    "issuer": "测试县招商引资工作领导小组办公室",
    "mark": "",
    "number_prefix": "测招商",
    "addressee": "各乡镇人民政府，县直各有关单位",
    "copy_to": "县委办公室，县政府办公室",
    "printer": "测试县招商引资工作领导小组办公室",
    "brief_name": "招商引资工作简报",
}


def issued(county, **kwargs):
    services.office_save(actor=county.bureau, unit=county.root, values=OFFICE)
    return services.bulletin_issue(actor=county.bureau, unit=county.root, month=LAST, **kwargs)


def download(client_for, county, bulletin, **params):
    response = client_for(county.leader).get(reverse("bulletin_issued", args=[bulletin.pk]), params)
    assert response.status_code == 200, response.status_code
    return response


def texts(document):
    return [p.text for p in document.paragraphs]


def chinese_day(moment):
    day = timezone.localdate(moment)
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_issued_docx_has_every_part_of_a_gongwen(county, client_for):
    bulletin = issued(county, requirements="各单位要对照目标任务，倒排工期。\n投资促进中心要加强调度。")
    year = timezone.localdate(bulletin.issued_at).year
    assert bulletin.doc_number == f"测招商〔{year}〕1号"
    document = Document(io.BytesIO(download(client_for, county, bulletin, format="docx").content))
    lines = texts(document)
    mark = document.paragraphs[0]
    assert mark.text == "测试县招商引资工作领导小组办公室文件"
    assert str(mark.runs[0].font.color.rgb) == "E60012"  # 红头
    assert f"测招商〔{year}〕1号" in lines  # 发文字号, centred under the 版头
    number = document.paragraphs[lines.index(f"测招商〔{year}〕1号")]
    assert 'w:color="E60012"' in number._p.xml  # the red separator under it
    assert "各乡镇人民政府，县直各有关单位：" in lines  # 主送机关 with its colon
    assert "一、总体情况" in lines and "三、工作要求" in lines
    assert "各单位要对照目标任务，倒排工期。" in lines and "投资促进中心要加强调度。" in lines
    assert any(line.startswith("附件：") and line.endswith("统计表") for line in lines)
    day = chinese_day(bulletin.issued_at)
    signature = lines.index("测试县招商引资工作领导小组办公室")
    assert lines[signature + 1] == day  # 成文日期 under the 署名, 2026年12月2日 with no leading zeros
    record = document.tables[-1]  # 版记
    cells = [cell.text for row in record.rows for cell in row.cells]
    assert "抄送：县委办公室，县政府办公室。" in cells and f"{day}印发" in cells


def test_the_annex_tables_repeat_their_header_and_never_split_a_row(county, client_for):
    bulletin = issued(county)
    document = Document(io.BytesIO(download(client_for, county, bulletin, format="docx").content))
    annex = [t for t in document.tables[:-1] if len(t.rows) > 1]
    assert annex, "the annex has its tables"
    for table in annex:
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(row.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for row in rows)
        assert all(row.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for row in rows[1:])
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"  # names wrap, number columns keep width


def test_the_brief_form_of_the_same_bulletin(county, client_for):
    bulletin = issued(county)
    response = download(client_for, county, bulletin, format="docx", form="brief")
    assert "%EF%BC%88%E7%AE%80%E6%8A%A5%EF%BC%89.docx" in response["Content-Disposition"]  # （简报）.docx
    lines = texts(Document(io.BytesIO(response.content)))
    assert lines[0] == "招商引资工作简报" and "第1期" in lines
    assert f"测试县招商引资工作领导小组办公室\t{chinese_day(bulletin.issued_at)}" in lines


def test_a_draft_says_it_has_no_number_yet(county, client_for):
    response = client_for(county.bureau).get(reverse("bulletin_draft"), {"month": format_month(LAST), "format": "docx"})
    lines = texts(Document(io.BytesIO(response.content)))
    assert "（草稿，印发时编号）" in lines


def test_without_libreoffice_the_page_says_so_and_offers_the_word_file(county, client_for, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a server with no soffice on its path
    client = client_for(county.leader)
    page = client.get(reverse("bulletin_draft"), {"month": format_month(LAST)}).content.decode()
    assert "本服务器未安装 LibreOffice" in page and "format=docx" in page and "format=pdf" not in page
    response = client.get(reverse("bulletin_draft"), {"month": format_month(LAST), "format": "pdf"}, follow=True)
    assert response.status_code == 200
    assert "不能生成 PDF；请下载 Word 版本" in response.content.decode()


@pytest.mark.skipif(not HAS_LIBREOFFICE, reason="LibreOffice (soffice) and poppler-utils are not installed here")
@pytest.mark.parametrize("form", ["gongwen", "brief"])
def test_the_pdf_has_pages_and_none_of_them_is_blank(county, client_for, tmp_path, form):
    bulletin = issued(county, requirements="各单位要加快项目建设进度。")
    response = download(client_for, county, bulletin, format="pdf", form=form)
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages > 1
    for page in range(1, pages + 1):
        words = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert words.replace("—", "").strip(" \n\x0c0123456789"), f"page {page} of {pages} is blank"
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert ("测招商〔" in first) if form == "gongwen" else ("第1期" in first)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages


def test_a_unit_outside_every_group_is_left_out_of_the_red_and_black_lists(county, client_for):
    """The bureau's own office has no 考核组 (不参与考核): never ranked nor listed. The lists' section named each
    group of the snapshot's units, and such a unit's group None became the lead "（四）None。"."""
    from tests.factories import make_unit
    from zhaoshang.org.models import UnitKind

    make_unit("县招商局办公室", UnitKind.DEPARTMENT, parent=county.root)
    document = Document(io.BytesIO(download(client_for, county, issued(county), format="docx").content))
    lines = texts(document)
    assert not [line for line in lines if "None" in line]
    leads = [line for line in lines if "列入红榜" in line or "无单位列入红榜" in line]
    assert leads and all("县招商局办公室" not in line for line in leads)
