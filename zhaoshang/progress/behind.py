"""Key projects behind their year's plan: the bulletin's table, the 调度 material and the dispatch agenda all read
this one list.

Computed in the database (the plans joined to the year's 完成投资, summed, kept where behind 序时, ordered by
completion): a city has thousands of key projects and a document shows the worst N of them with the count of the
rest, so only those N rows ever reach Python."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import connection

from zhaoshang.core.money import CENT
from zhaoshang.org.models import Unit
from zhaoshang.progress.rules import completion_rate, gap_pp, light
from zhaoshang.projects.models import AnnualPlan, MonthlyInvestment, Project


@dataclass
class Behind:
    rows: list[dict]  # the worst `limit`, worst first
    total: int  # how many are behind in all


def _num(value):
    """As the bulletin's snapshot keeps figures: decimals as strings, exact to the cent, ratios unrounded."""
    if value is None:
        return None
    cents = value.quantize(CENT)
    return str(cents if cents == value else value)


def _behind_sql(root, month: date, schedule: Decimal, limit: int | None) -> tuple[str, list]:
    """The year's plans of the subtree's key projects whose 完成投资 January..month is below plan × 序时, with
    `done` summed, worst (lowest completion) first, each row carrying COUNT(*) OVER (): the count of every plan
    behind, which the database computes after the filter and before the LIMIT (SQLite 3.25+ and PostgreSQL).
    序时 as a fraction (11/12, not 0.91666…67), so a project exactly on schedule is not counted behind, as
    rules.gap_pp has it.

    Written in SQL with the sums as a derived table joined once: the ORM can only put the year's sum in a
    correlated subquery, and the filter, the order and the select each repeated it (on a city root that made the
    one list 85–113 ms, most of a cold 调度 page; joined once it is about half)."""
    ratio = Fraction(schedule).limit_denominator(10**6)
    plan, project = AnnualPlan._meta.db_table, Project._meta.db_table
    investment, unit = MonthlyInvestment._meta.db_table, Unit._meta.db_table
    path = root.path + "%"  # a materialised path is digits and slashes ("/1/4/"): nothing to escape
    sql = f"""
        WITH plans AS (
            SELECT ap.project_id, ap.amount
            FROM {plan} ap
            JOIN {project} p ON p.id = ap.project_id
            JOIN {unit} u ON u.id = p.responsible_unit_id
            WHERE ap.year = %s AND ap.amount > 0 AND p.key_level <> '' AND u.path LIKE %s
        ),
        done AS (
            SELECT mi.project_id, SUM(mi.amount) AS done
            FROM {investment} mi
            JOIN plans ON plans.project_id = mi.project_id
            WHERE mi.month >= %s AND mi.month <= %s
            GROUP BY mi.project_id
        ),
        behind AS (
            SELECT plans.project_id, plans.amount, COALESCE(done.done, 0) AS done
            FROM plans LEFT JOIN done ON done.project_id = plans.project_id
            WHERE COALESCE(done.done, 0) * %s < plans.amount * %s
        )
        SELECT b.project_id, p.code, p.name, u.name, p.key_level, p.leader_in_charge, b.amount, b.done,
               COUNT(*) OVER ()
        FROM behind b
        JOIN {project} p ON p.id = b.project_id
        JOIN {unit} u ON u.id = p.responsible_unit_id
        ORDER BY b.done * 1.0 / b.amount, p.code
    """
    params = [month.year, path, date(month.year, 1, 1), month, ratio.denominator, ratio.numerator]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return sql, params


def _amount(value) -> Decimal:
    """A summed or stored amount as Decimal to the cent: SQLite returns a decimal column's values and sums as
    floats (as Django's own converters do, through repr); PostgreSQL returns Decimal."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(CENT) if isinstance(value, float) else Decimal(value).quantize(CENT)


def _rows(root, month: date, schedule: Decimal, limit: int | None):
    sql, params = _behind_sql(root, month, schedule, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor.fetchall()


def _row(values, schedule: Decimal) -> dict:
    project_id, code, name, unit, level, leader, amount, done = values[:8]
    amount, done = _amount(amount), _amount(done)
    rate = completion_rate(done, amount)
    gap = gap_pp(rate, schedule)
    return {
        "project_id": project_id,  # so a 调度 agenda item names its project (coordination.meetings)
        "code": code,
        "name": name,
        "unit": unit,
        "level": level,
        "leader": leader,
        "plan": _num(amount),
        "done": _num(done),
        "completion_rate": _num(rate),
        "schedule_gap_pp": _num(gap),
        "light": light(gap),
    }


def worst_behind(root, month: date, schedule: Decimal, limit: int) -> Behind:
    """The `limit` key projects furthest behind, and how many are behind in all: one query at any scale (with
    `limit` 0, one row is read for the count only)."""
    found = list(_rows(root, month, schedule, max(limit, 1)))
    total = found[0][-1] if found else 0
    return Behind([_row(values, schedule) for values in found[: max(limit, 0)]], total)


def key_projects_behind(root, month: date, schedule: Decimal) -> list[dict]:
    """Every key project of the subtree behind its year's plan's 序时进度, worst first: the Excel 附表's full list
    (and the figures' recomputation). A page or a document shows worst_behind's N instead."""
    return [_row(values, schedule) for values in _rows(root, month, schedule, None)]
