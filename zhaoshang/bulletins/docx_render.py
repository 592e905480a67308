"""The bulletin as a 公文 docx (core.gongwen draws it)."""

from datetime import date

from zhaoshang.bulletins.tables import bulletin_tables
from zhaoshang.core.gongwen import render_document


def render_docx(
    *, title: str, snapshot: dict, issued_on: date | None, issuer: str, columns: list[str] | None = None
) -> bytes:
    when = f"{issued_on.year}年{issued_on.month}月{issued_on.day}日" if issued_on else "（草稿，未印发）"
    return render_document(
        title=title,
        byline=f"{issuer}　{when}",
        paragraphs=snapshot["text"].split("\n"),
        tables=bulletin_tables(snapshot, columns),
        draft=issued_on is None,
    )
