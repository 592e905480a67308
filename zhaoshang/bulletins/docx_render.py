"""The bulletin as a 公文 or a 简报 docx (core.redhead lays it out)."""

from zhaoshang.bulletins.document import Issue, bulletin_document
from zhaoshang.core.redhead import render_brief, render_gongwen


def render_docx(
    *, title: str, snapshot: dict, issue: Issue, form: str = "gongwen", columns: list[str] | None = None
) -> bytes:
    """`columns`: the annex's per-unit columns (bulletins/columns.py codes; the default set when None)."""
    document = bulletin_document(snapshot, title, issue, form, columns)
    return render_brief(document) if form == "brief" else render_gongwen(document)
