import pytest

from zhaoshang.core.creditcode import check_character, credit_code_error

# Real, published codes of well-known companies: the check character must agree with GB 32100-2015.
REAL_CODES = ["9144030071526726XG", "91330100716105852F", "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_it_accepts_real_codes(code):
    assert credit_code_error(code) is None
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code, reason",
    [
        ("9144030071526726XA", "校验位错误"),  # last character changed
        ("9144030071526727XG", "校验位错误"),  # one digit changed
        ("914403007152672XG", "应为18位"),  # too short
        ("9144030071526726XGG", "应为18位"),  # too long
        ("9144030071526726IG", "不允许的字符"),  # I is not in the alphabet
        ("9144030071526726xg", "不允许的字符"),  # lower case
        ("0144030071526726XG", "登记管理部门代码"),  # first character
        ("91A4030071526726XG", "行政区划代码"),  # region must be digits
    ],
)
def test_it_rejects_wrong_codes_with_the_reason(code, reason):
    assert reason in credit_code_error(code)
