"""`manage.py assessment load FILE.json [--owner UNITNAME] [--user NAME]`: create or replace a scheme from its
file (schema.load). A bad file or a published scheme ends the command with every message in Chinese, nothing
written."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from zhaoshang.assessment import schema
from zhaoshang.audit.models import Source
from zhaoshang.org.models import Unit

MAX_BYTES = 1_000_000


def add_arguments(parser):
    parser.add_argument("file", help="方案文件（JSON）")
    parser.add_argument("--owner", default=None, help="制定单位名称（默认：唯一的根单位）")
    parser.add_argument("--user", default=None, help="以该用户身份操作并记入审计日志（默认：系统）")


def read_file(path: str):
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"无法读取文件“{path}”：{exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise CommandError("方案文件过大（最大1MB）")
    return parse(raw)


def parse(raw: bytes):
    """The bytes of a scheme file → its JSON; ValueError in Chinese when it is not UTF-8 JSON."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError("方案文件应为 UTF-8 编码的 JSON") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"方案文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from None


def owner_named(name):
    if name is None:
        return None
    unit = Unit.objects.filter(name=name, is_active=True).first()
    if unit is None:
        raise CommandError(f"没有名为“{name}”的单位")
    return unit


def actor_named(username):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def run(command, *, file, owner=None, user=None, **options):
    try:
        data = read_file(file)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    actor = actor_named(user)
    unit = owner_named(owner)
    try:
        scheme = schema.load(data, actor=actor, source=Source.COMMAND, owner=unit)
    except ValidationError as exc:
        raise CommandError("方案文件有误：\n" + "\n".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise CommandError(str(exc)) from None
    command.stdout.write(f"已载入考核方案“{scheme}”（{scheme.owner.name}，{scheme.items.count()}项）")
