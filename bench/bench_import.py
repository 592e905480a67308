"""Importing a 100,000-row 到位资金 sheet against python-calamine only reading it, in the same run.
Budget (README, Benchmarks): validated and written within 4× the read.

    .venv/bin/python bench/bench_import.py [--rows 100000]      (DATABASE_URL=postgres://… for PostgreSQL)

It seeds the demo county into a fresh database, adds enough projects to spread 100,000 rows over them
(one row per project and month), writes the sheet with xlsxwriter, then times: calamine reading the sheet;
the dry run (read and validate everything); the real import (read, validate, write, audit, totals), and how much
of it the database spent executing statements.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


from benchdb import use_fresh_database  # noqa: E402


def main():  # noqa: C901
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--undo", action="store_true", help="also time undoing the import")
    parser.add_argument("--profile", action="store_true", help="print where the real import spends its time")
    args = parser.parse_args()
    tmp = use_fresh_database()  # noqa: F841  (kept alive for the run)
    import django

    django.setup()
    import xlsxwriter
    from django.core.management import call_command
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from zhaoshang.closing.models import ClosedMonth
    from zhaoshang.core.periods import add_months, current_month, format_month
    from zhaoshang.org.models import Unit
    from zhaoshang.projects.models import Project
    from zhaoshang.sheets.services import run_import

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    ClosedMonth.objects.all().delete()  # the bench writes into the past year's months too
    months = [add_months(current_month(), -i) for i in range(1, 21)]  # 20 finished months
    needed = -(-args.rows // len(months))
    towns = list(Unit.objects.filter(kind="乡镇"))
    existing = Project.objects.count()
    Project.objects.bulk_create(
        [
            Project(
                code=f"BENCH{i:06d}",
                name=f"基准项目{i}",
                responsible_unit=towns[i % len(towns)],
                stage="签约",
                funding_type="内资",
            )
            for i in range(max(0, needed - existing))
        ],
        batch_size=5000,
    )
    codes = list(Project.objects.values_list("code", flat=True)[:needed])

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    for col, title in enumerate(["项目编号", "月份", "到位资金"]):
        sheet.write_string(0, col, title)
    row = 0
    for code in codes:
        for month in months:
            if row >= args.rows:
                break
            row += 1
            sheet.write_string(row, 0, code)
            sheet.write_string(row, 1, format_month(month))
            sheet.write_number(row, 2, (row % 997) + 0.25)
    book.close()
    data = buffer.getvalue()
    print(f"database: {connection.vendor}; rows: {row:,}; file: {len(data) / 1024 / 1024:.1f} MB")

    start = time.perf_counter()
    read_rows = sum(1 for _ in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows())
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    dry = run_import("funds", data, file_name="bench.xlsx", actor=None, dry_run=True)
    dry_s = time.perf_counter() - start
    assert dry.ok, dry.errors[:5]
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    statements = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - began, " ".join(sql.split())[:110]))

    with connection.execute_wrapper(timed):
        start = time.perf_counter()
        real = run_import("funds", data, file_name="bench.xlsx", actor=None, dry_run=False)
        import_s = time.perf_counter() - start
    if args.profile:
        profiler.disable()
        print("slowest statements:")
        for seconds, sql in sorted(statements, reverse=True)[:8]:
            print(f"  {seconds:6.3f} s  {sql}")
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
        stats.print_stats(os.environ.get("BENCH_FILTER", ""), 25)
        if os.environ.get("BENCH_CALLERS"):
            stats.print_callers(os.environ["BENCH_CALLERS"])  # BENCH_FILTER=zhaoshang: our own code only
    assert real.ok and real.created + real.updated == row, real.summary()
    print(f"calamine read ({read_rows:,} rows): {read_s:.2f} s")
    print(f"dry run (read + validate):       {dry_s:.2f} s  ({dry_s / read_s:.1f}× the read)")
    print(f"import (read + validate + write): {import_s:.2f} s  ({import_s / read_s:.1f}× the read; budget ≤ 4×)")
    # What the database alone spends on the statements (the commit's deferred foreign-key checks come on top):
    # the floor any amount of Python tuning leaves.
    in_database = sum(seconds for seconds, _ in statements)
    print(f"  of which SQL statements:        {in_database:.2f} s  ({in_database / read_s:.1f}× the read)")
    if args.undo:
        from zhaoshang.sheets.models import ImportLog
        from zhaoshang.sheets.undo import import_undo

        start = time.perf_counter()
        restored = import_undo(actor=None, log=ImportLog.objects.get(pk=real.log_id), source="command")
        undo_s = time.perf_counter() - start
        print(f"undo of the import ({restored:,} rows): {undo_s:.2f} s  ({undo_s / import_s:.1f}× the import)")


if __name__ == "__main__":
    main()
