"""Reading a posted grid of numbers: every cell parsed, every error collected, nothing saved on any error."""

from decimal import Decimal

from zhaoshang.core.money import to_decimal
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
                value = to_decimal(text)
                if value < 0:
                    raise ValueError("不能为负数")
                if code.endswith("_count") and value != value.to_integral_value():
                    raise ValueError("个数应为整数")
                if value != value.quantize(Decimal("0.01")):
                    raise ValueError("最多保留两位小数")
                cells[(unit, code)] = value
            except ValueError as exc:
                errors.append(f"{unit.name} {BY_CODE[code].name}: {exc}")
    return cells, errors, raw
