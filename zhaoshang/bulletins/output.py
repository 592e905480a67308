"""One place that turns a snapshot into each output format, for the command and the pages alike."""

import json
from datetime import date

from zhaoshang.bulletins.docx_render import render_docx
from zhaoshang.bulletins.xlsx_render import render_xlsx

ISSUER_SUFFIX = "招商引资和项目建设工作领导小组办公室"


def issuer_for(snapshot: dict) -> str:
    return f"{snapshot['unit']}{ISSUER_SUFFIX}"


def as_json(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=2)


def as_docx(snapshot: dict, title: str, issued_on: date | None, columns: list[str] | None = None) -> bytes:
    """`columns`: the annex's per-unit columns (bulletins/columns.py codes; the default set when None)."""
    return render_docx(
        title=title, snapshot=snapshot, issued_on=issued_on, issuer=issuer_for(snapshot), columns=columns
    )


def as_xlsx(snapshot: dict, title: str, columns: list[str] | None = None) -> bytes:
    return render_xlsx(title=title, snapshot=snapshot, columns=columns)
