"""Pure rules of 认定: the period a queue covers, and which required evidence an item lacks."""

from datetime import date

from zhaoshang.core.periods import add_months, parse_month
from zhaoshang.evidence.models import EvidenceKind
from zhaoshang.projects.models import VerificationKind, default_requirements

PERIOD_KINDS = {"month": "月", "quarter": "季", "year": "年"}
KIND_LABELS = dict(VerificationKind.choices)
EVIDENCE_LABELS = dict(EvidenceKind.choices)
# The groups a settings page offers per item: "any of" sets, all of which the item needs.
MAX_GROUPS = 3


def period_months(month: date, span: str) -> tuple[date, date]:
    """(first, last) month of the 月, 季 or 年 that holds `month`."""
    if span == "year":
        return date(month.year, 1, 1), date(month.year, 12, 1)
    if span == "quarter":
        first = date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
        return first, add_months(first, 2)
    return month, month


def period_label(month: date, span: str) -> str:
    if span == "year":
        return f"{month.year}年"
    if span == "quarter":
        return f"{month.year}年第{(month.month - 1) // 3 + 1}季度"
    return f"{month.year}年{month.month}月"


def parse_period(month_text: str | None, span: str | None, default: date) -> tuple[date, str]:
    """The ?month= and ?span= of a queue: bad input falls back to the default month, a 月."""
    try:
        month = parse_month(month_text) if month_text else default
    except ValueError:
        month = default
    return month, span if span in PERIOD_KINDS else "month"


def requirements_of(rules) -> dict:
    """{kind: [[evidence kinds], ...]} of an install: its saved rules, the defaults for a kind never saved."""
    saved = dict(rules.requirements or {}) if rules is not None else {}
    return {kind: saved.get(kind, default) for kind, default in default_requirements().items()}


def group_label(group) -> str:
    return "或".join(EVIDENCE_LABELS.get(code, code) for code in group)


def missing(groups, present: set) -> list[str]:
    """The groups none of whose kinds is among the item's evidence, named in Chinese ("施工许可证或施工合同")."""
    return [group_label(group) for group in groups if group and not present.intersection(group)]


def missing_text(names: list[str]) -> str:
    return "缺少：" + "、".join(names) if names else ""
