"""Reading a posted grid of numbers (targets, campaign quotas): every cell parsed as an import reads it, with the
same upper limit, every error collected, nothing saved on any error."""

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
