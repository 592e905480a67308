from django.core.exceptions import ValidationError

from zhaoshang.core.creditcode import credit_code_error


def validate_credit_code(value: str) -> None:
    if not value:
        return
    error = credit_code_error(value)
    if error:
        raise ValidationError(f"统一社会信用代码{error}", code="credit_code")
