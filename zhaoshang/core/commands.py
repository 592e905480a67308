"""What every management command that writes shares: `--user NAME` to act as that user (audited as them,
source "command"); without it the command acts with full rights as the system."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class WritingCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--user", default=None, help="以该用户身份操作并记入审计日志（默认：系统）")

    def actor(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        return user
