"""等保 password policy: at least 8 characters, with at least three of upper case, lower case, digits and symbols.

Our own validator rather than Django's MinimumLengthValidator, whose message stays in English under zh-hans.
"""

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class PasswordPolicyValidator:
    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要{self.min_length}个字符", code="password_too_short")
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_too_simple")

    def get_help_text(self):
        return f"至少{self.min_length}个字符，并包含大写字母、小写字母、数字、符号中的至少三类。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, refused in our words (Django's say "这个密码太常见了。")."""

    def get_error_message(self):
        return "这个密码过于常见，容易被猜中，请换一个"

    def get_help_text(self):
        return "不能使用常见密码。"


class SimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """A password close to the account's user name or name is refused, in our words."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("密码与用户名或姓名过于相似，请换一个", code="password_too_similar") from None

    def get_help_text(self):
        return "密码不能与用户名或姓名相似。"
