"""Issuing a bulletin: freeze the period's snapshot and text, with what changed since the previous one."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.audit.models import Source
from zhaoshang.audit.services import diff, record
from zhaoshang.bulletins import columns
from zhaoshang.bulletins.chains import TABLES, full_chain_lists
from zhaoshang.bulletins.models import Bulletin, IssuingOffice, ObservationPick
from zhaoshang.bulletins.office import (
    FIELDS,
    LIST_LIMIT,
    LIST_LIMIT_MAX,
    LIST_LIMIT_MIN,
    doc_number,
    letterhead_for,
    take_numbers,
)
from zhaoshang.bulletins.snapshot import build_snapshot
from zhaoshang.bulletins.text import bulletin_text, period_words
from zhaoshang.core.periods import current_month, month_start, today
from zhaoshang.org.ownership import require_manages
from zhaoshang.org.scoping import require_bureau_admin
from zhaoshang.progress.behind import key_projects_behind


def latest_issued(unit, before: date | None = None) -> Bulletin | None:
    issued = Bulletin.objects.filter(unit=unit)
    if before is not None:
        issued = issued.filter(period__lt=before)
    # The draft compares with its snapshot only: not the 附表's full lists (a city's ran to megabytes).
    return issued.order_by("-period", "-issued_at").defer("annex_rows").first()


def bulletin_title(unit, month: date) -> str:
    return f"关于{month.year}年{period_words(month.month)}{unit.name}招商引资和项目建设情况的通报"


def draft(unit, month: date) -> tuple[dict, str, Bulletin | None]:
    """The snapshot and text as they would be issued now, and the previous issued bulletin they compare with."""
    previous = latest_issued(unit, before=month_start(month))
    snapshot = build_snapshot(unit, month_start(month))
    return snapshot, bulletin_text(snapshot, previous.snapshot if previous else None), previous


def full_lists(unit, month: date, snapshot: dict) -> dict:
    """The lists the snapshot holds only the worst N of, in full (for the Excel 附表): {} when they are whole."""
    full = full_chain_lists(unit, month_start(month), snapshot)
    rows = snapshot.get("key_projects_behind", [])
    if snapshot.get("key_projects_behind_total", len(rows)) <= len(rows):
        return full
    schedule = Decimal(snapshot["schedule_rate"])
    return {**full, "key_projects_behind": key_projects_behind(unit, month_start(month), schedule)}


REQUIREMENTS_MAX = 2000


def earlier_requirements(unit) -> list[Bulletin]:
    """The unit's own issued bulletins that closed with a 工作要求, newest first, one per distinct text: what
    the bureau may pick from when it issues the next one."""
    seen, picks = set(), []
    for bulletin in Bulletin.objects.filter(unit=unit).exclude(requirements="").only("pk", "title", "requirements"):
        if bulletin.requirements not in seen:
            seen.add(bulletin.requirements)
            picks.append(bulletin)
    return picks


def _requirements(unit, written: str, picked_from: int | None) -> str:
    written = (written or "").strip().replace("\r\n", "\n")
    if not written and picked_from is not None:
        earlier = Bulletin.objects.filter(unit=unit, pk=picked_from).first()  # only the unit's own
        if earlier is None:
            raise ValidationError({"requirements": "所选的工作要求不是本单位以前通报中的"})
        written = earlier.requirements
    if len(written) > REQUIREMENTS_MAX:
        raise ValidationError({"requirements": f"工作要求不能超过{REQUIREMENTS_MAX}字（现为{len(written)}字）"})
    return written


@transaction.atomic
def bulletin_issue(
    *,
    actor,
    unit,
    month: date,
    requirements: str = "",
    requirements_from: int | None = None,
    source: str = Source.PAGE,
) -> Bulletin:
    """Freeze the period's snapshot and text and give the bulletin its 发文字号 and 简报期号 (the next of the
    issuing unit in the year of issue), with the office's settings and the closing 工作要求 as issued."""
    require_bureau_admin(actor, "印发通报")
    require_manages(actor, unit, "印发该单位的通报")  # a county's bureau issues for its own subtree only
    month = month_start(month)
    if month >= current_month():
        raise ValidationError("本月尚未结束，不能印发本月通报")
    closing = _requirements(unit, requirements, requirements_from)
    snapshot, text, previous = draft(unit, month)
    snapshot["text"] = text
    letterhead = letterhead_for(unit)
    year = today().year
    number, issue_no = take_numbers(unit, year)
    bulletin = Bulletin.objects.create(
        unit=unit,
        period=month,
        title=bulletin_title(unit, month),
        text=text,
        snapshot=snapshot,
        issued_by=actor,
        previous=previous,
        number_year=year,
        number=number,
        doc_number=doc_number(letterhead["number_prefix"], year, number),
        issue_no=issue_no,
        letterhead=letterhead,
        requirements=closing,
        annex_rows=full_lists(unit, month, snapshot),
    )
    record(
        actor,
        action="bulletin.issued",
        target=bulletin,
        source=source,
        data={
            "period": snapshot["period"],
            "previous": previous.pk if previous else None,
            "doc_number": bulletin.doc_number,
            "issue_no": issue_no,
        },
    )
    return bulletin


def _annex_columns(codes) -> tuple[list[str], str]:
    """The annex columns to keep, in the registry's order, and what is wrong with them. None ticked, or exactly
    the default set, is kept as [] (the default, which follows the registry if it changes)."""
    codes = list(codes or [])
    tables = [code for code in TABLES if code in codes]  # the optional tables (bulletins/chains.py), kept after
    codes = [code for code in codes if code not in TABLES]
    unknown = [code for code in codes if code not in columns.BY_CODE]
    if unknown:
        return [], f"附件排名表没有这些栏目：{'、'.join(unknown)}"
    ordered = [column.code for column in columns.COLUMNS if column.code in codes]
    if tables and not ordered:
        ordered = list(columns.DEFAULT_COLUMNS)  # stored with the tables, so the list never reads as "no columns"
    return ([] if ordered == columns.DEFAULT_COLUMNS and not tables else ordered + tables), ""


@transaction.atomic
def office_save(*, actor, unit, values: dict, source: str = Source.PAGE) -> IssuingOffice:
    """Save how `unit`'s office issues its bulletins; its own bureau (or one above) only."""
    require_bureau_admin(actor, "修改发文设置")
    require_manages(actor, unit, "修改该单位的发文设置")
    office = IssuingOffice.objects.select_for_update().filter(unit=unit).first() or IssuingOffice(unit=unit)
    saved = (*FIELDS, "annex_columns", "list_limit")
    before = {name: getattr(office, name) for name in saved} if office.pk else {}
    errors = {}
    for name in FIELDS:
        value = " ".join((values.get(name) or "").split())  # one line each: they are printed on one line
        field = IssuingOffice._meta.get_field(name)
        if not value and not field.blank:
            errors[name] = f"请填写{field.verbose_name}"
        elif len(value) > field.max_length:
            errors[name] = f"{field.verbose_name}不能超过{field.max_length}字（现为{len(value)}字）"
        setattr(office, name, value)
    office.annex_columns, problem = _annex_columns(
        [*(values.get("annex_columns") or []), *(values.get("annex_tables") or [])]
    )
    if problem:
        errors["annex_columns"] = problem
    limit = values.get("list_limit")
    office.list_limit = LIST_LIMIT if limit in (None, "") else limit
    if not isinstance(office.list_limit, int) or not LIST_LIMIT_MIN <= office.list_limit <= LIST_LIMIT_MAX:
        errors["list_limit"] = f"清单列示条数应为{LIST_LIMIT_MIN}到{LIST_LIMIT_MAX}之间的整数"
    if errors:
        raise ValidationError(errors)
    office.save()
    changed = diff(before, {name: getattr(office, name) for name in saved})
    if changed:
        record(actor, action="bulletin.office_saved", target=office, source=source, data=changed)
    return office


@transaction.atomic
def observation_pick(*, actor, project, month: date, picked: bool, source: str = Source.PAGE) -> bool:
    """Pick (or unpick) a project for the month's 观摩. True when something changed."""

    month = month_start(month)
    existing = ObservationPick.objects.filter(project=project, month=month).first()
    if picked == (existing is not None):
        return False
    if picked:
        ObservationPick.objects.create(project=project, month=month, picked_by=actor)
    else:
        existing._meta.model.objects.filter(pk=existing.pk).delete()
    record(
        actor,
        action="observation.picked" if picked else "observation.unpicked",
        target=project,
        source=source,
        data={"month": f"{month:%Y-%m}"},
    )
    return True
