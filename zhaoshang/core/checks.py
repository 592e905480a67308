"""A warning from every `manage.py` command (runserver, migrate, check) while the demo's public secret key is
in use, and one in the log of every server started on it (wsgi.py): a deployment left on the demo key must not
go unnoticed."""

import logging

from django.conf import settings
from django.core import checks

DEMO_KEY_MESSAGE = (
    "正在使用演示密钥（ZHAOSHANG_SECRET_KEY 未设置）：任何人都能用它伪造登录会话。"
    "演示以外的环境必须设置 ZHAOSHANG_SECRET_KEY。"
)


def uses_demo_key() -> bool:
    return settings.SECRET_KEY == getattr(settings, "DEMO_SECRET_KEY", None)


@checks.register(checks.Tags.security)
def demo_secret_key(app_configs, **kwargs):
    if uses_demo_key():
        return [checks.Warning(DEMO_KEY_MESSAGE, hint="ZHAOSHANG_SECRET_KEY=<一长串随机字符>", id="zhaoshang.W001")]
    return []


def warn_if_demo_key() -> None:
    if uses_demo_key():
        logging.getLogger("zhaoshang").warning(DEMO_KEY_MESSAGE)
