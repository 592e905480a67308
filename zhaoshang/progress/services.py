"""Writes of targets, campaigns and economic figures: validated, one transaction, one audit entry per change."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import record
from zhaoshang.closing.guard import ensure_month_open
from zhaoshang.core.field_messages import full_clean
from zhaoshang.core.money import CENT, MAX_FIGURE, parse_amount
from zhaoshang.core.periods import format_month, month_start
from zhaoshang.org.ownership import manages, managing_unit, require_manages
from zhaoshang.progress.economy import ECONOMIC_NAMES, region_unit
from zhaoshang.progress.models import Campaign, CampaignTarget, EconomicFigure, Target
from zhaoshang.projects.indicators import BY_CODE


def _text(value: Decimal | None):
    return None if value is None else str(value)


def _check_value(value, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_amount(value, limit=MAX_FIGURE, noun="目标值")
    except ValueError as exc:
        raise ValidationError(f"{where}：{exc}") from None


def _save_cells(cells: dict, existing: dict, create, *, actor, action: str, source: str, target=None, data=None) -> int:
    """Apply {(unit, code): value or None} to rows keyed (unit_id, code): update, create with `create(unit, code,
    value)`, or delete on None. Each change is audited as `action` on `target` (None: the row itself) at its unit,
    with `data` and the indicator's old and new value. Returns how many changed."""
    changed = 0
    for (unit, code), value in cells.items():
        value = _check_value(value, f"{unit.name} {BY_CODE[code].name}")
        row = existing.get((unit.pk, code))
        old = row.value if row else None
        if old == value:
            continue
        if value is None:
            row.delete()
        elif row:
            row.value = value
            row.save(update_fields=["value"])
        else:
            row = create(unit, code, value)
        record(
            actor,
            action=action,
            target=row if target is None else target,
            unit=unit,
            source=source,
            data={**(data or {}), "indicator": BY_CODE[code].name, "value": [_text(old), _text(value)]},
        )
        changed += 1
    return changed


@transaction.atomic
def targets_save(*, actor, year: int, cells: dict, source: str = Source.PAGE) -> int:
    """cells: {(unit, code): value or None}. None removes the target. Returns the number of cells changed."""
    for unit, code in cells:
        if code not in BY_CODE or not BY_CODE[code].has_target:
            raise ValidationError(f"指标“{code}”不能设目标")
        require_manages(actor, unit, "为该单位设定目标")  # a county's bureau sets its own units' targets
    existing = {
        (t.unit_id, t.indicator): t
        for t in Target.objects.select_for_update().filter(year=year, unit__in={unit for unit, _ in cells})
    }
    return _save_cells(
        cells,
        existing,
        lambda unit, code, value: Target.objects.create(unit=unit, year=year, indicator=code, value=value),
        actor=actor,
        action="target.set",
        source=source,
        data={"year": year},
    )


@transaction.atomic
def target_split_set(*, actor, target: Target, shares: list[Decimal] | None, source: str = Source.PAGE) -> None:
    """Twelve cumulative shares (0..1, not decreasing, the last 1), or None for the linear M/12."""
    if shares is not None:
        if len(shares) != 12:
            raise ValidationError("按月分解须填满12个月")
        if any(s < 0 or s > 1 for s in shares) or any(b < a for a, b in zip(shares, shares[1:], strict=False)):
            raise ValidationError("按月分解应为逐月累计占比，在0%到100%之间且不减少")
        if shares[-1] != 1:
            raise ValidationError("12月的累计占比应为100%")
    require_manages(actor, target.unit, "为该单位设定目标")
    old = target.monthly
    new = [str(s) for s in shares] if shares is not None else None
    if old == new:
        return
    target.monthly = new
    target.save(update_fields=["monthly"])
    record(
        actor,
        action="target.split_set",
        target=target,
        source=source,
        data={"indicator": BY_CODE[target.indicator].name, "monthly": [old, new]},
    )


@transaction.atomic
def campaign_save(*, actor, campaign: Campaign, source: str = Source.PAGE) -> Campaign:
    campaign.start_month = month_start(campaign.start_month)
    campaign.end_month = month_start(campaign.end_month)
    if campaign.end_month < campaign.start_month:
        raise ValidationError({"end_month": "结束月份不能早于开始月份"})
    if campaign.owner_id is None:
        campaign.owner = managing_unit(actor)
    require_manages(actor, campaign.owner, "管理此专项活动")
    is_new = campaign.pk is None
    full_clean(campaign)
    campaign.save()
    record(
        actor,
        action="campaign.created" if is_new else "campaign.updated",
        target=campaign,
        source=source,
        data={
            "name": campaign.name,
            "window": f"{format_month(campaign.start_month)}至{format_month(campaign.end_month)}",
        },
    )
    return campaign


@transaction.atomic
def campaign_targets_save(*, actor, campaign: Campaign, cells: dict, source: str = Source.PAGE) -> int:
    require_manages(actor, campaign.owner, "设置此专项活动的目标")
    outside = sorted({unit.name for unit, _ in cells if not unit.path.startswith(campaign.owner.path)})
    if outside:
        raise ValidationError("专项活动只能为其发起单位及下级单位设置目标")
    existing = {(t.unit_id, t.indicator): t for t in campaign.targets.select_for_update()}
    return _save_cells(
        cells,
        existing,
        lambda unit, code, value: CampaignTarget.objects.create(
            campaign=campaign, unit=unit, indicator=code, value=value
        ),
        actor=actor,
        action="campaign.target_set",
        source=source,
        target=campaign,
    )


def _region_owned_by(actor, region: str):
    """The region's unit, when the actor may enter its figures: the bureau of the region itself (a county of a
    city install) or the root's bureau (every region, including the city's counties the install does not hold)."""
    unit = region_unit(region)
    if not manages(actor, unit):
        raise PermissionDenied(f"“{region}”的经济指标由该地区的主管部门或上级主管部门录入")
    return unit


@transaction.atomic
def economic_figure_set(
    *,
    actor,
    region: str,
    month: date,
    indicator: str,
    cumulative: Decimal,
    growth_pct: Decimal,
    source: str = Source.PAGE,
) -> EconomicFigure:
    region = (region or "").strip()
    if not region:
        raise ValidationError({"region": "请填写地区"})
    if indicator not in ECONOMIC_NAMES:
        raise ValidationError({"indicator": f"没有经济指标“{indicator}”"})
    month = month_start(month)
    unit = _region_owned_by(actor, region)
    ensure_month_open(month, unit)
    row = EconomicFigure.objects.filter(region=region, month=month, indicator=indicator).first()
    old = (str(row.cumulative), str(row.growth_pct)) if row else None
    row, _ = EconomicFigure.objects.update_or_create(
        region=region,
        month=month,
        indicator=indicator,
        defaults={"cumulative": cumulative.quantize(CENT), "growth_pct": growth_pct.quantize(CENT)},
    )
    record(
        actor,
        action="economy.set",
        source=source,
        unit=unit,
        data={
            "region": region,
            "month": format_month(month),
            "indicator": ECONOMIC_NAMES[indicator],
            "cumulative": [old[0] if old else None, str(row.cumulative)],
            "growth_pct": [old[1] if old else None, str(row.growth_pct)],
        },
    )
    return row


@transaction.atomic
def economic_figure_clear(*, actor, region: str, month: date, indicator: str, source: str = Source.PAGE) -> bool:
    """Remove one figure (an import being undone); True when there was one."""
    unit = _region_owned_by(actor, region)
    ensure_month_open(month, unit)
    row = EconomicFigure.objects.filter(region=region, month=month_start(month), indicator=indicator).first()
    if row is None:
        return False
    record(
        actor,
        action="economy.cleared",
        source=source,
        unit=unit,
        data={
            "region": region,
            "month": format_month(row.month),
            "indicator": ECONOMIC_NAMES[indicator],
            "cumulative": [str(row.cumulative), None],
            "growth_pct": [str(row.growth_pct), None],
        },
    )
    row.delete()
    return True
