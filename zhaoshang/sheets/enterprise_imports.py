"""The 目标企业 sheet (enterprises): a county's target-enterprise list, one enterprise a row, through the library's
own service (industry.services.target_save): the same scope, checks, duplicate rule and audit as the page.

All or nothing, like every record sheet. A row is checked against the rows above it and against the library by the
library's duplicate rule (industry/rules.py): two rows of one enterprise are refused with both row numbers; a row of
an enterprise another unit already holds is refused with the service's message. A row of a target the row's own
责任单位 already holds updates it, so the list's export, edited and imported again, changes what was edited and
leaves the rest "unchanged"."""

from zhaoshang.audit.models import Source
from zhaoshang.chains.models import Chain
from zhaoshang.core.creditcode import credit_code_error, normalize_credit_code
from zhaoshang.industry import rules
from zhaoshang.industry import services as library
from zhaoshang.industry.exports import HEADERS, chain_text
from zhaoshang.industry.models import ContactStatus, EnterpriseTag
from zhaoshang.industry.tags import join_tags, parse_typed
from zhaoshang.org.departments import home_county
from zhaoshang.org.scoping import editable_unit_ids
from zhaoshang.sheets.record_imports import editable_units, is_command, refusal_unless, unit_in_scope
from zhaoshang.sheets.row_import import CREATED, UNCHANGED, UPDATED, RowImporter
from zhaoshang.sheets.templates_xlsx import Column, Template

CHAIN_SEPARATORS = ("/", "／")


class EnterprisesImporter(RowImporter):
    kind = "enterprises"
    headers = HEADERS
    key_column = "企业名称"
    columns = {
        "name": "企业名称",
        "credit_code": "统一社会信用代码",
        "headquarters": "总部所在地",
        "tags": "企业类型",
        "chain": "产业链",
        "link": "产业链",
        "main_products": "主营产品",
        "contact_person": "联系人",
        "contact_phone": "联系电话",
        "unit": "责任单位",
        "status": "对接状态",
    }

    refusal = refusal_unless(editable_unit_ids, "您的角色不能导入目标企业")

    def __init__(self, actor):
        super().__init__(actor)
        self.scope = editable_units(actor)
        self.counties: dict[int, int] = {}  # unit id → its county's id
        self.chains: dict[int, dict[str, Chain]] = {}  # county id → the chains its units may use, by name
        self.seen: list[tuple[int, int, str, str]] = []  # (row, county id, name, code) of the rows above

    def _county_id(self, unit) -> int:
        if unit.pk not in self.counties:
            self.counties[unit.pk] = home_county(unit).pk
        return self.counties[unit.pk]

    def _chain(self, row, unit):
        """(chain, link) from the 产业链 cell: a chain's name, or 链/环节; among the chains the unit may use."""
        text = row.get("产业链")
        if not text or unit is None:
            return None, None
        if unit.pk not in self.chains:
            usable = Chain.objects.usable_for(unit).prefetch_related("links")
            self.chains[unit.pk] = {chain.name: chain for chain in usable}
        for separator in CHAIN_SEPARATORS:
            text = text.replace(separator, "/")
        name, _, link_name = (part.strip() for part in text.partition("/"))
        chain = self.chains[unit.pk].get(name)
        if chain is None:
            row.error("产业链", f"没有{unit.name}可选的产业链“{name}”")
            return None, None
        if not link_name:
            return chain, None
        link = next((link for link in chain.links.all() if link.name == link_name), None)
        if link is None:
            row.error("产业链", f"产业链“{name}”没有环节“{link_name}”")
        return chain, link

    def _code(self, row) -> str:
        code = normalize_credit_code(row.get("统一社会信用代码") or "")
        if code and credit_code_error(code):
            row.error("统一社会信用代码", f"统一社会信用代码{credit_code_error(code)}")
        return code

    def _check_rows_above(self, row, county_id, name, code) -> None:
        for number, county, other_name, other_code in self.seen:
            if county != county_id:
                continue
            if code and code == other_code:
                row.error("统一社会信用代码", f"与第{number}行是同一企业（统一社会信用代码相同）")
                return
            if name == other_name and not (code and other_code):
                row.error("企业名称", f"与第{number}行是同一企业（名称相同）")
                return

    def parse(self, row):
        unit = unit_in_scope(row, "责任单位", row.get("责任单位", required=True), self.scope)
        name = rules.canonical_name(row.get("企业名称", required=True) or "")
        code = self._code(row)
        try:
            tags = parse_typed(row.get("企业类型") or "")
        except ValueError as exc:
            row.error("企业类型", str(exc))
            tags = []
        chain, link = self._chain(row, unit)
        status = row.choice("对接状态", ContactStatus.values)
        if unit is not None and name:
            county_id = self._county_id(unit)
            self._check_rows_above(row, county_id, name, code)
            self.seen.append((row.number, county_id, name, code))
        values = {
            "unit": unit,
            "name": name,
            "credit_code": code,
            "headquarters": row.get("总部所在地") or "",
            "tags": join_tags(tags),
            "chain": chain,
            "link": link,
            "main_products": row.get("主营产品") or "",
            "contact_person": row.get("联系人") or "",
            "contact_phone": row.get("联系电话") or "",
        }
        if status:
            values["status"] = status  # blank: 未接触 for a new one, as it was for one already held
        return values

    def key(self, item):
        return None  # two rows of one enterprise are found by the library's rule in parse(), not by one key

    def apply(self, item):
        unit = item["unit"]
        existing = rules.find_duplicate(self._county_id(unit), item["name"], item["credit_code"])
        if existing is None or existing.unit_id != unit.pk:
            # new, or held by another unit: the service refuses the duplicate in its own words
            library.target_save(actor=self.actor, values=item, source=Source.IMPORT)
            return CREATED
        before = library.snapshot(existing)
        saved = library.target_save(actor=self.actor, target=existing, values=item, source=Source.IMPORT)
        return UNCHANGED if library.snapshot(saved) == before else UPDATED


def enterprises_template(*, actor, month, year) -> Template:
    tags = "、".join(EnterpriseTag.values)
    comments = {
        "企业名称": "企业全称（必填）；同一县区内名称相同且一方未填信用代码即视为同一企业",
        "统一社会信用代码": "18位，可留空；填写则校验",
        "总部所在地": "城市，例如 深圳市",
        "企业类型": f"可填多个，用顿号或逗号分隔：{tags}",
        "产业链": "产业链名称，或“产业链/环节”，例如 新能源/电池材料；可留空",
        "主营产品": "可留空",
        "联系人": "可留空",
        "联系电话": "可留空",
        "责任单位": "负责对接的单位（乡镇、园区、部门、招商小分队），您可填报的单位之一",
        "对接状态": "未接触、已接触、有意向、已签约之一；留空为未接触（已录入的保持不变）",
    }
    chains = Chain.objects.filter(is_active=True).prefetch_related("links")
    if not is_command(actor):
        chains = chains.visible_to(actor)
    chain_options = []
    for chain in chains:
        chain_options.append(chain.name)
        chain_options += [chain_text(chain.name, link.name) for link in chain.links.all()]
    units = sorted(editable_units(actor).values(), key=lambda unit: unit.path)
    options = {
        "责任单位": [unit.name for unit in units] or None,
        "对接状态": ContactStatus.values,
        "产业链": chain_options or None,
    }
    widths = {"企业名称": 30, "统一社会信用代码": 22, "企业类型": 24, "产业链": 20, "主营产品": 24, "责任单位": 18}
    # the importer's own headers, in its order, so the template and the importer cannot drift apart
    return Template("目标企业", [Column(h, comments[h], widths.get(h, 13), options.get(h)) for h in HEADERS])
