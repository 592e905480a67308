"""等保 password policy: at least three of upper case, lower case, digits and symbols."""
import string

from django.core.exceptions import ValidationError


class ComplexityValidator:
    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_too_simple")

    def get_help_text(self):
        return "至少包含大写字母、小写字母、数字、符号中的三类。"
