"""The scoring rules of a 考核方案, one pure function per rule (no database): numbers in, a `Scored` out.

Every result is unrounded (a total is the sum of unrounded items); the `detail` is the formula with its numbers as
the published tables write it, ending in the score to two decimals half-up ("96%×0.5=0.48", "2−0.1×3=1.70").
A rate is shown as a percentage to at most two decimals, trailing zeros dropped; other numbers as written, without
trailing zeros. A missing or zero target scores 0 and is flagged ("目标缺失", "目标为0"), never divided by; a missing
figure counts as 0 and is flagged "数据缺失". README 考核计分规则 gives an example of each."""

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.core.money import CENT, round_half_up

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
MINUS = "−"

MISSING_TARGET, ZERO_TARGET, MISSING_DATA = "目标缺失", "目标为0", "数据缺失"


@dataclass(frozen=True)
class Scored:
    score: Decimal
    detail: str
    flags: tuple[str, ...] = ()


def dec(value) -> Decimal:
    """A number of a scheme file or a source (int, str, float as written, Decimal) as Decimal."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = Decimal(str(value).strip())
    if not number.is_finite():
        raise ValueError(f"不是有限的数：{value}")
    return number


def num(value) -> str:
    """12.50 → "12.5", 10.00 → "10", −1 → "−1": a number as a formula writes it."""
    value = dec(value)
    text = format(value.normalize(), "f") if value != 0 else "0"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", MINUS)


def pct(rate) -> str:
    """0.96 → "96%", 0.955 → "95.5%", 1/3 → "33.33%"."""
    return f"{num(round_half_up(dec(rate) * HUNDRED))}%"


def two(value) -> str:
    """The score as shown: two decimals, half-up."""
    return format(round_half_up(dec(value), CENT), "f").replace("-", MINUS)


def _target_flag(target) -> str | None:
    if target is None:
        return MISSING_TARGET
    if dec(target) == 0:
        return ZERO_TARGET
    return None


def _actual(actual, flags: list) -> Decimal:
    if actual is None:
        flags.append(MISSING_DATA)
        return ZERO
    return dec(actual)


def _bounded(expression: str, raw: Decimal, *, upper=None, lower=None) -> Scored:
    """ "expression=raw" with the score, or the bound it hit: "…=7，超过上限5，计5.00"."""
    if upper is not None and raw > dec(upper):
        return Scored(dec(upper), f"{expression}={num(raw)}，超过上限{num(upper)}，计{two(upper)}")
    if lower is not None and raw < dec(lower):
        return Scored(dec(lower), f"{expression}={num(raw)}，低于下限{num(lower)}，计{two(lower)}")
    return Scored(raw, f"{expression}={two(raw)}")


def _capped_rate(rate: Decimal, cap: Decimal) -> tuple[Decimal, str]:
    """min(rate, cap) and how it is written: "96%", or "130%（上限120%）"."""
    if rate > cap:
        return cap, f"{pct(rate)}（上限{pct(cap)}）"
    return rate, pct(rate)


def ratio(points, actual, target, cap=1) -> Scored:
    """points × min(actual ÷ target, cap): "96%×0.5=0.48"; "130%（上限120%）×10=12.00"."""
    flags: list = []
    problem = _target_flag(target)
    if problem:
        return Scored(ZERO, f"{problem}，计0.00", (problem,))
    value = _actual(actual, flags)
    rate, shown = _capped_rate(value / dec(target), dec(cap if cap is not None else 1))
    score = dec(points) * rate
    return Scored(score, f"{shown}×{num(points)}={two(score)}", tuple(flags))


def ratio_mix(points, parts) -> Scored:
    """points × Σ share × min(actual ÷ target, cap) over parts [(actual, target, share, cap)]:
    "(80%×50%+120%×50%)×10=10.00"; a part whose target is missing or 0 adds nothing and is flagged."""
    flags: list = []
    terms, total = [], ZERO
    for actual, target, share, cap in parts:
        problem = _target_flag(target)
        if problem:
            flags.append(problem)
            terms.append(f"0（{problem}）×{pct(share)}")
            continue
        value = _actual(actual, flags)
        rate, shown = _capped_rate(value / dec(target), dec(cap if cap is not None else 1))
        total += dec(share) * rate
        terms.append(f"{shown}×{pct(share)}")
    score = dec(points) * total
    return Scored(score, f"({'+'.join(terms)})×{num(points)}={two(score)}", tuple(dict.fromkeys(flags)))


def count_points(points, counts, max=None) -> Scored:  # noqa: A002  the scheme file's key
    """min(Σ each × count, max) over counts [(count, each)]; max defaults to the points: "2×3+1×1=7.00"."""
    flags: list = []
    terms, raw = [], ZERO
    for count, each in counts:
        value = _actual(count, flags)
        raw += dec(each) * value
        terms.append(f"{num(each)}×{num(value)}")
    upper = dec(points) if max is None else dec(max)
    result = _bounded("+".join(terms) or "0", raw, upper=upper)
    return Scored(result.score, result.detail, tuple(dict.fromkeys(flags)))


def deduct(points, counts, base=None, floor=0) -> Scored:
    """max(base − Σ each × count, floor); base defaults to the points, floor to 0: "2−0.1×3=1.70"."""
    flags: list = []
    base = dec(points) if base is None else dec(base)
    expression, raw = num(base), base
    for count, each in counts:
        value = _actual(count, flags)
        raw -= dec(each) * value
        expression += f"{MINUS}{num(each)}×{num(value)}"
    result = _bounded(expression, raw, lower=dec(floor if floor is not None else 0))
    return Scored(result.score, result.detail, tuple(dict.fromkeys(flags)))


def quota(points, bands, each_missing, base=None, floor=0) -> Scored:
    """max(base − each_missing × Σ max(0, at_least − count), floor) over bands [(count, at_least)]:
    "2−0.5×(3−1)=1.00"; a band reached adds "0": "2−0.5×((3−1)+0)=1.00"."""
    flags: list = []
    base = dec(points) if base is None else dec(base)
    missing, terms = ZERO, []
    for count, at_least in bands:
        value = _actual(count, flags)
        short = dec(at_least) - value
        if short > 0:
            missing += short
            terms.append(f"({num(at_least)}{MINUS}{num(value)})")
        else:
            terms.append("0")
    shown = terms[0] if len(terms) == 1 else f"({'+'.join(terms)})"
    raw = base - dec(each_missing) * missing
    expression = f"{num(base)}{MINUS}{num(each_missing)}×{shown}"
    result = _bounded(expression, raw, lower=dec(floor if floor is not None else 0))
    return Scored(result.score, result.detail, tuple(dict.fromkeys(flags)))


def over_target(points, rate, per_point, max=None, missing=MISSING_TARGET) -> Scored:  # noqa: A002  the file's key
    """points × min(rate, 1) + per_point × (percentage points above 100%), up to `max` (none: no upper bound):
    "10×96%=9.60"; "10×100%+0.1×30=13.00"; "10×100%+0.1×30=13，超过上限12，计12.00". rate None (a missing or
    zero target: `missing` says which) scores 0, flagged."""
    if rate is None:
        return Scored(ZERO, f"{missing}，计0.00", (missing,))
    rate = dec(rate)
    if rate <= ONE:
        score = dec(points) * rate
        return Scored(score, f"{num(points)}×{pct(rate)}={two(score)}")
    above = (rate - ONE) * HUNDRED
    raw = dec(points) + dec(per_point) * above
    expression = f"{num(points)}×100%+{num(per_point)}×{num(round_half_up(above))}"
    return _bounded(expression, raw, upper=None if max is None else dec(max))


def efficacy(points, value, values) -> Scored:
    """功效系数法 among the units assessed: points × (0.6 + 0.4 × (x − min) ÷ (max − min)), min and max over the
    units that have a figure; all equal → points. A unit without a figure scores 0, flagged.
    "10×(0.6+0.4×(80−50)÷(100−50))=8.40"."""
    if value is None:
        return Scored(ZERO, f"{MISSING_DATA}，计0.00", (MISSING_DATA,))
    present = [dec(v) for v in values if v is not None]
    low, high, x = min(present), max(present), dec(value)
    if high == low:
        return Scored(dec(points), f"各单位均为{num(x)}，计满分{two(points)}")
    score = dec(points) * (Decimal("0.6") + Decimal("0.4") * (x - low) / (high - low))
    expression = f"{num(points)}×(0.6+0.4×({num(x)}{MINUS}{num(low)})÷({num(high)}{MINUS}{num(low)}))"
    return Scored(score, f"{expression}={two(score)}")


def tiers(points, rate, table, missing=MISSING_TARGET) -> Scored:
    """points × the share of the first tier [threshold, share] (in the order given) whose threshold the rate
    reaches, else 0: "完成率85%，达80%档：10×0.75=7.50"; "完成率40%，未达任何档次，计0.00"."""
    if rate is None:
        return Scored(ZERO, f"{missing}，计0.00", (missing,))
    rate = dec(rate)
    for threshold, share in table:
        if rate >= dec(threshold):
            score = dec(points) * dec(share)
            return Scored(score, f"完成率{pct(rate)}，达{pct(threshold)}档：{num(points)}×{num(share)}={two(score)}")
    return Scored(ZERO, f"完成率{pct(rate)}，未达任何档次，计0.00")


def judges(points, result, full_marks) -> Scored:
    """points × a 观摩 result ÷ its full marks: "10×88.5÷100=8.85". No result (no judge scored the unit) is 0,
    flagged "数据缺失"; no full marks (or 0) is 0, flagged "满分缺失"."""
    if result is None:
        return Scored(ZERO, f"{MISSING_DATA}，计0.00", (MISSING_DATA,))
    if full_marks is None or dec(full_marks) == 0:
        return Scored(ZERO, "满分缺失，计0.00", ("满分缺失",))
    score = dec(points) * dec(result) / dec(full_marks)
    return Scored(score, f"{num(points)}×{num(result)}÷{num(full_marks)}={two(score)}")
