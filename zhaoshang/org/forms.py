from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm


def lockout_rule() -> str:
    """The throttle in words, from the settings it follows (org/lockout.py)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"同一账号在同一地址连续输错{settings.AXES_FAILURE_LIMIT}次密码，将被锁定{minutes}分钟"


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": f"用户名或密码错误。{lockout_rule()}。",
            "inactive": "该账号已停用，请联系系统管理员。",
        }
        self.lockout_rule = lockout_rule()
