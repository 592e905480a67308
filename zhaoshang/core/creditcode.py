"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V); the last one is a
check character: 31 − (Σ value(cᵢ)·wᵢ mod 31) over the first 17, with wᵢ = 3^(i−1) mod 31.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
# First character: the registering authority (机构编制 1, 民政 5, 工商 9, 其他 Y, and the others in the
# standard's table); we accept the standard's digits and letters rather than guess which a county meets.
_AUTHORITIES = set("123456789ANY")


def check_character(first17: str) -> str:
    total = sum(_VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """None when the code is valid, otherwise the reason in Chinese."""
    if len(code) != 18:
        return f"应为18位，实际{len(code)}位"
    bad = sorted({ch for ch in code if ch not in _VALUES})
    if bad:
        return "含有不允许的字符：" + "".join(bad) + "（不使用 I、O、Z、S、V 及小写字母）"
    if code[0] not in _AUTHORITIES:
        return "第1位登记管理部门代码无效"
    if not code[2:8].isdigit():
        return "第3至8位应为行政区划代码（数字）"
    if check_character(code[:17]) != code[17]:
        return "校验位错误"
    return None


def normalize_credit_code(code: str) -> str:
    return (code or "").strip().upper()
