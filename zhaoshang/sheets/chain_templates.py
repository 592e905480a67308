"""The 产业链 sheet's template: the importer's headers with a comment on each, drop-downs for 位置, 强弱, 工作方向,
链长 and 牵头单位, and the bureau's chains already filled in (one row per link, as the export writes them), so a
filled-in template re-imports as unchanged."""

from zhaoshang.chains.exports import chain_rows
from zhaoshang.chains.models import Chain, Position, Strength, Work
from zhaoshang.sheets.chain_imports import ChainsImporter
from zhaoshang.sheets.templates_xlsx import Column, Template


def chains_template(*, actor, month, year) -> Template:
    importer = ChainsImporter(actor)
    comments = {
        "产业链": "产业链名称，例如 新能源汽车；首次出现即新建，属于本单位",
        "环节": "环节名称，例如 动力电池；留空表示只建产业链",
        "位置": "上游、中游、下游；填了环节则必填",
        "强弱": "已有优势、薄弱、缺失；填了环节则必填",
        "链长": "链长的用户名，或姓名（同名时须填用户名）；留空则不改",
        "牵头单位": "本单位或下属单位的名称；留空则不改",
        "工作方向": "强链、补链、延链；可留空",
    }
    accounts = [u.display_name for u in importer.accounts]
    unique = [name for name in accounts if accounts.count(name) == 1]
    options = {
        "位置": Position.values,
        "强弱": Strength.values,
        "工作方向": Work.values,
        "链长": unique or None,
        "牵头单位": sorted(importer.units) or None,
    }
    widths = {"产业链": 16, "环节": 16, "牵头单位": 18}
    headers = ChainsImporter.headers + ChainsImporter.optional_headers
    columns = [Column(h, comments[h], widths.get(h, 12), options.get(h)) for h in headers]
    chains = Chain.objects.filter(owner=importer.owner) if importer.owner else Chain.objects.none()
    return Template("产业链", columns, list(chain_rows(chains.order_by("sort_order", "id"))))


CHAIN_TEMPLATES = {"chains": chains_template}
