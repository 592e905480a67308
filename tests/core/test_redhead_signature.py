"""The 落款 of a 公文 is placed by counting characters, and digits count half: a date with an odd number of digits
(2026年12月2日) puts the 署名 and date at half a character, which Word must still be given in whole units."""

from types import SimpleNamespace

import pytest
from docx import Document

from zhaoshang.core import redhead


@pytest.mark.parametrize("day", ["2026年12月2日", "2026年12月12日", "2026年1月5日"])
def test_the_signature_and_date_are_placed_on_any_day(day):
    document = Document()
    redhead._signature(document, SimpleNamespace(signature="示范县", date_text=day))
    name, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (name.text, date.text) == ("示范县", day)
    # the date ends two characters in from the right: its indent is the line less the date and two characters
    expected = redhead.CHAR * (redhead.CHARS_PER_LINE - 2 - redhead._width_in_chars(day))
    assert abs(date.paragraph_format.left_indent - expected) <= 635  # Word keeps indents in twips (635 EMU)
    assert name.paragraph_format.left_indent < date.paragraph_format.left_indent
