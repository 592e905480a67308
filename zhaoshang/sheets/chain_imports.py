"""The 产业链 sheet (`chains`): one row per link — 产业链, 环节, 位置, 强弱, 链长, 牵头单位, and optionally 工作方向 —
laid out for the importing bureau's unit. A chain named for the first time is created; a known one (same name,
same owner) gets its links added or updated by name. 链长 is an account's 用户名, or its 姓名 when only one
account of the unit's subtree has it; 牵头单位 a unit of that subtree. A row with the 环节 blank names the chain
alone (a chain without links yet). A blank 链长 or 牵头单位 keeps what the chain has."""

from django.core.exceptions import PermissionDenied

from zhaoshang.audit.models import Source
from zhaoshang.chains import services as chain_services
from zhaoshang.chains.exports import CHAIN_HEADERS, CHAIN_OPTIONAL_HEADERS
from zhaoshang.chains.models import Chain, Position, Strength, Work
from zhaoshang.org.ownership import managing_unit
from zhaoshang.sheets.record_imports import is_command
from zhaoshang.sheets.row_import import CREATED, UNCHANGED, UPDATED, RowImporter


def _may_import(actor) -> str | None:
    if is_command(actor) or managing_unit(actor) is not None:
        return None
    return "只有主管部门管理员可以导入产业链"


class ChainsImporter(RowImporter):
    kind = "chains"
    headers = CHAIN_HEADERS
    optional_headers = CHAIN_OPTIONAL_HEADERS
    key_column = "产业链"
    columns = {
        "name": "环节",
        "position": "位置",
        "strength": "强弱",
        "work": "工作方向",
        "leader": "链长",
        "lead_unit": "牵头单位",
        "__all__": "产业链",
    }
    refusal = staticmethod(_may_import)

    def __init__(self, actor):
        super().__init__(actor)
        self.owner = managing_unit(actor)
        self.units = {u.name: u for u in chain_services.lead_unit_choices(self.owner)} if self.owner else {}
        self.accounts = list(chain_services.leader_choices(self.owner)) if self.owner else []
        self.chain_rows: dict[str, tuple[int, object, object]] = {}  # name → (first row, leader, lead unit)

    def _leader(self, row, text):
        by_username = [u for u in self.accounts if u.username.lower() == text.lower()]
        if by_username:
            return by_username[0]
        named = [u for u in self.accounts if u.full_name == text]
        if len(named) == 1:
            return named[0]
        if named:
            row.error("链长", f"本单位有 {len(named)} 个姓名为“{text}”的账号，请填写用户名")
        else:
            row.error("链长", f"没有用户名或姓名为“{text}”的本单位账号")
        return None

    def parse(self, row):
        chain_name = row.get("产业链", required=True)
        if chain_name and ("/" in chain_name or "／" in chain_name):
            row.error("产业链", "产业链名称不能含“/”；环节请填在“环节”列")
        elif chain_name and len(chain_name) > 50:
            row.error("产业链", "产业链名称不能超过50个字")
        link_name = row.get("环节")
        needed = link_name is not None
        position = row.choice("位置", Position.values, required=needed)
        strength = row.choice("强弱", Strength.values, required=needed)
        # 工作方向 is optional as a column: without it a link keeps its own; with it, a blank cell clears it.
        work = (row.choice("工作方向", Work.values) or "") if "工作方向" in row.values else None
        leader_text = row.get("链长")
        leader = self._leader(row, leader_text) if leader_text else None
        unit_name = row.get("牵头单位")
        lead_unit = self.units.get(unit_name) if unit_name else None
        if unit_name and lead_unit is None:
            row.error("牵头单位", f"“{unit_name}”不是本单位或下属单位")
        if chain_name:
            self._same_chain(row, chain_name, leader, lead_unit)
        return {
            "chain": chain_name,
            "link": link_name,
            "position": position,
            "strength": strength,
            "work": work,
            "leader": leader,
            "lead_unit": lead_unit,
        }

    def _same_chain(self, row, name, leader, lead_unit):
        """A chain's 链长 and 牵头单位 are the chain's: rows of one chain may leave them blank but not differ."""
        first = self.chain_rows.get(name)
        if first is None:
            self.chain_rows[name] = (row.number, leader, lead_unit)
            return
        number, first_leader, first_unit = first
        if leader and first_leader and leader != first_leader:
            row.error("链长", f"与第{number}行同一产业链的链长不一致")
        if lead_unit and first_unit and lead_unit != first_unit:
            row.error("牵头单位", f"与第{number}行同一产业链的牵头单位不一致")
        self.chain_rows[name] = (number, first_leader or leader, first_unit or lead_unit)

    def key(self, item):
        return (item["chain"], item["link"] or "")

    def apply(self, item):
        if self.owner is None:
            raise PermissionDenied("只有主管部门管理员可以导入产业链")
        chain = Chain.objects.filter(owner=self.owner, name=item["chain"]).first()
        values = {k: item[k] for k in ("leader", "lead_unit") if item[k] is not None}
        outcome = UNCHANGED
        if chain is None:
            chain = chain_services.chain_create(
                actor=self.actor, owner=self.owner, values={"name": item["chain"], **values}, source=Source.IMPORT
            )
            outcome = CREATED
        elif values and chain_services.chain_update(actor=self.actor, chain=chain, values=values, source=Source.IMPORT):
            outcome = UPDATED
        if item["link"] is None:
            return outcome
        link = chain.links.filter(name=item["link"]).first()
        link_values = {"name": item["link"], "position": item["position"], "strength": item["strength"]}
        if item["work"] is not None:
            link_values["work"] = item["work"]
        _, changes = chain_services.link_save(
            actor=self.actor, chain=chain, link=link, values=link_values, source=Source.IMPORT
        )
        if link is None:
            return CREATED
        return UPDATED if changes else outcome


CHAIN_IMPORTERS = {ChainsImporter.kind: ChainsImporter}
