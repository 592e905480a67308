"""Reading and writing the 企业类型 column: tags between separators ("|上市公司|行业龙头|"), so that "has tag X" is
one `contains` filter on every database. A sheet writes them separated by 、 or ，; the page ticks boxes."""

import re

from zhaoshang.industry.models import TAG_SEPARATOR, EnterpriseTag

# What a person may type for a tag besides its value: the label with its quotes, in either kind of quote.
ALIASES = {
    EnterpriseTag.LITTLE_GIANT.label: EnterpriseTag.LITTLE_GIANT.value,
    '专精特新"小巨人"': EnterpriseTag.LITTLE_GIANT.value,
    "专精特新「小巨人」": EnterpriseTag.LITTLE_GIANT.value,
    "小巨人": EnterpriseTag.LITTLE_GIANT.value,
}
TYPED_SEPARATORS = re.compile(r"[、，,;；/\s]+")


def join_tags(values) -> str:
    """The column's text for these tags, in the choices' order, each once ("" for none)."""
    chosen = set(values or [])
    ordered = [tag for tag in EnterpriseTag.values if tag in chosen]
    return f"{TAG_SEPARATOR}{TAG_SEPARATOR.join(ordered)}{TAG_SEPARATOR}" if ordered else ""


def split_tags(text: str) -> list[str]:
    return [tag for tag in (text or "").split(TAG_SEPARATOR) if tag]


def shown(text: str) -> str:
    """The tags as a sheet and a page write them: 上市公司、行业龙头."""
    return "、".join(split_tags(text))


def parse_typed(text: str) -> list[str]:
    """The tags typed in a cell; raises ValueError naming the first unknown one."""
    found = []
    for word in TYPED_SEPARATORS.split((text or "").strip()):
        if not word:
            continue
        tag = ALIASES.get(word, word)
        if tag not in EnterpriseTag.values:
            raise ValueError(f"“{word}”不是可选的企业类型（可选：{'、'.join(EnterpriseTag.values)}）")
        found.append(tag)
    return found


def tag_filter(tag: str) -> dict:
    """The lookup of the targets holding `tag`."""
    return {"tags__contains": f"{TAG_SEPARATOR}{tag}{TAG_SEPARATOR}"}
