"""The library as xlsx: what the list shows for its filters, every page of it, in the 目标企业 sheet's own
columns, so an export edited and imported again updates the same targets. Text is escaped by core.files (a name or
a note starting with = + - @ stays text)."""

from zhaoshang.core.files import Export
from zhaoshang.industry.forms import TargetFilterForm
from zhaoshang.industry.models import TargetEnterprise
from zhaoshang.industry.tags import shown

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "总部所在地",
    "企业类型",
    "产业链",
    "主营产品",
    "联系人",
    "联系电话",
    "责任单位",
    "对接状态",
]
CHUNK = 2000


def chain_text(chain: str | None, link: str | None) -> str:
    """The 产业链 cell: the chain's name, or 链/环节."""
    if not chain:
        return ""
    return f"{chain}/{link}" if link else chain


def target_rows(targets):
    fields = (
        "name",
        "credit_code",
        "headquarters",
        "tags",
        "chain__name",
        "link__name",
        "main_products",
        "contact_person",
        "contact_phone",
        "unit__name",
        "status",
    )
    for row in targets.values_list(*fields).iterator(chunk_size=CHUNK):
        name, code, hq, tags, chain, link, products, person, phone, unit, status = row
        yield [name, code, hq, shown(tags), chain_text(chain, link), products, person, phone, unit, status]


def chosen_targets(user, params):
    form = TargetFilterForm(params or None, user=user)
    return form.apply(TargetEnterprise.objects.readable_by(user))


def targets_export(user, params) -> Export:
    targets = chosen_targets(user, params).order_by("unit__path", "name", "pk")
    return Export("目标企业库.xlsx", [("目标企业", HEADERS, target_rows(targets))], targets.count)
