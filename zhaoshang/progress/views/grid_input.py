"""Reading a posted grid of numbers (targets, campaign quotas): every cell parsed as an import reads it, with the
same upper limit, every error collected, nothing saved on any error."""

from django.core.exceptions import ValidationError

from zhaoshang.core.money import MAX_FIGURE, parse_amount
from zhaoshang.projects.indicators import BY_CODE


def read_cells(post, units, codes, prefix: str):
    """{(unit, code): Decimal|None}, [errors as '单位 指标: 原因'], {name: raw text}."""

    cells, errors, raw = {}, [], {}
    for unit in units:
        for code in codes:
            name = f"{prefix}-{unit.pk}-{code}"
            if name not in post:
                continue
            text = post.get(name, "").strip()
            raw[name] = text
            if text == "":
                cells[(unit, code)] = None
                continue
            try:
                value = parse_amount(text, limit=MAX_FIGURE)
                if code.endswith("_count") and value != value.to_integral_value():
                    raise ValueError("个数应为整数")
                cells[(unit, code)] = value
            except ValueError as exc:
                errors.append(f"{unit.name} {BY_CODE[code].name}: {exc}")
    return cells, errors, raw


def save_posted_grid(post, units, codes, prefix: str, save):
    """Read the posted grid and, when every cell parsed, save it with `save(cells=…)` (a service, all or nothing,
    its other arguments bound). Returns (what `save` returned, or None when nothing was saved; [errors], the cells'
    or the service's refusal; {name: raw text})."""
    cells, errors, raw = read_cells(post, units, codes, prefix)
    if errors:
        return None, errors, raw
    try:
        return save(cells=cells), [], raw
    except ValidationError as exc:
        return None, exc.messages, raw
