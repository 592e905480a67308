"""The ledger's business rules, as pure functions over a project's field values (no database writes)."""

from datetime import date
from decimal import Decimal

from zhaoshang.core.money import WAN_PER_YI
from zhaoshang.core.periods import month_start
from zhaoshang.projects.models import STAGE_ORDER, FundingType, Stage

MAJOR_THRESHOLD_WAN = WAN_PER_YI  # 亿元以上: ≥ 1 亿元 = 10,000 万元
# The size bands of the 亿元以上 signings (5亿元以上, 10亿元以上), by indicator code.
SIGNING_BANDS = {"major5_signed_count": 5 * WAN_PER_YI, "major10_signed_count": 10 * WAN_PER_YI}

# Fields whose value places a project in some month's figures; changing one touches those months.
DATED_FIELDS = ("signed_on", "started_on", "production_on")
SIGNING_FIGURE_FIELDS = ("funding_type", "contract_amount")


def stage_index(stage: str) -> int:
    """Position in the forward order; 终止 has none (-1)."""
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else -1


def reached(stage: str, wanted: str) -> bool:
    return stage_index(stage) >= stage_index(wanted)


def next_stage(stage: str) -> str | None:
    index = stage_index(stage)
    if index < 0 or index + 1 >= len(STAGE_ORDER):
        return None
    return STAGE_ORDER[index + 1]


def allowed_next_stages(stage: str) -> list[str]:
    """Forward one step, or 终止 from any stage that is not already 终止."""
    if stage == Stage.DROPPED:
        return []
    following = next_stage(stage)
    return ([following] if following else []) + [Stage.DROPPED]


def consistency_errors(values: dict, *, today: date) -> dict[str, str]:
    """Field → message for every way the dates and amounts disagree with the stage."""
    errors: dict[str, str] = {}
    stage = values.get("stage")
    signed, started, produced = values.get("signed_on"), values.get("started_on"), values.get("production_on")
    for field, label in (("signed_on", "签约日期"), ("started_on", "开工日期"), ("production_on", "投产日期")):
        if values.get(field) and values[field] > today:
            errors[field] = f"{label}不能晚于今天"
    if stage == Stage.DROPPED:
        if not (values.get("dropped_reason") or "").strip():
            errors["dropped_reason"] = "终止的项目须填写终止原因"
    else:
        for field, label, needed in (
            ("signed_on", "签约日期", Stage.SIGNED),
            ("started_on", "开工日期", Stage.STARTED),
            ("production_on", "投产日期", Stage.PRODUCING),
        ):
            if reached(stage, needed) and not values.get(field):
                errors.setdefault(field, f"项目阶段为“{stage}”，须填写{label}")
            if not reached(stage, needed) and values.get(field):
                errors.setdefault(field, f"项目阶段为“{stage}”，尚未{needed}，不应填写{label}")
        if reached(stage, Stage.SIGNED) and values.get("contract_amount") in (None, ""):
            errors.setdefault("contract_amount", "已签约项目须填写协议资金")
    if signed and started and started < signed:
        errors.setdefault("started_on", "开工日期不能早于签约日期")
    if started and produced and produced < started:
        errors.setdefault("production_on", "投产日期不能早于开工日期")
    if signed and produced and not started:
        errors.setdefault("started_on", "有投产日期的项目须填写开工日期")
    return errors


STAGE_DATES = (
    ("signed_on", "签约日期", Stage.SIGNED),
    ("started_on", "开工日期", Stage.STARTED),
    ("production_on", "投产日期", Stage.PRODUCING),
)


def dates_beyond_drop(values: dict, reached_stages: set[str]) -> dict[str, str]:
    """Field → message for a dropped project's dates of stages it never reached before it was dropped: a 签约日期
    typed on a project dropped while 在谈 would count a signing that never happened (the dates of the stages it did
    reach stay: a project dropped after signing was signed)."""
    furthest = max((stage_index(stage) for stage in reached_stages if stage != Stage.DROPPED), default=-1)
    return {
        field: f"项目在{needed}前已终止，不能填写{label}"
        for field, label, needed in STAGE_DATES
        if values.get(field) and stage_index(needed) > furthest
    }


def investment_refusal(project, noun: str) -> str | None:
    """年度计划投资 and 完成投资 are facts of any signed project, key or not (only the key-project indicators count
    the key ones alone, projects/totals.py): refused only for a project never signed, a 线索 or 在谈 one, or one
    dropped before signing (a project dropped after signing keeps its 签约日期 and its figures)."""
    if project.signed_on is None:
        return f"{project.code} 尚未签约（{project.stage}），不填报{noun}"
    return None


def amount_in_wan(funding_type: str, contract_amount: Decimal | None, usd_rate: Decimal | None) -> Decimal | None:
    """The agreement amount in 万元: a foreign one's 万美元 × the year's rate (exact, no rounding)."""
    if contract_amount is None:
        return None
    amount_wan = Decimal(contract_amount)
    if funding_type == FundingType.FOREIGN:
        amount_wan *= usd_rate or Decimal(0)
    return amount_wan


def is_major(funding_type: str, contract_amount: Decimal | None, usd_rate: Decimal | None) -> bool:
    """亿元以上: the agreement amount in 万元 (foreign: 万美元 × the year's rate) is at least 10,000."""
    amount_wan = amount_in_wan(funding_type, contract_amount, usd_rate)
    return amount_wan is not None and amount_wan >= MAJOR_THRESHOLD_WAN


def signing_bands(funding_type: str, contract_amount: Decimal | None, usd_rate: Decimal | None) -> list[str]:
    """The size bands (SIGNING_BANDS codes) a signing's agreement amount reaches, converted as for 亿元以上."""
    amount_wan = amount_in_wan(funding_type, contract_amount, usd_rate)
    return [code for code, floor in SIGNING_BANDS.items() if amount_wan is not None and amount_wan >= floor]


def months_touched(before: dict, after: dict, first_signed_month: date | None) -> set[date]:
    """The months whose figures an edit from `before` to `after` would change."""
    months: set[date] = set()
    for field in DATED_FIELDS:
        if before.get(field) != after.get(field):
            months |= {month_start(d) for d in (before.get(field), after.get(field)) if d}
    if first_signed_month and any(before.get(f) != after.get(f) for f in SIGNING_FIGURE_FIELDS):
        months.add(first_signed_month)
    return months
