from datetime import date

from django.core.management.base import BaseCommand

from zhaoshang.coordination.problems import leaders_for, problems_escalate
from zhaoshang.core.periods import today


class Command(BaseCommand):
    help = "逾期问题提请包保领导督办（每天运行一次；已提请的不重复提请）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="以哪一天为“今天”（YYYY-MM-DD）")

    def handle(self, *args, today: date | None, **options):
        escalated = problems_escalate(today=today or _today())
        for problem in escalated:
            names = "、".join(u.display_name for u in leaders_for(problem)) or "（无领导账号）"
            self.stdout.write(
                f"{problem.project.code} {problem.category}问题#{problem.pk} 办理时限{problem.deadline} → {names}"
            )
        self.stdout.write(self.style.SUCCESS(f"提请督办 {len(escalated)} 个逾期问题"))


def _today():
    return today()
