"""The demo county's 佐证材料: a few signed and started projects with their 合同, 营业执照, a 现场照片 of the latest
stage change and a 银行进账单 for the latest open month of 到位资金, written through the evidence service (checked,
audited) as the bureau. No random draws: the data seeded before it stays the same."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from zhaoshang.audit.models import Source
from zhaoshang.closing.guard import is_closed
from zhaoshang.evidence import services
from zhaoshang.projects.models import Project

PROJECTS = 4


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF (ASCII only in the page itself: no font needed), as a scanner's software would save it."""
    text = f"BT /F1 18 Tf 40 150 Td ({title}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 420 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(text) + text + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj" % number + body + b"endobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start))
    return out.getvalue()


def _site_photo() -> bytes:
    image = Image.new("RGB", (800, 450), (120, 170, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 800, 450), fill=(150, 120, 80))
    draw.rectangle((120, 160, 420, 330), fill=(210, 210, 200))
    draw.rectangle((470, 90, 500, 330), fill=(230, 170, 40))
    draw.line((485, 90, 700, 90), fill=(230, 170, 40), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def seed_evidence(bureau) -> dict:
    chosen = list(
        Project.objects.filter(stage__in=["开工", "投产"], signed_on__isnull=False)
        .select_related("responsible_unit")
        .order_by("code")[:PROJECTS]
    )
    photo = _site_photo()
    count = 0
    for project in chosen:
        attach = dict(actor=bureau, project=project, source=Source.COMMAND)
        services.attach(kind="contract", upload=_upload("投资合同.pdf", pdf_bytes("Investment Contract")), **attach)
        services.attach(kind="licence", upload=_upload("营业执照.pdf", pdf_bytes("Business Licence")), **attach)
        latest = project.stage_changes.order_by("-changed_on", "-id").first()
        if latest is not None and not is_closed(latest.changed_on, project.responsible_unit):
            services.attach(kind="site_photo", upload=_upload("施工现场.png", photo), stage_change=latest, **attach)
            count += 1
        month = project.monthlyfunds_set.order_by("-month").values_list("month", flat=True).first()
        if month is not None and not is_closed(month, project.responsible_unit):
            receipt = _upload(f"银行进账单-{month:%Y%m}.pdf", pdf_bytes(f"Bank Receipt {month:%Y-%m}"))
            services.attach(kind="bank_slip", upload=receipt, funds_month=month, note="到账凭证", **attach)
            count += 1
        count += 2
    return {"evidence_files": count}
