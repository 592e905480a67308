"""The scheme file (考核方案文件, README): checking it, loading it as a Scheme and writing a Scheme back as it.

`load(data, actor=, source=, owner=)` creates a scheme, or replaces the one of the same owner, name and year (the
same row: its items rewritten, audited with what changed); refused once the scheme has a Publication. Every
problem is reported at once, in Chinese, naming the item (第N项“名称”) and the key. `dump(scheme)` writes the same
JSON back: `load(dump(s))` changes nothing, and `dump(load(file))` is the file normalised (numbers as JSON numbers,
listed units in the tree's order, default keys as the file wrote them: nothing is added).

The keys each rule takes (REQUIRED must be there, OPTIONAL may be):
    ratio          actual, target; cap
    ratio_mix      parts [{actual, target, share[, cap]}], shares summing to 1
    count_points   counts [{of, each}]; max
    deduct         counts [{of, each}]; base, floor
    quota          bands [{of, at_least}], each_missing; base, floor
    over_target    actual, target, per_point; max
    efficacy       of
    tiers          tiers [[threshold, share], …] (thresholds falling, shares 0–1), and either of (rate:/input:) or
                   actual and target
    judges         of (observation:NAME)
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from zhaoshang.assessment import scoring, sources
from zhaoshang.assessment.models import PARAM_KEYS, Publication, Rule, Scheme, SchemeItem
from zhaoshang.audit.services import record
from zhaoshang.core.errors import Refused
from zhaoshang.core.periods import format_month
from zhaoshang.org.models import AssessmentGroup, Unit
from zhaoshang.org.scoping import editable_unit_ids, is_bureau_admin

PUBLISHED = "考核结果已发布，不能替换方案；如需更正请发布新版本"
PUBLISHED_EDIT = "考核结果已发布，方案不能再修改；如需更正请发布新版本"

TOP_KEYS = ("name", "year", "period", "group", "units", "note", "items")
ITEM_BASE = ("name", "points", "rule")

# rule → (required keys, optional keys); a rule's other keys are refused.
RULE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Rule.RATIO: (("actual", "target"), ("cap",)),
    Rule.RATIO_MIX: (("parts",), ()),
    Rule.COUNT_POINTS: (("counts",), ("max",)),
    Rule.DEDUCT: (("counts",), ("base", "floor")),
    Rule.QUOTA: (("bands", "each_missing"), ("base", "floor")),
    Rule.OVER_TARGET: (("actual", "target", "per_point"), ("max",)),
    Rule.EFFICACY: (("of",), ()),
    Rule.TIERS: (("tiers",), ("of", "actual", "target")),
    Rule.JUDGES: (("of",), ()),
}
SOURCE_KEYS = ("actual", "target", "of")
NUMBER_KEYS = ("cap", "base", "floor", "max", "each_missing", "per_point")
PART_KEYS = (("actual", "target", "share"), ("cap",))
COUNT_KEYS = (("of", "each"), ())
BAND_KEYS = (("of", "at_least"), ())
TIER_OF_KINDS = ("rate", "input")
POINTS_MAX = Decimal("999999.99")


def _number(value, what: str, errors: list, *, positive: bool = False, minimum=None):
    """A JSON number or a decimal string → its normalised JSON number (int when whole, else float whose text is
    the decimal exactly); None (with an error) otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(f"{what}应为数字，收到“{value}”")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(f"{what}应为数字，收到“{value}”")
        return None
    if not number.is_finite():
        errors.append(f"{what}应为数字，收到“{value}”")
        return None
    if positive and number <= 0:
        errors.append(f"{what}应大于0")
        return None
    if minimum is not None and number < minimum:
        errors.append(f"{what}不能小于{minimum}")
        return None
    if number == number.to_integral_value():
        return int(number)
    as_float = float(number)
    if Decimal(repr(as_float)) != number:
        errors.append(f"{what}位数过多（最多15位有效数字）")
        return None
    return as_float


def as_decimal(value) -> Decimal:
    """A stored parameter number read as Decimal (the engine and the forms read them so)."""
    return Decimal(str(value))


def _source(value, what: str, errors: list, kinds=None):
    if not isinstance(value, str):
        errors.append(f"{what}应为“类别:名称”形式的文字，收到“{value}”")
        return None
    try:
        kind, name = sources.split(value)
    except sources.UnknownSource as exc:
        errors.append(f"{what}：{exc}")
        return None
    if kinds and kind not in kinds:
        labels = "、".join(f"{k}（{sources.KIND_LABELS[k]}）" for k in kinds)
        errors.append(f"{what}的数据来源应为{labels}，收到“{value}”")
        return None
    return f"{kind}:{name}"


def _keys(data, required, optional, what: str, errors: list) -> bool:
    if not isinstance(data, dict):
        errors.append(f"{what}应为对象（{{…}}）")
        return False
    ok = True
    for key in data:
        if key not in required and key not in optional:
            allowed = "、".join((*required, *optional))
            errors.append(f"{what}：不认识的键“{key}”（可用：{allowed}）")
            ok = False
    for key in required:
        if key not in data:
            errors.append(f"{what}：缺少“{key}”")
            ok = False
    return ok


def _rows(value, key: str, what: str, errors: list) -> list | None:
    if not isinstance(value, list) or not value:
        errors.append(f"{what}：“{key}”应为非空列表")
        return None
    return value


def check_item(index: int, data) -> tuple[dict | None, list[str]]:
    """One item of the file (index counts from 1) → (the normalised item, []) or (None, the messages)."""
    errors: list[str] = []
    label = f"第{index}项"
    if not isinstance(data, dict):
        return None, [f"{label}应为对象（{{…}}）"]
    name = data.get("name")
    if isinstance(name, str) and name.strip():
        name = name.strip()
        label = f"第{index}项“{name}”"
        if len(name) > 100:
            errors.append(f"{label}：“name”不能超过100个字")
    else:
        errors.append(f"{label}：缺少“name”（项目名称）")
    rule = data.get("rule")
    if "rule" not in data:
        errors.append(f"{label}：缺少“rule”（计分规则）")
        return None, errors
    if rule not in RULE_KEYS:
        errors.append(f"{label}：计分规则“{rule}”不存在，可用：{'、'.join(RULE_KEYS)}")
        return None, errors
    required, optional = RULE_KEYS[rule]
    item = {"name": name}
    if "points" not in data:
        errors.append(f"{label}：缺少“points”（分值）")
    else:
        points = _number(data["points"], f"{label}的“points”", errors, minimum=0)
        if points is not None and as_decimal(points) > POINTS_MAX:
            errors.append(f"{label}的“points”不能超过{POINTS_MAX}")
        elif points is not None and as_decimal(points) != as_decimal(points).quantize(Decimal("0.01")):
            errors.append(f"{label}的“points”最多两位小数")
        item["points"] = points
    item["rule"] = rule
    params = {k: v for k, v in data.items() if k not in ITEM_BASE}
    for key in params:
        if key not in required and key not in optional:
            allowed = "、".join((*required, *optional))
            known = "" if key in PARAM_KEYS else "不认识的"
            errors.append(f"{label}：{known}键“{key}”不适用于 {rule} 规则（{rule} 可用：{allowed}）")
    for key in required:
        if key not in params:
            errors.append(f"{label}：{rule} 规则缺少“{key}”")
    if rule == Rule.TIERS:
        has_of, has_pair = "of" in params, ("actual" in params or "target" in params)
        if has_of and has_pair:
            errors.append(f"{label}：tiers 规则的“of”与“actual”“target”只能二选一")
        elif not has_of and not ("actual" in params and "target" in params):
            errors.append(f"{label}：tiers 规则需要“of”（完成率来源），或同时给出“actual”和“target”")
    for key in (*required, *optional):
        if key not in params:
            continue
        value, what = params[key], f"{label}的“{key}”"
        if key in SOURCE_KEYS:
            kinds = None
            if rule == Rule.JUDGES:
                kinds = ("observation",)
            elif rule == Rule.TIERS and key == "of":
                kinds = TIER_OF_KINDS
            item[key] = _source(value, what, errors, kinds)
        elif key in NUMBER_KEYS:
            # a floor may be negative: a 弄虚作假 item of 0 points deducts from the total
            minimum = None if key == "floor" else 0
            item[key] = _number(value, what, errors, positive=key == "cap", minimum=minimum)
        elif key == "parts":
            item[key] = _parts(value, label, errors)
        elif key == "counts":
            item[key] = _pairs(value, "counts", COUNT_KEYS, "each", label, errors)
        elif key == "bands":
            item[key] = _pairs(value, "bands", BAND_KEYS, "at_least", label, errors)
        elif key == "tiers":
            item[key] = _tiers(value, label, errors)
    if rule == Rule.DEDUCT or rule == Rule.QUOTA:
        base = item.get("base", item.get("points"))
        if base is not None and item.get("floor") is not None and as_decimal(item["floor"]) > as_decimal(base):
            errors.append(f"{label}：“floor”不能大于“base”（未给出 base 时为分值）")
    return (None, errors) if errors else (item, [])


def _parts(value, label, errors):
    rows = _rows(value, "parts", label, errors)
    if rows is None:
        return None
    parts, total = [], Decimal(0)
    for n, row in enumerate(rows, 1):
        what = f"{label}的 parts 第{n}条"
        if not _keys(row, *PART_KEYS, what, errors):
            continue
        part = {
            "actual": _source(row["actual"], f"{what}的“actual”", errors),
            "target": _source(row["target"], f"{what}的“target”", errors),
            "share": _number(row["share"], f"{what}的“share”", errors, positive=True),
        }
        if "cap" in row:
            part["cap"] = _number(row["cap"], f"{what}的“cap”", errors, positive=True)
        if part["share"] is not None:
            total += as_decimal(part["share"])
        parts.append(part)
    if parts and len(parts) == len(rows) and all(p["share"] is not None for p in parts) and total != 1:
        errors.append(f"{label}：parts 的 share 合计应为1，现为{total.normalize():f}")
    return parts


def _pairs(value, key, keys, number_key, label, errors):
    rows = _rows(value, key, label, errors)
    if rows is None:
        return None
    out = []
    for n, row in enumerate(rows, 1):
        what = f"{label}的 {key} 第{n}条"
        if not _keys(row, *keys, what, errors):
            continue
        out.append(
            {
                "of": _source(row["of"], f"{what}的“of”", errors),
                number_key: _number(row[number_key], f"{what}的“{number_key}”", errors, minimum=0),
            }
        )
    return out


def _tiers(value, label, errors):
    rows = _rows(value, "tiers", label, errors)
    if rows is None:
        return None
    out, previous = [], None
    for n, row in enumerate(rows, 1):
        what = f"{label}的 tiers 第{n}档"
        if not isinstance(row, list) or len(row) != 2:
            errors.append(f"{what}应为[门槛, 得分比例]两个数")
            continue
        threshold = _number(row[0], f"{what}的门槛", errors, minimum=0)
        share = _number(row[1], f"{what}的得分比例", errors, minimum=0)
        if share is not None and as_decimal(share) > 1:
            errors.append(f"{what}的得分比例不能大于1")
        if threshold is not None:
            if previous is not None and as_decimal(threshold) >= previous:
                errors.append(f"{what}的门槛应低于上一档（各档从高到低排列）")
            previous = as_decimal(threshold)
        out.append([threshold, share])
    return out


def _resolve_units(data, owner, errors):
    """(group, [units]) named by the file, within the owner's groups and subtree."""
    has_group, has_units = "group" in data, "units" in data
    if has_group == has_units:
        errors.append("应给出“group”（考核组名称）或“units”（单位名称列表）之一，且只能给一个")
        return None, []
    if has_group:
        name = data["group"]
        group = AssessmentGroup.objects.filter(owner=owner, name=name).first() if isinstance(name, str) else None
        if group is None and owner.parent_id is None and isinstance(name, str):
            group = AssessmentGroup.objects.filter(owner=None, name=name).first()
        if group is None:
            mine = AssessmentGroup.objects.filter(owner=owner)
            if owner.parent_id is None:
                mine = AssessmentGroup.objects.filter(Q(owner=owner) | Q(owner=None))
            mine = mine.order_by("sort_order", "name").values_list("name", flat=True)
            errors.append(f"考核组“{name}”不存在（{owner.name}的考核组：{'、'.join(mine) or '无'}）")
        return group, []
    names = data["units"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        errors.append("“units”应为单位名称的非空列表")
        return None, []
    found = {u.name: u for u in Unit.objects.under(owner).filter(name__in=names)}
    units, seen = [], set()
    for name in names:
        if name in seen:
            errors.append(f"“units”中单位“{name}”重复")
        seen.add(name)
        if name not in found:
            exists = Unit.objects.filter(name=name).exists()
            errors.append(f"单位“{name}”不在{owner.name}范围内" if exists else f"没有名为“{name}”的单位")
        else:
            units.append(found[name])
    return None, units


def check(data, owner) -> dict:
    """The file checked against the owner's groups and units → the values to write; ValidationError with every
    message otherwise."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError(["方案文件应为 JSON 对象（{…}）"])
    for key in data:
        if key not in TOP_KEYS:
            errors.append(f"不认识的键“{key}”（可用：{'、'.join(TOP_KEYS)}）")
    for key in ("name", "year", "period", "items"):
        if key not in data:
            errors.append(f"缺少“{key}”")
    name = data.get("name")
    if "name" in data and (not isinstance(name, str) or not name.strip() or len(name.strip()) > 100):
        errors.append("“name”（方案名称）应为1至100个字")
    year = data.get("year")
    if "year" in data and (isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100):
        errors.append(f"“year”（考核年度）应为2000至2100之间的整数，收到“{year}”")
        year = None
    period = None
    if "period" in data:
        raw = data["period"]
        try:
            y, m = (int(p) for p in str(raw).split("-")) if isinstance(raw, str) and len(raw) == 7 else (0, 0)
            period = date(y, m, 1)
        except ValueError:
            errors.append(f"“period”（考核期）应写作 YYYY-MM，例如 2024-12，收到“{raw}”")
        if period is not None and isinstance(year, int) and period.year != year:
            errors.append(f"“period”（考核期）{raw} 不在考核年度{year}年内")
    note = data.get("note", "")
    if not isinstance(note, str):
        errors.append("“note”（说明）应为文字")
    group, units = _resolve_units(data, owner, errors)
    items = []
    raw_items = data.get("items")
    if "items" in data and (not isinstance(raw_items, list) or not raw_items):
        errors.append("“items”（考核项目）应为非空列表")
    elif isinstance(raw_items, list):
        seen = {}
        for index, raw in enumerate(raw_items, 1):
            item, item_errors = check_item(index, raw)
            errors += item_errors
            if item is not None:
                if item["name"] in seen:
                    errors.append(f"第{index}项“{item['name']}”与第{seen[item['name']]}项重名")
                seen.setdefault(item["name"], index)
                items.append(item)
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "year": year,
        "period": period,
        "group": group,
        "units": units,
        "note": note,
        "items": items,
    }


def default_owner() -> Unit:
    roots = list(Unit.objects.filter(parent=None, is_active=True)[:2])
    if len(roots) != 1:
        raise Refused("请用 --owner 指明方案的制定单位")
    return roots[0]


def bureau_unit(actor) -> Unit | None:
    """The unit of the actor's 主管部门管理员 membership (the highest when several)."""
    from zhaoshang.org.models import Role  # noqa: PLC0415
    from zhaoshang.org.scoping import memberships  # noqa: PLC0415

    rows = sorted((m for m in memberships(actor) if m.role == Role.BUREAU_ADMIN), key=lambda m: m.unit.path)
    return rows[0].unit if rows else None


def is_published(scheme) -> bool:
    return scheme.pk is not None and Publication.objects.filter(scheme=scheme).exists()


def refuse_if_published(scheme, message: str = PUBLISHED_EDIT) -> None:
    if is_published(scheme):
        raise Refused(message)


def _item_file(item: SchemeItem) -> dict:
    return {"name": item.name, "points": _plain(item.points), "rule": item.rule, **item.params}


def _plain(value: Decimal):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def dump(scheme: Scheme) -> dict:
    data = {"name": scheme.name, "year": scheme.year, "period": format_month(scheme.period)}
    if scheme.group_id:
        data["group"] = scheme.group.name
    else:
        data["units"] = [u.name for u in scheme.units.order_by("path")]
    if scheme.note:
        data["note"] = scheme.note
    data["items"] = [_item_file(i) for i in scheme.items.order_by("position", "id")]
    return data


def _diff(before: dict | None, after: dict) -> dict:
    if before is None:
        return {}
    changes = {k: [before.get(k), after.get(k)] for k in TOP_KEYS if k != "items" and before.get(k) != after.get(k)}
    old = {i["name"]: i for i in before["items"]}
    new = {i["name"]: i for i in after["items"]}
    items = {
        "added": [n for n in new if n not in old],
        "removed": [n for n in old if n not in new],
        "changed": [n for n in new if n in old and old[n] != new[n]],
    }
    if [i["name"] for i in before["items"]] != [i["name"] for i in after["items"]]:
        items["order"] = [i["name"] for i in after["items"]]
    changes["items"] = {k: v for k, v in items.items() if v}
    return changes


def load(data, *, actor, source, owner=None) -> Scheme:
    """Create or replace (same owner, name, year) the scheme the file describes. ValidationError (every message)
    and nothing written on a bad file or a published scheme."""
    if owner is None:
        owner = bureau_unit(actor) if actor is not None else None
        owner = owner or default_owner()
    if actor is not None and not (is_bureau_admin(actor) and owner.pk in editable_unit_ids(actor)):
        raise PermissionDenied(f"只有{owner.name}的主管部门管理员可以载入其考核方案")
    values = check(data, owner)
    with transaction.atomic():
        scheme = (
            Scheme.objects.select_for_update().filter(owner=owner, name=values["name"], year=values["year"]).first()
        )
        before = None
        if scheme is not None:
            refuse_if_published(scheme, PUBLISHED)
            before = dump(scheme)
        else:
            scheme = Scheme(owner=owner, name=values["name"], year=values["year"])
        scheme.period, scheme.group, scheme.note = values["period"], values["group"], values["note"]
        scheme.save()
        scheme.units.set(values["units"])
        scheme.items.all().delete()
        for position, item in enumerate(values["items"], 1):
            params = {k: v for k, v in item.items() if k not in ITEM_BASE}
            SchemeItem.objects.create(
                scheme=scheme,
                position=position,
                name=item["name"],
                points=as_decimal(item["points"]),
                rule=item["rule"],
                params=params,
            )
        after = dump(scheme)
        if before is None:
            record(actor, action="assessment.scheme_created", target=scheme, source=source, data={"scheme": after})
        elif before != after:
            record(actor, action="assessment.scheme_replaced", target=scheme, source=source, data=_diff(before, after))
    return scheme


# --- What a scheme's items read ---------------------------------------------------------------------------------


def item_sources(params: dict) -> list[str]:
    """Every source an item's parameters name, in order."""
    found = [params[k] for k in SOURCE_KEYS if isinstance(params.get(k), str)]
    for part in params.get("parts") or []:
        found += [part[k] for k in ("actual", "target") if isinstance(part.get(k), str)]
    for key in ("counts", "bands"):
        found += [row["of"] for row in params.get(key) or [] if isinstance(row.get("of"), str)]
    return found


def input_names(scheme: Scheme) -> list[str]:
    """The NAMEs of the `input:NAME` sources the scheme's items use, in first-use order."""
    names: list[str] = []
    for item in scheme.items.order_by("position", "id"):
        for source in item_sources(item.params):
            kind, _, name = source.partition(":")
            if kind == "input" and name not in names:
                names.append(name)
    return names


def assessed_units(scheme: Scheme) -> list[Unit]:
    """The units the scheme assesses, exactly as the engine scores them."""
    return scoring.assessed_units(scheme)
