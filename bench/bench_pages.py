"""Server time of each page with the demo county (budget: under 100 ms each, README Benchmarks).

    .venv/bin/python bench/bench_pages.py [--runs 20]

Seeds the demo county into a fresh database (a temporary SQLite file, or DATABASE_URL's database with a
`_bench` suffix, created and dropped), then requests every page through Django's in-process client as the
role that uses it and reports the median and the 90th percentile in milliseconds, with the query count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from benchdb import use_fresh_database  # noqa: E402


def bulletin_figures(runs: int) -> None:
    """The bulletin itself (snapshot, text) and its docx, outside the page machinery: budgets 300 ms and 1 s."""
    from datetime import date

    from zhaoshang.bulletins import output, services
    from zhaoshang.bulletins.document import draft_issue
    from zhaoshang.core.periods import add_months, current_month
    from zhaoshang.org.models import Unit

    root = Unit.objects.get(parent=None)
    month: date = add_months(current_month(), -1)

    def bulletin():
        snapshot, text, _ = services.draft(root, month)
        snapshot["text"] = text
        return snapshot

    snapshot = bulletin()
    timings = {}
    for name, work in (
        ("bulletin (snapshot + text)", bulletin),
        ("bulletin docx", lambda: output.as_docx(snapshot, "通报", draft_issue(root))),
        ("bulletin xlsx", lambda: output.as_xlsx(snapshot, "通报")),
    ):
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            work()
            samples.append((time.perf_counter() - start) * 1000)
        timings[name] = statistics.median(samples)
        print(f"{name:<44}{timings[name]:>10.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    tmp = use_fresh_database()  # noqa: F841  (kept alive for the run)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    settings.WHITENOISE_AUTOREFRESH = True
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))

    from zhaoshang.coordination.meeting_models import DispatchMeeting
    from zhaoshang.coordination.models import Problem
    from zhaoshang.core.periods import add_months, current_month, format_month
    from zhaoshang.org.models import User
    from zhaoshang.projects.models import Project

    last = format_month(add_months(current_month(), -1))
    project = Project.objects.filter(responsible_unit__name="城关镇", stage="开工").first()
    problem = Problem.objects.order_by("pk").first()
    meeting = DispatchMeeting.objects.order_by("-held_on").first()
    call_command("send_reminders", stdout=open(os.devnull, "w"))  # the reporter's inbox has something in it
    from zhaoshang.coordination import meetings
    from zhaoshang.core.periods import today

    bureau = User.objects.get(username="bureau")
    open_meeting = meetings.meeting_create(actor=bureau, unit=bureau.memberships.first().unit, held_on=today())
    pages = [
        ("bureau", "/"),  # a leader lands on the dashboard (measured below)
        ("leader", "/projects/"),
        ("leader", "/projects/?major=1&stage=开工&q=项目"),
        ("leader", "/projects/?page=5"),
        ("reporter", f"/projects/{project.pk}/"),
        ("reporter", f"/projects/{project.pk}/edit/"),
        ("reporter", "/projects/new/"),
        ("reporter", f"/report/?month={last}"),
        ("bureau", "/months/"),
        ("bureau", f"/months/{last}/"),
        ("bureau", "/usd-rates/"),
        ("leader", f"/dashboard/?month={last}"),
        ("leader", f"/dashboard/domestic_arrived_wan/?month={last}"),
        ("leader", f"/projects/?figure=started_count&period={last}"),
        ("bureau", "/targets/"),
        ("leader", "/campaigns/1/"),
        ("leader", f"/economy/?month={last}"),
        ("leader", f"/bulletins/draft/?month={last}"),
        ("leader", f"/bulletins/draft/?month={last}&format=json"),
        ("leader", f"/bulletins/draft/?month={last}&format=docx"),
        ("leader", f"/bulletins/draft/?month={last}&format=xlsx"),
        ("bureau", f"/meetings/review/?month={last}"),
        ("bureau", f"/meetings/dispatch/?month={last}"),
        ("bureau", f"/meetings/summary/?month={last}"),
        ("auditor", "/audit/"),
        ("auditor", "/audit/?q=XM2026"),
        ("bureau", "/sheets/import/"),
        ("reporter", "/problems/"),
        ("bureau", "/problems/"),
        ("zrj", "/problems/"),
        ("bureau", f"/problems/{problem.pk}/"),
        ("reporter", f"/problems/new/?project={project.pk}"),
        ("leader", "/approvals/"),
        ("zrj", "/approvals/"),
        ("reporter", f"/projects/{project.pk}/approvals/"),
        ("bureau", "/dispatch/"),
        ("bureau", f"/dispatch/{meeting.pk}/"),
        ("bureau", f"/dispatch/{open_meeting.pk}/"),  # open: a decision form on every item
        ("reporter", "/dispatch/tasks/?show=all"),
        ("reporter", "/notifications/"),
    ]
    clients = {}
    print(f"database: {connection.vendor}; projects: {Project.objects.count()}; runs per page: {args.runs}")
    print(f"{'page':<44}{'median ms':>10}{'p90 ms':>9}{'queries':>9}")
    worst = 0.0
    for username, path in pages:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        client.get(path)  # warm up
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        median = statistics.median(times)
        p90 = sorted(times)[int(len(times) * 0.9) - 1]
        worst = max(worst, median)
        print(f"{username + ' ' + path:<44}{median:>10.1f}{p90:>9.1f}{len(queries):>9}")
    print(f"slowest median: {worst:.1f} ms")
    bulletin_figures(args.runs)
    connections.close_all()


if __name__ == "__main__":
    main()
