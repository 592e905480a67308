from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.periods import today
from zhaoshang.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder
from zhaoshang.org.models import Unit, User


class Command(BaseCommand):
    help = "生成演示县“示范县”的单位、账号、项目和月度数据（同一 --seed 和 --today 生成相同数据）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机种子，默认 2026")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="以哪一天为“今天”生成数据（YYYY-MM-DD），默认今天"
        )
        parser.add_argument("--projects", type=int, default=300, help="项目数量，默认 300")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有单位时跳过，不报错")

    def handle(self, *args, seed, today: date | None, projects, if_empty, **options):
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("数据库中已有数据，跳过演示数据生成。")
                self.print_accounts()
                return
            raise CommandError("数据库中已有单位数据；seed_demo 只能用于空数据库（可加 --if-empty 跳过）")
        result = DemoBuilder(seed=seed, today=today or _today(), project_count=projects).build()
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成示范县：{result.units} 个单位，{result.projects} 个项目，{result.funds_rows} 条到位资金，"
                f"{result.investment_rows} 条完成投资，{result.closed_months} 个已关账月份。"
            )
        )
        self.print_accounts()

    def print_accounts(self):
        present = set(
            User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list("username", flat=True)
        )
        if not present:
            return
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, _full_name, unit_name, role in DEMO_ACCOUNTS:
            if username in present:
                self.stdout.write(f"  {username:<14}{role.label}（{unit_name or '示范县'}）")


def _today():
    return today()
