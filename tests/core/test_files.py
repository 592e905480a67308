"""core.files, the one xlsx writer: the escaping it writes, the importer undoes."""

from zhaoshang.core.files import safe_text, unescaped


def test_an_escaped_text_reads_back_as_it_was_written():
    for text in ("=SUM(A1)", "-甲", "+1", "@x", "\tx", "'=x", "''-x", "'abc", "abc", "'", ""):
        assert unescaped(safe_text(text)) == text, text
