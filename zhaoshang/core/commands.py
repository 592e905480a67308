"""What every management command that writes shares: `--user NAME` to act as that user (audited as them,
source "command"); without it the command acts with full rights as the system."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError


class WritingCommand(BaseCommand):
    def execute(self, *args, **options):
        # A service refusing the --user (PermissionDenied, worded in Chinese) ends the command with its message
        # and exit status 1, as a page answers 403, rather than a traceback.
        try:
            return super().execute(*args, **options)
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "无权执行此操作") from None

    def add_arguments(self, parser):
        parser.add_argument("--user", default=None, help="以该用户身份操作并记入审计日志（默认：系统）")

    def actor(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        return user
