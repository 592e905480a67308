"""One place that turns a snapshot into each output format, for the command and the pages alike."""

import json

from zhaoshang.bulletins.document import Issue
from zhaoshang.bulletins.docx_render import render_docx
from zhaoshang.bulletins.office import ISSUER_SUFFIX
from zhaoshang.bulletins.xlsx_render import render_xlsx


def issuer_for(snapshot: dict) -> str:
    return f"{snapshot['unit']}{ISSUER_SUFFIX}"


def as_json(snapshot: dict) -> str:
    return json.dumps(snapshot, ensure_ascii=False, indent=2)


def as_docx(snapshot: dict, title: str, issue: Issue, form: str = "gongwen", columns: list[str] | None = None) -> bytes:
    """`columns`: the annex's per-unit columns (bulletins/columns.py codes; the default set when None)."""
    return render_docx(title=title, snapshot=snapshot, issue=issue, form=form, columns=columns)


def as_xlsx(snapshot: dict, title: str, columns: list[str] | None = None, full: dict | None = None) -> bytes:
    """The Excel 附表, with every list whole: `full` the lists the snapshot holds only the worst N of
    (services.full_lists; Bulletin.annex_rows)."""
    return render_xlsx(title=title, snapshot={**snapshot, **(full or {})}, columns=columns)
