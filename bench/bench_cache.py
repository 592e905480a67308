"""The cached pages cold and warm with the demo county: the dashboard and the draft bulletin (page, json, xlsx).

    .venv/bin/python bench/bench_cache.py [--runs 20]

Cold: the cache emptied before each request (what the first reader after a write pays); warm: the figures read
from the cache (everyone else until the next write). Median milliseconds, queries, and the ratio."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchdb import use_fresh_database  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    tmp = use_fresh_database()  # noqa: F841  (kept alive for the run)

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    settings.WHITENOISE_AUTOREFRESH = True
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))

    from zhaoshang.core.periods import add_months, current_month, format_month
    from zhaoshang.org.models import User

    last = format_month(add_months(current_month(), -1))
    pages = [
        ("leader", f"/dashboard/?month={last}"),
        ("reporter", f"/dashboard/?month={last}"),
        ("leader", f"/bulletins/draft/?month={last}"),
        ("bureau", f"/bulletins/draft/?month={last}"),
        ("leader", f"/bulletins/draft/?month={last}&format=json"),
        ("leader", f"/bulletins/draft/?month={last}&format=xlsx"),
    ]
    print(f"database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND']}; runs: {args.runs}")
    print(f"{'page':<48}{'cold ms':>9}{'q':>4}{'warm ms':>9}{'q':>4}{'cold/warm':>10}")
    for username, path in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(path)
        result = {}
        for state in ("cold", "warm"):
            times = []
            for _ in range(args.runs):
                if state == "cold":
                    cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            result[state] = (statistics.median(times), len(queries))
        (cold, cq), (warm, wq) = result["cold"], result["warm"]
        print(f"{username + ' ' + path:<48}{cold:>9.1f}{cq:>4}{warm:>9.1f}{wq:>4}{cold / warm:>9.1f}x")
    connections.close_all()


if __name__ == "__main__":
    main()
