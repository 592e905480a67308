from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm, AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.core.validators import MaxLengthValidator

from zhaoshang.core.field_messages import ProductFormMixin
from zhaoshang.org.models import User
from zhaoshang.org.passwords import PasswordPolicyValidator

POLICY_HELP = PasswordPolicyValidator().get_help_text()
MISMATCH = "两次输入的密码不一致"


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (a full date is taken as its month), kept as the month's first day."""

    widget = forms.DateInput(format="%Y-%m", attrs={"placeholder": "YYYY-MM", "size": 10})
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "月份格式应为 YYYY-MM，例如 2026-12"}

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


NO_GROUP = "不参与考核排名（无考核组）"


def lockout_rule() -> str:
    """The throttle in words, from the settings it follows (org/lockout.py)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"同一账号在同一地址连续输错{settings.AXES_FAILURE_LIMIT}次密码，将被锁定{minutes}分钟"


class LoginForm(ProductFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets the user name's max_length after the field is built, so nothing checks it on the server:
        # a longer name went on to the sign-in throttle, whose 255-character column refused it with an error
        # page on PostgreSQL. Checked here, it is refused as too long and never tried.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        self.error_messages = {
            **self.error_messages,
            "invalid_login": f"用户名或密码错误。{lockout_rule()}。",
            "inactive": "该账号已停用，请联系系统管理员。",
        }
        self.lockout_rule = lockout_rule()


def _label_passwords(form, first: str, second: str, label: str) -> None:
    form.fields[first].label, form.fields[first].help_text = label, POLICY_HELP
    form.fields[second].label, form.fields[second].help_text = f"确认{label}", "再输入一次，以免输错"


class AccountCreationForm(ProductFormMixin, UserCreationForm):
    """The system admin's new account: the password typed here is an initial one, to be changed at first sign-in."""

    error_messages = {"password_mismatch": MISMATCH}

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_passwords(self, "password1", "password2", "初始密码")


class AccountPasswordResetForm(ProductFormMixin, AdminPasswordChangeForm):
    """The system admin sets a new password for an account (the user must change it at its next sign-in).
    Switching password sign-in off is not offered: an account is switched off by deactivating it."""

    error_messages = {"password_mismatch": MISMATCH}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        for name in ("password1", "password2"):
            self.fields[name].required = True
        _label_passwords(self, "password1", "password2", "新密码")


class AccountPasswordChangeForm(ProductFormMixin, PasswordChangeForm):
    """A user changes its own password: the old one first, then the new one twice."""

    error_messages = {"password_mismatch": MISMATCH, "password_incorrect": "原密码不正确，请重新输入"}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "原密码"
        _label_passwords(self, "new_password1", "new_password2", "新密码")

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", "新密码不能与原密码相同")
        return cleaned
