"""Who may open which page and make which write: one matrix over every route of the product.

Each row of CASES is one request (a page, or a write with its form data); its columns are what each user gets:

    anonymous   → sent to /login/ (LOGIN)
    reporter    填报员 of 甲镇 (reads 甲镇 and 甲镇工业园, writes 甲镇 only)
    unit_head   单位负责人 of 甲镇 (reads and writes 甲镇 and 甲镇工业园)
    outsider    填报员 of 乙镇 (another town: 甲镇's projects do not exist for it, 404)
    leader      县领导 (reads everything, writes nothing: 403)
    auditor     审计员 (the audit log only)
    sysadmin    系统管理员 (units and accounts only, no business data)
    bureau      主管部门管理员 at the root (everything, plus months, rates, targets, campaigns)

The matrix runs on a city install (tests/conftest.py `city`): 测试县 sits below 测试市 beside a neighbouring county
邻县, so the bureau column is a county's bureau, not the root's (USD rates are the root's: 403). Every route is
also asked by each of 邻县's users (test_it_holds_the_county_boundary_on_every_route): none of them may see a
record, a name or a figure of 测试县, nor change anything of it.

Every cell runs on its own fresh install, so a write that succeeds for one user cannot hide a refusal for another.
A refused write must leave no trace (the write's effect absent, no audit entry); a successful one redirects,
happens, and is audited under the user who made it.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.assessment import matrix_setups as assessment_setups
from tests.assessment import matrix_setups_schemes as scheme_setups
from tests.carriers import matrix_setups as carrier_setups
from tests.construction import matrix_setups as approval_setups
from tests.coordination import matrix_setups as problem_setups
from tests.downloads import matrix_setups as download_setups
from tests.evidence import matrix_setups as evidence_setups
from tests.factories import credit_code, default_signing_day
from tests.frontline import matrix_setups_deadlines as deadline_setups
from tests.frontline import matrix_setups_leads as lead_setups
from tests.frontline import matrix_setups_trips as trip_setups
from tests.honours import matrix_setups as honours_setups
from tests.industry import matrix_setups as target_setups
from tests.notifications import matrix_setups as notification_setups
from tests.observation import matrix_setups as observation_setups
from tests.outreach import matrix_setups as outreach_setups
from tests.progress import matrix_setups_chains as chain_setups
from tests.quality import matrix_setups as quality_setups
from tests.verification import matrix_setups as verification_setups
from tests.xlsx_cells import content
from zhaoshang.audit.models import AuditEntry
from zhaoshang.bulletins import services as bulletin_services
from zhaoshang.bulletins.models import Bulletin, IssuingOffice, ObservationPick
from zhaoshang.closing import services as closing_services
from zhaoshang.closing.models import ClosedMonth
from zhaoshang.coordination.meeting_models import AgendaItem, MeetingTask
from zhaoshang.core.periods import add_months, current_month, format_month, today
from zhaoshang.notifications.models import Notification
from zhaoshang.org.models import AssessmentGroup, Unit
from zhaoshang.progress import services as progress_services
from zhaoshang.progress.models import Campaign, CampaignTarget, EconomicFigure, Target
from zhaoshang.projects.models import MonthlyFunds, Project, UsdRate
from zhaoshang.projects.services import EDITABLE_FIELDS
from zhaoshang.reporting.models import UnitMonthReport
from zhaoshang.sheets.models import ImportLog

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "reporter", "unit_head", "outsider", "leader", "auditor", "sysadmin", "bureau")

LAST = add_months(current_month(), -1)  # the month units report on (open)
PAST = add_months(current_month(), -2)  # a finished month the bureau may close
YEAR = current_month().year


# --- What a cell may say -------------------------------------------------------------------------------------------


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


LOGIN = _Marker("LOGIN")  # 302 to /login/?next=<the page asked for>
ADMIN_LOGIN = _Marker("ADMIN_LOGIN")  # 302 to the system admin site's login, which shows none of the site
DONE = _Marker("DONE")  # 302 onwards (not to a login), the write happened and was audited


@dataclass(frozen=True)
class Redirect:
    to: str  # 302 to exactly this path (the home page sends some roles elsewhere)


# --- Form data -----------------------------------------------------------------------------------------------------

EDIT_FIELDS = EDITABLE_FIELDS  # what the edit form posts
NEW_NAME = "权限矩阵改名"
NEW_CODE = "XM-PERM-1"
NEW_UNIT = "权限矩阵新单位"
NEW_GROUP = "权限矩阵考核组"
NEW_CAMPAIGN = "权限矩阵专项活动"
RATE = Decimal("7.1234")


def edit_data(project):
    """The project's own values as the edit form posts them, with a new name."""
    values = model_to_dict(project, fields=EDIT_FIELDS)
    return {k: ("" if v is None else v) for k, v in {**values, "name": NEW_NAME}.items()}


def create_data(c):
    return {
        "code": NEW_CODE,
        "name": "权限矩阵新项目",
        "investor": "权限测试投资有限公司",
        "credit_code": credit_code(99001),
        "funding_type": "内资",
        "responsible_unit": c.town.pk,
        "team": "",
        "leader_in_charge": "",
        "industry_chain": "",
        "stage": "签约",
        "signed_on": default_signing_day().isoformat(),
        "contract_amount": "5000",
        "planned_total": "",
        "started_on": "",
        "production_on": "",
        "key_level": "",
    }


def edit_data_of(which):
    """edit_data of the install's project of that attribute ("project", "park_project")."""
    return lambda c: edit_data(getattr(c, which))


def stage_data(c):
    return {"to_stage": "注册", "on_date": today().isoformat(), "contract_amount": "", "reason": ""}


def project_now(field, value):
    """A write's check for project_writes: has the project (named as the install's attribute) that value now?"""

    def check_for(which):
        return lambda c: getattr(Project.objects.get(pk=getattr(c, which).pk), field) == value

    return check_for


def group_lists_data(c):
    return {
        key: value
        for g in AssessmentGroup.objects.all()
        for key, value in ((f"red-{g.pk}", "7"), (f"black-{g.pk}", "1"))
    }


def unit_add_data(c):
    return {
        "name": NEW_UNIT,
        "kind": "乡镇",
        "parent": c.root.pk,
        "group": "",
        "sort_order": "0",
        "is_active": "on",
        "_save": "保存",
    }


def shares():
    return {f"split-{m}": str(m * 5 if m < 12 else 100) for m in range(1, 13)}


# --- What must exist before the request ----------------------------------------------------------------------------


def close_past_month(c):
    closing_services.month_close(actor=c.bureau, month=PAST)


def make_campaign(c):
    campaign = Campaign(name=NEW_CAMPAIGN, start_month=add_months(current_month(), -3), end_month=current_month())
    progress_services.campaign_save(actor=c.bureau, campaign=campaign)


def make_target(c):
    progress_services.targets_save(actor=c.bureau, year=YEAR, cells={(c.town, "domestic_arrived_wan"): Decimal(1200)})


def issue_bulletin(c):
    bulletin_services.bulletin_issue(actor=c.bureau, unit=c.root, month=LAST)


def make_observation_candidate(c):
    """甲镇's project, a third of its planned total invested: a 观摩 candidate."""
    from zhaoshang.projects import figures
    from zhaoshang.projects import services as project_services

    project_services.project_update(
        actor=c.bureau, project=c.project, values={"key_level": "县重点", "planned_total": Decimal("300")}
    )
    c.project.refresh_from_db()
    figures.monthly_investment_set(actor=c.bureau, project=c.project, month=LAST, amount=Decimal("100"))


def import_funds_as_reporter(c):
    import io

    import xlsxwriter

    from zhaoshang.sheets.services import run_import

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for col, value in enumerate(["项目编号", "月份", "到位资金", None, c.project.code, format_month(LAST), 15]):
        if value is not None:
            sheet.write(col // 4, col % 4, value)
    book.close()
    result = run_import("funds", buffer.getvalue(), file_name="到位资金.xlsx", actor=c.reporter, dry_run=False)
    assert result.ok, result.errors


def make_meeting(c):
    from zhaoshang.coordination import meetings

    meeting = meetings.meeting_create(actor=c.bureau, unit=c.root, held_on=today())
    meetings.agenda_item_add(actor=c.bureau, meeting=meeting, title="权限矩阵议题")


def make_task(c):
    from zhaoshang.coordination import meetings

    make_meeting(c)
    meetings.agenda_item_decide(
        actor=c.bureau, item=first_item(), decision="权限矩阵议定", owner=c.town, deadline=today()
    )


def first_item():
    return AgendaItem.objects.get(title="权限矩阵议题")


def meeting_pk():
    return first_item().meeting_id


def task_pk():
    return MeetingTask.objects.get().pk


def campaign_pk():
    return Campaign.objects.get(name=NEW_CAMPAIGN).pk


# --- The matrix ----------------------------------------------------------------------------------------------------


@dataclass
class Case:
    route: str  # the URL name (the coverage test checks every route has a row)
    label: str
    method: str
    url: Callable
    expected: tuple  # one cell per USERS, in that order
    data: Callable | None = None
    setup: Callable | None = None
    done: Callable | None = None  # writes: has the write happened?
    action: str | None = None  # writes: the audit action a successful write records

    @property
    def id(self):
        return f"{self.route}{'-' + self.label if self.label else ''}-{self.method}"


def page(route, label, url, expected, setup=None):
    return Case(route, label, "GET", url, expected, setup=setup)


def write(route, label, url, expected, data, done, action, setup=None):
    return Case(route, label, "POST", url, expected, data=data, setup=setup, done=done, action=action)


def r(name, *args):
    return lambda c: reverse(name, args=[a(c) if callable(a) else a for a in args])


def with_query(name, **params):
    def build(c):
        query = "&".join(f"{k}={v(c) if callable(v) else v}" for k, v in params.items())
        return f"{reverse(name)}?{query}"

    return build


project = lambda c: c.project.pk  # noqa: E731  in 甲镇
park = lambda c: c.park_project.pk  # noqa: E731  in 甲镇工业园, below 甲镇
other = lambda c: c.other_project.pk  # noqa: E731  in 乙镇
other_town = lambda c: c.other_town.pk  # noqa: E731
town_park = lambda c: c.town_park.pk  # noqa: E731
in_campaign = lambda c: campaign_pk()  # noqa: E731

BUSINESS_READ = (LOGIN, 200, 200, 200, 200, 403, 403, 200)
BUSINESS_WRITE_PAGE = (LOGIN, 200, 200, 200, 403, 403, 403, 200)
FRONT_LINE_SHEETS = ("trips", "receptions", "leads", "followups")
BUREAU_PAGE = (LOGIN, 403, 403, 403, 403, 403, 403, 200)
BUREAU_WRITE = (LOGIN, 403, 403, 403, 403, 403, 403, DONE)
OTHER_UNIT_READ = (LOGIN, 404, 404, 200, 200, 403, 403, 200)  # ?unit=乙镇 on a business page
SYSADMIN_PAGE = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN)
SYSADMIN_WRITE = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, DONE, ADMIN_LOGIN)
OWN_WRITE = (LOGIN, DONE, DONE, 404, 403, 403, 403, DONE)  # a write of 甲镇's: its reporter and unit head, the bureau
BELOW_WRITE = (LOGIN, 403, DONE, 404, 403, 403, 403, DONE)  # of 甲镇工业园's, below 甲镇: its unit head, the bureau
OWN_WRITE_PAGE = (LOGIN, 200, 200, 404, 403, 403, 403, 200)  # the form of such a write on 甲镇's project
BELOW_WRITE_PAGE = (LOGIN, 403, 200, 404, 403, 403, 403, 200)  # and on 甲镇工业园's


def project_writes(route, data, done, action, setup=None):
    """route's write on 甲镇's project ("own") and on 甲镇工业园's ("below"). data and done are made for the project
    they are given, named as the install's attribute ("project", "park_project")."""
    return [
        write(route, "own", r(route, project), OWN_WRITE, data("project"), done("project"), action, setup=setup),
        write(
            route, "below", r(route, park), BELOW_WRITE, data("park_project"), done("park_project"), action, setup=setup
        ),
    ]


def problem_step(route, expected, data, status, action, setup):
    """A step of 甲镇's problem through route's write, after which the problem stands at status."""
    url = r(route, problem_setups.town_problem_pk)
    return write(route, "", url, expected, data, problem_setups.status_is(status), action, setup=setup)


def trip_setups_cases():
    """The rows of the trips, receptions and follow-ups pages (tests/frontline/matrix_setups_trips.py)."""
    t = trip_setups
    made = t.records
    own_trip, other_trip = (lambda c: t.town_trip_pk(c)), (lambda c: t.other_trip_pk(c))
    own_reception, own_followup = (lambda c: t.town_reception_pk(c)), (lambda c: t.town_followup_pk(c))
    new_write = (LOGIN, DONE, DONE, 200, 403, 403, 403, DONE)  # 乙镇's reporter: 甲镇 is not among its units (form)
    author_write = (LOGIN, DONE, 403, 404, 403, 403, 403, DONE)  # the author (甲镇's reporter) or the bureau
    author_page = (LOGIN, 200, 403, 404, 403, 403, 403, 200)
    cases = []
    for kind, own, data, written, gone, action in (
        ("trip", own_trip, t.trip_data, t.trip_written, t.town_trip_gone, "trip"),
        ("reception", own_reception, t.reception_data, t.reception_written, t.town_reception_gone, "reception"),
    ):
        cases += [
            page(f"{kind}_list", "", r(f"{kind}_list"), BUSINESS_READ, setup=made),
            page(f"{kind}_list", "xlsx", with_query(f"{kind}_list", format="xlsx"), BUSINESS_READ, setup=made),
            page(f"{kind}_create", "", r(f"{kind}_create"), BUSINESS_WRITE_PAGE),
            write(f"{kind}_create", "", r(f"{kind}_create"), new_write, data, written, f"{action}.created"),
            page(f"{kind}_detail", "own", r(f"{kind}_detail", own), (LOGIN, 200, 200, 404, 200, 403, 403, 200), made),
            page(f"{kind}_edit", "", r(f"{kind}_edit", own), OWN_WRITE_PAGE, setup=made),
            write(f"{kind}_edit", "", r(f"{kind}_edit", own), OWN_WRITE, data, written, f"{action}.updated", made),
            write(
                f"{kind}_delete", "", r(f"{kind}_delete", own), OWN_WRITE, lambda c: {}, gone, f"{action}.deleted", made
            ),
        ]
    return [
        *cases,
        page("trip_detail", "other-town", r("trip_detail", other_trip), OTHER_UNIT_READ, setup=made),
        page("trip_lead_search", "", with_query("trip_lead_search", q="2"), BUSINESS_READ, setup=made),
        page("followup_list", "", r("followup_list"), BUSINESS_READ, setup=made),
        page("followup_list", "xlsx", with_query("followup_list", format="xlsx"), BUSINESS_READ, setup=made),
        page("followup_create", "own", r("followup_create", project), OWN_WRITE_PAGE),
        *project_writes(
            "followup_create", lambda which: t.followup_data, lambda which: t.followup_written, "followup.created"
        ),
        page("followup_edit", "", r("followup_edit", own_followup), author_page, setup=made),
        write(
            "followup_edit",
            "",
            r("followup_edit", own_followup),
            author_write,
            t.followup_data,
            t.followup_written,
            "followup.updated",
            made,
        ),
        write(
            "followup_delete",
            "",
            r("followup_delete", own_followup),
            author_write,
            lambda c: {},
            t.town_followup_gone,
            "followup.deleted",
            made,
        ),
    ]


def target_setups_cases():
    """The rows of the target-enterprise library (tests/industry/matrix_setups.py): a unit's targets, read by its
    subtree and the county, written (and linked to work) by its writers and the bureau."""
    t = target_setups
    own = lambda c: t.town_target_pk(c)  # noqa: E731
    new_write = (LOGIN, DONE, DONE, 200, 403, 403, 403, DONE)  # 乙镇's reporter: 甲镇 is not among its units (form)
    return [
        page("target_list", "", r("target_list"), BUSINESS_READ, setup=t.records),
        page("target_list", "xlsx", with_query("target_list", format="xlsx"), BUSINESS_READ, setup=t.records),
        page("target_create", "", r("target_create"), BUSINESS_WRITE_PAGE),
        write("target_create", "", r("target_create"), new_write, t.target_data, t.written, "enterprise.created"),
        page("target_detail", "own", r("target_detail", own), (LOGIN, 200, 200, 404, 200, 403, 403, 200), t.records),
        page("target_edit", "", r("target_edit", own), OWN_WRITE_PAGE, setup=t.records),
        write(
            "target_edit",
            "",
            r("target_edit", own),
            OWN_WRITE,
            t.target_data,
            t.written,
            "enterprise.updated",
            t.records,
        ),
        write(
            "target_delete",
            "",
            r("target_delete", own),
            OWN_WRITE,
            lambda c: {},
            t.gone,
            "enterprise.deleted",
            t.records,
        ),
        page("target_work_search", "", r("target_work_search", own), OWN_WRITE_PAGE, setup=t.records),
        write(
            "target_link",
            "",
            r("target_link", own),
            OWN_WRITE,
            t.link_data,
            t.trip_linked,
            "enterprise.trip_linked",
            t.records,
        ),
        write(
            "target_unlink",
            "",
            r("target_unlink", own),
            OWN_WRITE,
            t.link_data,
            t.trip_unlinked,
            "enterprise.trip_unlinked",
            t.linked,
        ),
        page("sheet_template", "enterprises", r("sheet_template", "enterprises"), BUSINESS_WRITE_PAGE),
    ]


def scheme_setups_cases():
    """The rows of the scheme pages (tests/assessment/matrix_setups_schemes.py): 测试县's scheme, read by its bureau
    and its leader, written by its bureau only; a town's users are refused by role (403), 邻县's get 404."""
    m = scheme_setups
    made, scheme, item = m.scheme, (lambda c: m.scheme_pk(c)), (lambda c: m.item_pk(c))
    reader = (LOGIN, 403, 403, 403, 200, 403, 403, 200)
    return [
        page("assessment_list", "", r("assessment_list"), reader, setup=made),
        page("assessment_create", "", r("assessment_create"), BUREAU_PAGE),
        write("assessment_create", "", r("assessment_create"), BUREAU_WRITE, m.new_data, m.named_new,
              "assessment.scheme_created"),
        page("assessment_upload", "", r("assessment_upload"), BUREAU_PAGE),
        write("assessment_upload", "", r("assessment_upload"), BUREAU_WRITE, m.upload_data, m.named_new,
              "assessment.scheme_created"),
        page("assessment_edit", "", r("assessment_edit", scheme), BUREAU_PAGE, setup=made),
        write("assessment_edit", "", r("assessment_edit", scheme), BUREAU_WRITE, m.heading_data, m.named_new,
              "assessment.scheme_updated", made),
        write("assessment_delete", "", r("assessment_delete", scheme), BUREAU_WRITE, lambda c: {}, m.gone,
              "assessment.scheme_deleted", made),
        page("assessment_json", "", r("assessment_json", scheme), reader, setup=made),
        page("assessment_inputs", "", r("assessment_inputs", scheme), reader, setup=made),
        write("assessment_inputs", "", r("assessment_inputs", scheme), BUREAU_WRITE, m.input_data, m.input_set,
              "assessment.input_set", made),
        page("assessment_item_create", "", r("assessment_item_create", scheme), BUREAU_PAGE, setup=made),
        write("assessment_item_create", "", r("assessment_item_create", scheme), BUREAU_WRITE, m.new_item_data,
              m.item_added, "assessment.item_added", made),
        page("assessment_item_edit", "", r("assessment_item_edit", scheme, item), BUREAU_PAGE, setup=made),
        write("assessment_item_edit", "", r("assessment_item_edit", scheme, item), BUREAU_WRITE, m.item_data,
              m.item_points_45, "assessment.item_updated", made),
        write("assessment_item_delete", "", r("assessment_item_delete", scheme, item), BUREAU_WRITE,
              lambda c: {}, m.item_gone, "assessment.item_deleted", made),
        write("assessment_item_move", "", r("assessment_item_move", scheme, item), BUREAU_WRITE,
              lambda c: {"dir": "down"}, m.item_moved, "assessment.item_moved", made),
        page("sheet_template", "assessment_inputs", r("sheet_template", "assessment_inputs"), BUREAU_PAGE,
             setup=made),
    ]  # fmt: skip


def honours_setups_cases():
    """The rows of the honours pages (tests/honours/matrix_setups.py): 测试县's round, proposed, with 甲镇's
    nomination. The county's bureau writes; its leader reads; the townships see the round (their own nominations
    until 定稿) and nominate for their own unit."""
    h = honours_setups
    made = h.records
    rnd = h.round_pk
    unit_read = (LOGIN, 200, 200, 200, 200, 403, 403, 200)
    whole_read = (LOGIN, 403, 403, 403, 200, 403, 403, 200)  # the 表彰决定 draft: not a township's before 定稿
    new_write = (LOGIN, DONE, DONE, 200, 403, 403, 403, DONE)  # 乙镇's reporter: 甲镇 is not among its units (form)
    new_url = with_query("honours_new", publication=h.new_publication_pk)
    return [
        page("honours_list", "", r("honours_list"), BUSINESS_READ, setup=made),
        page("honours_new", "", r("honours_new"), BUREAU_PAGE, setup=h.new_publication),
        page("honours_new", "publication", new_url, BUREAU_PAGE, setup=h.new_publication),
        write("honours_new", "", new_url, BUREAU_WRITE, h.round_data, h.created, "honours.created", h.new_publication),
        page("honours_detail", "", r("honours_detail", rnd), unit_read, setup=made),
        page("honours_detail", "docx", lambda c: r("honours_detail", rnd)(c) + "?format=docx", whole_read, made),
        page("honours_detail", "xlsx", lambda c: r("honours_detail", rnd)(c) + "?format=xlsx", unit_read, made),
        page("honours_edit", "", r("honours_edit", rnd), BUREAU_PAGE, setup=made),
        write(
            "honours_edit", "", r("honours_edit", rnd), BUREAU_WRITE, h.round_data, h.created, "honours.updated", made
        ),
        write(
            "honours_propose",
            "",
            r("honours_propose", rnd),
            BUREAU_WRITE,
            lambda c: {},
            h.proposed,
            "honours.proposed",
            h.unproposed,
        ),
        write(
            "honours_unit_add",
            "",
            r("honours_unit_add", rnd),
            BUREAU_WRITE,
            h.add_data,
            h.added,
            "honours.unit_added",
            made,
        ),
        write(
            "honours_unit_remove",
            "",
            r("honours_unit_remove", h.town_unit_pk),
            BUREAU_WRITE,
            h.remove_data,
            h.removed,
            "honours.unit_removed",
            made,
        ),
        page("honours_nominate", "", r("honours_nominate", rnd), BUSINESS_WRITE_PAGE, setup=made),
        write(
            "honours_nominate",
            "",
            r("honours_nominate", rnd),
            new_write,
            h.nominate_data,
            h.nominated,
            "honours.nominated",
            made,
        ),
        write(
            "honours_decide",
            "",
            r("honours_decide", h.nomination_pk),
            BUREAU_WRITE,
            h.decide_data,
            h.approved,
            "honours.nomination_decided",
            made,
        ),
        write(
            "honours_finalize",
            "",
            r("honours_finalize", rnd),
            BUREAU_WRITE,
            lambda c: {},
            h.final,
            "honours.finalized",
            h.decided,
        ),
    ]


def carrier_setups_cases():
    """The rows of the carriers pages (tests/carriers/matrix_setups.py): 甲镇's carrier, its occupancy and photo."""
    m = carrier_setups
    made = m.records
    carrier, occupancy, photo = (
        (lambda c: m.town_carrier_pk(c)),
        (lambda c: m.town_occupancy_pk(c)),
        (lambda c: m.town_photo_pk(c)),
    )
    new_write = (LOGIN, DONE, DONE, 200, 403, 403, 403, DONE)  # 乙镇's reporter: 甲镇 is not among its units (form)
    own_read = (LOGIN, 200, 200, 404, 200, 403, 403, 200)
    return [
        page("carrier_list", "", r("carrier_list"), BUSINESS_READ, setup=made),
        page("carrier_list", "xlsx", with_query("carrier_list", format="xlsx"), BUSINESS_READ, setup=made),
        page("carrier_create", "", r("carrier_create"), BUSINESS_WRITE_PAGE),
        write("carrier_create", "", r("carrier_create"), new_write, m.create_data, m.created, "carrier.created"),
        page("carrier_detail", "own", r("carrier_detail", carrier), own_read, setup=made),
        page("carrier_edit", "", r("carrier_edit", carrier), OWN_WRITE_PAGE, setup=made),
        write(
            "carrier_edit", "", r("carrier_edit", carrier), OWN_WRITE, m.edit_data, m.edited, "carrier.updated", made
        ),
        write(
            "carrier_delete",
            "",
            r("carrier_delete", lambda c: m.empty_carrier_pk(c)),
            OWN_WRITE,
            lambda c: {},
            m.empty_gone,
            "carrier.deleted",
            made,
        ),
        page("occupancy_create", "", r("occupancy_create", carrier), OWN_WRITE_PAGE, setup=made),
        write(
            "occupancy_create",
            "",
            r("occupancy_create", carrier),
            OWN_WRITE,
            m.occupancy_data,
            m.occupancy_added,
            "occupancy.created",
            made,
        ),
        page("occupancy_edit", "", r("occupancy_edit", occupancy), OWN_WRITE_PAGE, setup=made),
        write(
            "occupancy_edit",
            "",
            r("occupancy_edit", occupancy),
            OWN_WRITE,
            m.occupancy_edit_data,
            m.occupancy_edited,
            "occupancy.updated",
            made,
        ),
        page("occupancy_end", "", r("occupancy_end", occupancy), OWN_WRITE_PAGE, setup=made),
        write(
            "occupancy_end",
            "",
            r("occupancy_end", occupancy),
            OWN_WRITE,
            m.end_data,
            m.ended,
            "occupancy.updated",
            made,
        ),
        write(
            "occupancy_delete",
            "",
            r("occupancy_delete", occupancy),
            OWN_WRITE,
            lambda c: {},
            m.occupancy_gone,
            "occupancy.deleted",
            made,
        ),
        write(
            "carrier_photo_upload",
            "",
            r("carrier_photo_upload", carrier),
            OWN_WRITE,
            m.photo_data,
            m.photo_added,
            "carrier.photo_added",
            made,
        ),
        page("carrier_photo", "", r("carrier_photo", photo), own_read, setup=made),
        write(
            "carrier_photo_delete",
            "",
            r("carrier_photo_delete", photo),
            OWN_WRITE,
            lambda c: {},
            m.photo_gone,
            "carrier.photo_deleted",
            made,
        ),
    ]


def quality_cases():
    """The rows of 数据质量 (issue 19; tests/quality/matrix_setups.py): a flag of 甲镇's project and one of
    甲镇工业园's, read by the county, explained by the writers of their unit, closed by the bureau; the rules'
    settings are the root's (the city's) bureau's, so the county's bureau is refused too."""
    m = quality_setups
    made = m.records
    own_read = (LOGIN, 200, 200, 404, 200, 403, 403, 200)
    nobody = (LOGIN, 403, 403, 403, 403, 403, 403, 403)
    town, park = (lambda c: m.town_flag_pk(c)), (lambda c: m.park_flag_pk(c))
    return [
        page("quality_list", "", r("quality_list"), BUSINESS_READ, setup=made),
        page("quality_flag", "", r("quality_flag", town), own_read, setup=made),
        write(
            "quality_explain",
            "own",
            r("quality_explain", town),
            OWN_WRITE,
            m.explain_data,
            m.explained("project"),
            "quality.explained",
            made,
        ),
        write(
            "quality_explain",
            "below",
            r("quality_explain", park),
            BELOW_WRITE,
            m.explain_data,
            m.explained("park_project"),
            "quality.explained",
            made,
        ),
        write(
            "quality_close", "", r("quality_close", town), BUREAU_WRITE, m.close_data, m.closed, "quality.closed", made
        ),
        page("quality_settings", "", r("quality_settings"), nobody),
        write(
            "quality_settings",
            "",
            r("quality_settings"),
            nobody,
            m.settings_data,
            m.settings_saved,
            "quality.setting_changed",
        ),
    ]


def outreach_setups_cases():
    """The rows of 宣传与培训 (issue 18; tests/outreach/matrix_setups.py): 甲镇's typical case and its photo, written
    by 甲镇's writers and the bureau, read by the county; the county bureau's training sessions, read by everyone
    of the county, written by the bureau only."""
    m = outreach_setups
    made = m.records
    case, photo, session = (lambda c: m.town_case_pk(c)), (lambda c: m.photo_pk(c)), (lambda c: m.session_pk(c))
    new_write = (LOGIN, DONE, DONE, 200, 403, 403, 403, DONE)  # 乙镇's reporter: 甲镇 is not among its units (form)
    own_read = (LOGIN, 200, 200, 404, 200, 403, 403, 200)
    return [
        page("case_list", "", r("case_list"), BUSINESS_READ, setup=made),
        page("case_list", "xlsx", with_query("case_list", format="xlsx"), BUSINESS_READ, setup=made),
        page("case_create", "", r("case_create"), BUSINESS_WRITE_PAGE),
        write("case_create", "", r("case_create"), new_write, m.case_data, m.created, "case.created"),
        page("case_detail", "own", r("case_detail", case), own_read, setup=made),
        page("case_edit", "", r("case_edit", case), OWN_WRITE_PAGE, setup=made),
        write("case_edit", "", r("case_edit", case), OWN_WRITE, m.edit_data, m.edited, "case.updated", made),
        write(
            "case_delete",
            "",
            r("case_delete", lambda c: m.empty_case_pk(c)),
            OWN_WRITE,
            lambda c: {},
            m.empty_gone,
            "case.deleted",
            made,
        ),
        write(
            "case_photo_upload",
            "",
            r("case_photo_upload", case),
            OWN_WRITE,
            m.photo_data,
            m.photo_added,
            "case.photo_added",
            made,
        ),
        page("case_photo", "", r("case_photo", photo), own_read, setup=made),
        write(
            "case_photo_delete",
            "",
            r("case_photo_delete", photo),
            OWN_WRITE,
            lambda c: {},
            m.photo_gone,
            "case.photo_deleted",
            made,
        ),
        page("training_list", "", r("training_list"), BUSINESS_READ, setup=made),
        page("training_hours", "", r("training_hours"), BUSINESS_READ, setup=made),
        page("training_hours", "xlsx", with_query("training_hours", format="xlsx"), BUSINESS_READ, setup=made),
        page("training_detail", "", r("training_detail", session), BUSINESS_READ, setup=made),
        page("training_create", "", r("training_create"), BUREAU_PAGE),
        write(
            "training_create",
            "",
            r("training_create"),
            BUREAU_WRITE,
            m.session_data,
            m.session_created,
            "training.created",
        ),
        page("training_edit", "", r("training_edit", session), BUREAU_PAGE, setup=made),
        write(
            "training_edit",
            "",
            r("training_edit", session),
            BUREAU_WRITE,
            m.session_edit_data,
            m.session_edited,
            "training.updated",
            made,
        ),
        write(
            "training_delete",
            "",
            r("training_delete", lambda c: m.spare_pk(c)),
            BUREAU_WRITE,
            lambda c: {},
            m.spare_gone,
            "training.deleted",
            made,
        ),
    ]


def evidence_cases():
    """The rows of 佐证材料 (issue 19; tests/evidence/matrix_setups.py): files of 甲镇's project and trip, written by
    甲镇's writers and the bureau, read by whoever reads the project or trip."""
    m = evidence_setups
    made = m.records
    own_file, own_trip = (lambda c: m.town_file_pk(c)), (lambda c: m.town_trip_pk(c))
    own_read = (LOGIN, 200, 200, 404, 200, 403, 403, 200)
    upload = "evidence_project_upload"
    return [
        page(upload, "own", r(upload, project), OWN_WRITE_PAGE, setup=made),
        write(upload, "own", r(upload, project), OWN_WRITE, m.upload_data, m.uploaded_to("project"), *_ev(made)),
        write(upload, "below", r(upload, park), BELOW_WRITE, m.upload_data, m.uploaded_to("park_project"), *_ev(made)),
        write(
            "evidence_project_photo",
            "",
            r("evidence_project_photo", project),
            OWN_WRITE,
            m.photo_data,
            m.photo_taken,
            *_ev(made),
        ),
        page("evidence_trip_upload", "", r("evidence_trip_upload", own_trip), OWN_WRITE_PAGE, setup=made),
        write(
            "evidence_trip_upload",
            "",
            r("evidence_trip_upload", own_trip),
            OWN_WRITE,
            m.trip_upload_data,
            m.trip_uploaded,
            *_ev(made),
        ),
        page("evidence_file", "", r("evidence_file", own_file), own_read, setup=made),
        write(
            "evidence_delete",
            "",
            r("evidence_delete", own_file),
            OWN_WRITE,
            lambda c: {},
            m.town_file_gone,
            "evidence.deleted",
            made,
        ),
    ]


def _ev(setup):
    return ("evidence.uploaded", setup)


def chain_setups_cases():
    """The rows of the chains' pages (issue 17): every business reader reads its county's chains, their targets and
    the chains' progress; only the bureau of the chain's owner lays them out. Another county's chain does not exist
    for 测试县's accounts (404); the non-bureau accounts are refused (403) before any chain is looked up, so their
    answer is the same whatever the id. (tests/progress/matrix_setups_chains.py)"""
    s = chain_setups
    own, bare, theirs = s.county_chain_pk, s.bare_chain_pk, s.neighbour_chain_pk
    bureau_only_404 = (LOGIN, 403, 403, 403, 403, 403, 403, 404)  # another county's chain, on a bureau's route
    reader_404 = (LOGIN, 404, 404, 404, 404, 403, 403, 404)  # another county's chain, on a reader's route
    return [
        page("chain_manage", "", r("chain_manage"), BUSINESS_READ, setup=s.county_chain),
        page("chain_manage", "xlsx", with_query("chain_manage", format="xlsx"), BUSINESS_READ, setup=s.county_chain),
        page("chain_create", "", r("chain_create"), BUREAU_PAGE),
        write("chain_create", "", r("chain_create"), BUREAU_WRITE, s.chain_data, s.chain_made, "chain.created"),
        page("chain_unmapped", "", r("chain_unmapped"), BUREAU_PAGE, setup=s.unmapped_text),
        write(
            "chain_unmapped",
            "",
            r("chain_unmapped"),
            BUREAU_WRITE,
            s.map_data,
            s.text_mapped,
            "project.chain_mapped",
            setup=s.unmapped_text,
        ),
        page("chain_edit", "", r("chain_edit", own), BUREAU_PAGE, setup=s.county_chain),
        page("chain_edit", "other-county", r("chain_edit", theirs), bureau_only_404, setup=s.neighbour_chain),
        write(
            "chain_edit",
            "",
            r("chain_edit", own),
            BUREAU_WRITE,
            s.chain_edit_data,
            s.renamed("电芯"),
            "chain.updated",
            setup=s.county_chain,
        ),
        write(
            "chain_edit",
            "other-county",
            r("chain_edit", theirs),
            bureau_only_404,
            s.chain_edit_data,
            s.renamed("冷链"),
            "chain.updated",
            setup=s.neighbour_chain,
        ),
        write(
            "chain_delete",
            "",
            r("chain_delete", bare),
            BUREAU_WRITE,
            lambda c: {},
            s.gone(s.BARE_CHAIN),
            "chain.deleted",
            setup=s.bare_chain,
        ),
        write(
            "chain_delete",
            "other-county",
            r("chain_delete", theirs),
            bureau_only_404,
            lambda c: {},
            s.gone(s.NEIGHBOUR_CHAIN),
            "chain.deleted",
            setup=s.neighbour_chain,
        ),
        page("chain_targets", "", r("chain_targets", own), BUSINESS_READ, setup=s.county_chain),
        page("chain_targets", "other-county", r("chain_targets", theirs), reader_404, setup=s.neighbour_chain),
        write(
            "chain_targets",
            "",
            r("chain_targets", own),
            BUREAU_WRITE,
            s.target_data,
            s.target_set(own),
            "chain.target_set",
            setup=s.county_chain,
        ),
        write(
            "chain_targets",
            "other-county",
            r("chain_targets", theirs),
            reader_404,
            s.target_data,
            s.target_set(theirs),
            "chain.target_set",
            setup=s.neighbour_chain,
        ),
        write(
            "chain_link_add",
            "",
            r("chain_link_add", own),
            BUREAU_WRITE,
            s.link_add_data,
            s.link_added(own),
            "chain.link_created",
            setup=s.county_chain,
        ),
        write(
            "chain_link_add",
            "other-county",
            r("chain_link_add", theirs),
            bureau_only_404,
            s.link_add_data,
            s.link_added(theirs),
            "chain.link_created",
            setup=s.neighbour_chain,
        ),
        page("chain_link_edit", "", r("chain_link_edit", own, s.county_link_pk), BUREAU_PAGE, setup=s.county_chain),
        write(
            "chain_link_edit",
            "",
            r("chain_link_edit", own, s.county_link_pk),
            BUREAU_WRITE,
            s.link_data,
            s.link_renamed(s.county_link_pk),
            "chain.link_updated",
            setup=s.county_chain,
        ),
        write(
            "chain_link_edit",
            "other-county",
            r("chain_link_edit", theirs, s.neighbour_link_pk),
            bureau_only_404,
            s.link_data,
            s.link_renamed(s.neighbour_link_pk),
            "chain.link_updated",
            setup=s.neighbour_chain,
        ),
        write(
            "chain_link_move",
            "",
            r("chain_link_move", bare, s.bare_first_link_pk),
            BUREAU_WRITE,
            lambda c: {"dir": "down"},
            s.first_link_moved_down,
            "chain.links_reordered",
            setup=s.bare_chain,
        ),
        write(
            "chain_link_delete",
            "",
            r("chain_link_delete", bare, s.bare_first_link_pk),
            BUREAU_WRITE,
            lambda c: {},
            s.first_link_gone,
            "chain.link_deleted",
            setup=s.bare_chain,
        ),
        page("sheet_template", "chains", r("sheet_template", "chains"), BUREAU_PAGE, setup=s.county_chain),
        page("chain_progress", "", r("chain_progress"), BUSINESS_READ, setup=s.county_chain),
        page(
            "chain_progress", "xlsx", with_query("chain_progress", format="xlsx"), BUSINESS_READ, setup=s.county_chain
        ),
    ]


def observation_cases():
    """The 观摩 rows (issue 18): the bureau of the event's owner lays it out and types a named judge's scores; the
    leaders read the results (the towns only once it is over); a judge reaches its own sheet only, anyone else
    404. Another county's event does not exist for 测试县's bureau. (tests/observation/matrix_setups.py)"""
    s = observation_setups
    own, theirs, named = s.county_event_pk, s.neighbour_event_pk, s.named_judge_pk
    judge_only = (LOGIN, 404, 404, 404, 200, 404, 404, 404)
    return [
        page("observation_list", "", r("observation_list"), BUSINESS_READ, setup=s.county_event),
        page("observation_create", "", r("observation_create"), BUREAU_PAGE),
        write(
            "observation_create",
            "",
            r("observation_create"),
            BUREAU_WRITE,
            s.event_data,
            s.event_made,
            "observation.event_created",
        ),
        page("observation_judge", "", r("observation_judge"), (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
        page("observation_edit", "", r("observation_edit", own), BUREAU_PAGE, setup=s.county_event),
        page(
            "observation_edit",
            "other-county",
            r("observation_edit", theirs),
            (LOGIN, 403, 403, 403, 403, 403, 403, 404),
            setup=s.neighbour_event,
        ),
        write(
            "observation_change",
            "",
            r("observation_change", own),
            BUREAU_WRITE,
            s.judge_data,
            s.judge_added,
            "observation.judge_added",
            setup=s.county_event,
        ),
        page(
            "observation_result",
            "",
            r("observation_result", own),
            (LOGIN, 404, 404, 404, 200, 403, 403, 200),
            setup=s.county_event,
        ),
        page(
            "observation_result",
            "other-county",
            r("observation_result", theirs),
            (LOGIN, 404, 404, 404, 404, 403, 403, 404),
            setup=s.neighbour_event,
        ),
        page("observation_score", "", r("observation_score", own), judge_only, setup=s.county_event),
        write(
            "observation_score",
            "",
            r("observation_score", own),
            (LOGIN, 404, 404, 404, DONE, 404, 404, 404),
            s.score_data,
            s.scored,
            "observation.scores_saved",
            setup=s.county_event,
        ),
        page("observation_submit", "", r("observation_submit", own), judge_only, setup=s.county_event),
        page("observation_enter", "", r("observation_enter", own, named), BUREAU_PAGE, setup=s.county_event),
        page(
            "observation_enter_submit",
            "",
            r("observation_enter_submit", own, named),
            BUREAU_PAGE,
            setup=s.county_event,
        ),
    ]


def verification_cases():
    """认定: the queue and its decisions are the county bureau's (or a granted account's); a unit reads its own
    items; the settings are the root's (the matrix's bureau is a county's: it reads them, may not change them)."""
    v = verification_setups
    ready = v.funds_with_receipt
    own_read = (LOGIN, 200, 200, 200, 200, 403, 403, 200)
    return [
        page("verification_queue", "", r("verification_queue"), BUREAU_PAGE, setup=ready),
        page("verification_mine", "", r("verification_mine"), own_read, setup=ready),
        write(
            "verification_decide",
            "",
            r("verification_decide", project),
            BUREAU_WRITE,
            v.decide_data,
            v.passed,
            "verification.passed",
            setup=ready,
        ),
        write(
            "verification_bulk_pass",
            "",
            r("verification_bulk_pass"),
            BUREAU_WRITE,
            v.bulk_data,
            v.passed,
            "verification.passed",
            setup=ready,
        ),
        page("verification_rules", "", r("verification_rules"), BUREAU_PAGE),
        write(
            "verification_rules",
            "",
            r("verification_rules"),
            (LOGIN, 403, 403, 403, 403, 403, 403, 403),
            lambda c: {"counted": "verified"},
            v.rules_saved,
            "verification.rules_updated",
        ),
        page("verification_deciders", "", r("verification_deciders"), BUREAU_PAGE, setup=v.granted),
        write(
            "verification_deciders",
            "",
            r("verification_deciders"),
            BUREAU_WRITE,
            v.grant_data,
            v.is_granted,
            "verification.role_granted",
        ),
        write(
            "verification_decider_revoke",
            "",
            r("verification_decider_revoke", v.grant_pk),
            BUREAU_WRITE,
            lambda c: {},
            v.revoked,
            "verification.role_revoked",
            setup=v.granted,
        ),
    ]


CASES = [
    # cells, in order: (anonymous, reporter, unit_head, outsider, leader, auditor, sysadmin, bureau)
    page(
        "home",
        "",
        r("home"),
        (LOGIN, 200, 200, 200, Redirect("/dashboard/"), Redirect("/audit/"), Redirect("/sysadmin/"), 200),
    ),
    # The project ledger
    page("project_list", "", r("project_list"), BUSINESS_READ),
    page("project_detail", "own", r("project_detail", project), (LOGIN, 200, 200, 404, 200, 403, 403, 200)),
    page("project_detail", "below", r("project_detail", park), (LOGIN, 200, 200, 404, 200, 403, 403, 200)),
    page("project_detail", "other-town", r("project_detail", other), (LOGIN, 404, 404, 200, 200, 403, 403, 200)),
    page("project_create", "", r("project_create"), BUSINESS_WRITE_PAGE),
    write(
        "project_create",
        "",
        r("project_create"),
        (LOGIN, DONE, DONE, 200, 403, 403, 403, DONE),
        # the outsider gets the form back: 甲镇 is not a unit it may choose
        create_data,
        lambda c: Project.objects.filter(code=NEW_CODE).exists(),
        "project.created",
    ),
    page("project_edit", "own", r("project_edit", project), OWN_WRITE_PAGE),
    page("project_edit", "below", r("project_edit", park), BELOW_WRITE_PAGE),
    *project_writes("project_edit", edit_data_of, project_now("name", NEW_NAME), "project.updated"),
    *project_writes("project_stage", lambda which: stage_data, project_now("stage", "注册"), "project.stage_changed"),
    page("usd_rates", "", r("usd_rates"), BUREAU_PAGE),
    write(
        "usd_rates",
        "",
        r("usd_rates"),
        # one rate serves the whole install: a county's bureau reads it, the root's sets it (test_shared_ownership)
        (LOGIN, 403, 403, 403, 403, 403, 403, 403),
        lambda c: {"year": YEAR, "rate": str(RATE)},
        lambda c: UsdRate.objects.filter(year=YEAR, rate=RATE).exists(),
        "usd_rate.set",
    ),
    # Monthly reporting
    page("monthly_report", "", r("monthly_report"), (LOGIN, 200, 200, 200, 403, 403, 403, 200)),
    page(
        "monthly_report",
        "other-town",
        with_query("monthly_report", unit=other_town),
        (LOGIN, 404, 404, 200, 403, 403, 403, 200),
    ),
    page(
        "monthly_report",
        "below",
        with_query("monthly_report", unit=town_park),
        (LOGIN, 404, 200, 404, 403, 403, 403, 200),
    ),
    write(
        "monthly_report",
        "own",
        r("monthly_report"),
        OWN_WRITE,
        lambda c: {"unit": c.town.pk, "month": format_month(LAST), f"funds-{c.project.pk}": "100"},
        lambda c: MonthlyFunds.objects.filter(project=c.project, month=LAST).exists(),
        "funds.set",
    ),
    write(
        "monthly_report",
        "other-town",
        r("monthly_report"),
        (LOGIN, 404, 404, DONE, 403, 403, 403, DONE),
        lambda c: {"unit": c.other_town.pk, "month": format_month(LAST), f"funds-{c.other_project.pk}": "100"},
        lambda c: MonthlyFunds.objects.filter(project=c.other_project, month=LAST).exists(),
        "funds.set",
    ),
    # 上报 is the unit head's alone: not the reporter's, not even the bureau's
    write(
        "monthly_confirm",
        "",
        r("monthly_confirm"),
        (LOGIN, 403, DONE, 404, 403, 403, 403, 403),
        lambda c: {"unit": c.town.pk, "month": format_month(LAST)},
        lambda c: UnitMonthReport.objects.filter(unit=c.town, month=LAST).exists(),
        "month.confirmed",
    ),
    page("month_list", "", r("month_list"), BUREAU_PAGE),
    page("month_status", "", r("month_status", format_month(PAST)), BUREAU_PAGE),
    write(
        "month_close",
        "",
        r("month_close", format_month(PAST)),
        BUREAU_WRITE,
        lambda c: {},
        lambda c: ClosedMonth.objects.filter(month=PAST).exists(),
        "month.closed",
    ),
    write(
        "month_urge",
        "",
        r("month_urge", format_month(LAST)),
        BUREAU_WRITE,
        lambda c: {},
        lambda c: Notification.objects.filter(kind="report.urged", user=c.reporter).exists(),
        "month.urged",
    ),
    write(
        "month_reopen",
        "",
        r("month_reopen", format_month(PAST)),
        BUREAU_WRITE,
        lambda c: {"reason": "更正数据"},
        lambda c: not ClosedMonth.objects.filter(month=PAST).exists(),
        "month.reopened",
        setup=close_past_month,
    ),
    # Progress: dashboard, targets, campaigns, economic figures, red/black list sizes
    page("dashboard", "", r("dashboard"), BUSINESS_READ),
    page("dashboard", "other-town", with_query("dashboard", unit=other_town), OTHER_UNIT_READ),
    page("indicator_detail", "", r("indicator_detail", "domestic_signed_count"), BUSINESS_READ),
    page(
        "indicator_detail",
        "other-town",
        lambda c: f"{reverse('indicator_detail', args=['domestic_signed_count'])}?unit={c.other_town.pk}",
        OTHER_UNIT_READ,
    ),
    page("targets", "", r("targets"), BUSINESS_READ),
    page("targets", "other-town", with_query("targets", unit=other_town), OTHER_UNIT_READ),
    write(
        "targets",
        "",
        r("targets"),
        BUREAU_WRITE,
        lambda c: {"year": YEAR, f"t-{c.town.pk}-domestic_signed_count": "10"},
        lambda c: Target.objects.filter(unit=c.town, year=YEAR, indicator="domestic_signed_count").exists(),
        "target.set",
    ),
    write(
        "targets",
        "split",
        r("targets"),
        BUREAU_WRITE,
        lambda c: {
            "year": YEAR,
            "split": "1",
            "split_unit": c.town.pk,
            "split_indicator": "domestic_arrived_wan",
            **shares(),
        },
        lambda c: Target.objects.get(unit=c.town, indicator="domestic_arrived_wan").monthly is not None,
        "target.split_set",
        setup=make_target,
    ),
    page("campaign_list", "", r("campaign_list"), BUSINESS_READ),
    write(
        "campaign_list",
        "",
        r("campaign_list"),
        BUREAU_WRITE,
        lambda c: {
            "name": NEW_CAMPAIGN,
            "start_month": format_month(LAST),
            "end_month": format_month(current_month()),
            "description": "",
        },
        lambda c: Campaign.objects.filter(name=NEW_CAMPAIGN).exists(),
        "campaign.created",
    ),
    page("campaign_detail", "", r("campaign_detail", in_campaign), BUSINESS_READ, setup=make_campaign),
    page(
        "campaign_detail",
        "other-town",
        lambda c: f"{reverse('campaign_detail', args=[campaign_pk()])}?unit={c.other_town.pk}",
        OTHER_UNIT_READ,
        setup=make_campaign,
    ),
    page("campaign_targets", "", r("campaign_targets", in_campaign), BUREAU_PAGE, setup=make_campaign),
    write(
        "campaign_targets",
        "",
        r("campaign_targets", in_campaign),
        BUREAU_WRITE,
        lambda c: {f"c-{c.town.pk}-domestic_signed_count": "3"},
        lambda c: CampaignTarget.objects.filter(unit=c.town).exists(),
        "campaign.target_set",
        setup=make_campaign,
    ),
    page("economy", "", r("economy"), BUSINESS_READ),
    page("economy", "other-town", with_query("economy", unit=other_town), OTHER_UNIT_READ),
    write(
        "economy",
        "",
        r("economy"),
        BUREAU_WRITE,
        lambda c: {
            "region": "测试县",
            "month": format_month(LAST),
            "indicator": "fiscal_revenue",
            "cumulative": "120000",
            "growth_pct": "8.5",
        },
        lambda c: EconomicFigure.objects.filter(region="测试县").exists(),
        "economy.set",
    ),
    page("group_lists", "", r("group_lists"), BUREAU_PAGE),
    write(
        "group_lists",
        "",
        r("group_lists"),
        BUREAU_WRITE,
        group_lists_data,
        lambda c: AssessmentGroup.objects.filter(red_top_n=7).exists(),
        "group.updated",
    ),
    # The audit log
    # Bulletins: drafts for the user's own subtree, issuing for the bureau, issued ones by their unit's readers
    page("bulletin_draft", "", r("bulletin_draft"), BUSINESS_READ),
    page("bulletin_draft", "other-town", with_query("bulletin_draft", unit=other_town), OTHER_UNIT_READ),
    page("bulletin_list", "", r("bulletin_list"), BUSINESS_READ),
    write(
        "bulletin_issue",
        "",
        with_query("bulletin_issue", month=format_month(LAST)),
        BUREAU_WRITE,
        lambda c: {},
        lambda c: Bulletin.objects.exists(),
        "bulletin.issued",
    ),
    page("bulletin_office", "", r("bulletin_office"), BUREAU_PAGE),
    write(
        "bulletin_office",
        "",
        r("bulletin_office"),
        BUREAU_WRITE,
        lambda c: {
            "issuer": "测试县招商办",
            "number_prefix": "测招商",
            "addressee": "各乡镇",
            "printer": "测试县招商办",
            "brief_name": "招商简报",
        },
        lambda c: IssuingOffice.objects.filter(unit=c.root, number_prefix="测招商").exists(),
        "bulletin.office_saved",
    ),
    page(
        "bulletin_issued",
        "county",
        r("bulletin_issued", lambda c: Bulletin.objects.get().pk),
        (LOGIN, 404, 404, 404, 200, 403, 403, 200),
        setup=issue_bulletin,
    ),
    # 考核结果: a draft's live result for the bureau and the leaders over the owner; once published, also every
    # assessed unit (公示: 甲镇 and 乙镇 here); publishing by the owner's bureau
    page(
        "assessment_result",
        "draft",
        r("assessment_result", assessment_setups.scheme_pk),
        (LOGIN, 404, 404, 404, 200, 403, 403, 200),
        setup=assessment_setups.draft_scheme,
    ),
    page(
        "assessment_result",
        "published",
        r("assessment_result", assessment_setups.scheme_pk),
        (LOGIN, 200, 200, 200, 200, 403, 403, 200),
        setup=assessment_setups.published_scheme,
    ),
    write(
        "assessment_publish",
        "",
        r("assessment_publish", assessment_setups.scheme_pk),
        (LOGIN, 404, 404, 404, 403, 403, 403, DONE),
        lambda c: {},
        assessment_setups.published,
        "assessment.published",
        setup=assessment_setups.draft_scheme,
    ),
    # The meeting rhythm: material for the user's own subtree; the 观摩 picks for the bureau
    page("meeting_list", "", r("meeting_list"), BUSINESS_READ),
    page("meeting_material", "review", r("meeting_material", "review"), BUSINESS_READ),
    page(
        "meeting_material",
        "other-town",
        lambda c: f"{reverse('meeting_material', args=['dispatch'])}?unit={c.other_town.pk}",
        OTHER_UNIT_READ,
    ),
    write(
        "observation_picks",
        "",
        with_query("observation_picks", month=format_month(LAST)),
        BUREAU_WRITE,
        lambda c: {"project": [c.project.pk]},
        lambda c: ObservationPick.objects.filter(project=c.project).exists(),
        "observation.picked",
        setup=make_observation_candidate,
    ),
    page("sheet_template", "funds", r("sheet_template", "funds"), BUSINESS_WRITE_PAGE),
    page("sheet_template", "targets", r("sheet_template", "targets"), BUREAU_PAGE),
    page("sheet_template", "units", r("sheet_template", "units"), (LOGIN, 403, 403, 403, 403, 403, 200, 403)),
    # the system admin imports the 单位 sheet only
    page("import_page", "", r("import_page"), (LOGIN, 200, 200, 200, 403, 403, 200, 200)),
    page("import_error_file", "", r("import_error_file", "0" * 32), (LOGIN, 404, 404, 404, 404, 404, 404, 404)),
    write(
        "import_undo",
        "reporters-import",
        r("import_undo", lambda c: ImportLog.objects.get().pk),
        # one's own import, or the bureau; another user's import does not exist for them
        (LOGIN, DONE, 404, 404, 403, 403, 404, DONE),
        lambda c: {},
        lambda c: ImportLog.objects.get().undone_at is not None,
        "import.undone",
        setup=import_funds_as_reporter,
    ),
    page("audit_list", "", r("audit_list"), (LOGIN, 403, 403, 403, 403, 200, 403, 403)),
    # Every signed-in user changes its own password (tests/org/test_accounts.py tries the form)
    page("password_change", "", r("password_change"), (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    # The problem list (问题清单): 甲镇 raises on its project, the bureau assigns to 自然资源局, the department answers,
    # 甲镇 confirms or sends it back. (The department's own cells are in tests/coordination/test_pages.py.)
    page("problem_list", "", r("problem_list"), BUSINESS_READ, setup=problem_setups.raised),
    page("problem_list", "xlsx", with_query("problem_list", format="xlsx"), BUSINESS_READ, setup=problem_setups.raised),
    page("problem_create", "", r("problem_create"), BUSINESS_WRITE_PAGE),
    page("problem_create", "own", with_query("problem_create", project=project), OWN_WRITE_PAGE),
    page("problem_create", "below", with_query("problem_create", project=park), BELOW_WRITE_PAGE),
    write(
        "problem_create",
        "own",
        with_query("problem_create", project=project),
        OWN_WRITE,
        problem_setups.create_data,
        lambda c: c.project.problems.filter(description=problem_setups.PROBLEM_TEXT).exists(),
        "problem.raised",
    ),
    page(
        "problem_detail",
        "own",
        r("problem_detail", problem_setups.town_problem_pk),
        (LOGIN, 200, 200, 404, 200, 403, 403, 200),
        setup=problem_setups.raised,
    ),
    page(
        "problem_detail",
        "other-town",
        r("problem_detail", problem_setups.other_problem_pk),
        (LOGIN, 404, 404, 200, 200, 403, 403, 200),
        setup=problem_setups.raised,
    ),
    problem_step(
        "problem_assign",
        (LOGIN, 403, 403, 404, 403, 403, 403, DONE),
        problem_setups.assign_data,
        "办理中",
        "problem.assigned",
        setup=problem_setups.raised,
    ),
    problem_step(
        "problem_answer",
        (LOGIN, 403, 403, 404, 403, 403, 403, DONE),
        lambda c: {"answer": "已完成交地"},
        "已办结待确认",
        "problem.answered",
        setup=problem_setups.assigned,
    ),
    problem_step(
        "problem_confirm", OWN_WRITE, lambda c: {"note": ""}, "已销号", "problem.closed", setup=problem_setups.answered
    ),
    problem_step(
        "problem_return",
        OWN_WRITE,
        lambda c: {"reason": "仍未交地"},
        "办理中",
        "problem.returned",
        setup=problem_setups.answered,
    ),
    # Dispatch meetings (调度会): the meeting covers the county, so it is read by who reads the county
    page("dispatch_list", "", r("dispatch_list"), BUSINESS_READ),
    write(
        "dispatch_list",
        "create",
        r("dispatch_list"),
        BUREAU_WRITE,
        lambda c: {"held_on": today().isoformat(), "title": "权限矩阵调度会"},
        lambda c: (
            __import__("zhaoshang.coordination.meeting_models", fromlist=["x"])
            .DispatchMeeting.objects.filter(title="权限矩阵调度会")
            .exists()
        ),
        "meeting.created",
    ),
    page(
        "dispatch_detail",
        "",
        r("dispatch_detail", lambda c: meeting_pk()),
        (LOGIN, 404, 404, 404, 200, 403, 403, 200),
        setup=make_meeting,
    ),
    write(
        "dispatch_add_item",
        "",
        r("dispatch_add_item", lambda c: meeting_pk()),
        BUREAU_WRITE,
        lambda c: {"title": "新增议题"},
        lambda c: first_item().meeting.items.filter(title="新增议题").exists(),
        "meeting.item_added",
        setup=make_meeting,
    ),
    write(
        "dispatch_decide",
        "",
        r("dispatch_decide", lambda c: meeting_pk(), lambda c: first_item().pk),
        BUREAU_WRITE,
        lambda c: {
            f"i{first_item().pk}-decision": "议定",
            f"i{first_item().pk}-owner": c.town.pk,
            f"i{first_item().pk}-deadline": today().isoformat(),
        },
        lambda c: hasattr(first_item(), "task"),
        "meeting.decided",
        setup=make_meeting,
    ),
    write(
        "dispatch_close",
        "",
        r("dispatch_close", lambda c: meeting_pk()),
        BUREAU_WRITE,
        lambda c: {"summary": ""},
        lambda c: first_item().meeting.is_closed,
        "meeting.closed",
        setup=make_meeting,
    ),
    page("task_list", "", r("task_list"), BUSINESS_READ, setup=make_task),
    write(
        "task_done",
        "town-task",
        r("task_done", lambda c: task_pk()),
        # the owner unit (甲镇) and the bureau; the leader reads it but reports nothing; 乙镇 never sees it
        OWN_WRITE,
        lambda c: {"done_on": today().isoformat(), "note": "已完成"},
        lambda c: (
            __import__("zhaoshang.coordination.meeting_models", fromlist=["x"]).MeetingTask.objects.get().status
            == "已完成"
        ),
        "meeting.task_done",
        setup=make_task,
    ),
    # Approval steps (前期手续): the project's unit plans and records them, readers see them on the project's page
    # and the list; the departments' own cells (their steps only) are in tests/construction/test_pages.py.
    page("approval_list", "", r("approval_list"), BUSINESS_READ, setup=approval_setups.with_steps),
    page(
        "approval_list",
        "xlsx",
        with_query("approval_list", format="xlsx"),
        BUSINESS_READ,
        setup=approval_setups.with_steps,
    ),
    page("project_approvals", "own", r("project_approvals", project), OWN_WRITE_PAGE, setup=approval_setups.with_steps),
    page(
        "project_approvals", "below", r("project_approvals", park), BELOW_WRITE_PAGE, setup=approval_setups.with_steps
    ),
    page(
        "project_approvals",
        "other-town",
        r("project_approvals", other),
        (LOGIN, 404, 404, 200, 403, 403, 403, 200),
        setup=approval_setups.with_steps,
    ),
    write(
        "project_approvals",
        "init",
        r("project_approvals", project),
        OWN_WRITE,
        lambda c: {"init": "1"},
        approval_setups.has_steps("project"),
        "approval.created",
    ),
    *project_writes(
        "project_approvals",
        approval_setups.save_data,
        approval_setups.filed,
        "approval.updated",
        setup=approval_setups.with_steps,
    ),
    # Notifications (通知): every business user's own inbox (the auditor and the system admin have none: 403).
    # Each cell posts for a notification of 自然资源局's reporter (no column here): it must stay unread. Marking
    # one's own notifications read is not audited (no business record changes), so no cell is DONE.
    # Background exports: asking for one needs the list's own roles; the file is its asker's only (404 to anyone
    # else, 甲镇's unit head too); a user's list shows only its own.
    page("download_list", "", r("download_list"), (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    page("download_new", "ledger", lambda c: reverse("download_new", args=["ledger"]) + "?format=xlsx", BUSINESS_READ),
    page("download_new", "audit", r("download_new", "audit"), (LOGIN, 403, 403, 403, 403, 200, 403, 403)),
    write(
        "download_new",
        "ledger",
        r("download_new", "ledger"),
        (LOGIN, DONE, DONE, DONE, DONE, 403, 403, DONE),
        lambda c: {"query": "format=xlsx"},
        download_setups.requested,
        "download.requested",
    ),
    page(
        "download_file",
        "",
        r("download_file", download_setups.reporters_export_pk),
        (LOGIN, 200, 404, 404, 404, 404, 404, 404),
        setup=download_setups.reporters_export,
    ),
    page("notification_list", "", r("notification_list"), BUSINESS_READ, setup=notification_setups.notify_everyone),
    write(
        "notification_read",
        "all",
        r("notification_read"),
        (LOGIN, *[Redirect("/notifications/")] * 4, 403, 403, Redirect("/notifications/")),
        lambda c: {},
        notification_setups.others_notification_read,
        None,
        setup=notification_setups.notify_everyone,
    ),
    write(
        "notification_read",
        "another-users",
        r("notification_read"),
        (LOGIN, *[Redirect("/notifications/")] * 4, 403, 403, Redirect("/notifications/")),
        lambda c: {"id": notification_setups.others_notification_pk(c), "open": "1"},
        notification_setups.others_notification_read,
        None,
        setup=notification_setups.notify_everyone,
    ),
    # The system admin's site (Django's admin): units, groups, accounts, lockouts
    page("sysadmin:index", "", r("sysadmin:index"), SYSADMIN_PAGE),
    page("sysadmin:org_unit_changelist", "", r("sysadmin:org_unit_changelist"), SYSADMIN_PAGE),
    page("sysadmin:org_user_changelist", "", r("sysadmin:org_user_changelist"), SYSADMIN_PAGE),
    page("sysadmin:org_user_change", "", r("sysadmin:org_user_change", lambda c: c.reporter.pk), SYSADMIN_PAGE),
    page("sysadmin:org_assessmentgroup_changelist", "", r("sysadmin:org_assessmentgroup_changelist"), SYSADMIN_PAGE),
    page("sysadmin:org_loginlockout_changelist", "", r("sysadmin:org_loginlockout_changelist"), SYSADMIN_PAGE),
    write(
        "sysadmin:org_unit_add",
        "",
        r("sysadmin:org_unit_add"),
        SYSADMIN_WRITE,
        unit_add_data,
        lambda c: Unit.objects.filter(name=NEW_UNIT).exists(),
        "unit.created",
    ),
    write(
        "sysadmin:org_assessmentgroup_add",
        "",
        r("sysadmin:org_assessmentgroup_add"),
        SYSADMIN_WRITE,
        lambda c: {"name": NEW_GROUP, "owner": c.root.pk, "red_top_n": "3", "black_bottom_m": "2", "sort_order": "9"},
        lambda c: AssessmentGroup.objects.filter(name=NEW_GROUP).exists(),
        "group.created",
    ),
    # 招商一线 · deadlines (i16-deadlines): everyone who reads business data reads the calendar, the rules and
    # 转化率 (scoped); only the county's bureau changes its calendar and rules
    page("lead_calendar", "", r("lead_calendar"), BUSINESS_READ),
    write(
        "lead_calendar",
        "",
        r("lead_calendar"),
        BUREAU_WRITE,
        deadline_setups.calendar_day_data,
        deadline_setups.calendar_day_set,
        "calendar_day.created",
    ),
    page("lead_rules", "", r("lead_rules"), BUSINESS_READ),
    write(
        "lead_rules",
        "",
        r("lead_rules"),
        BUREAU_WRITE,
        deadline_setups.rules_data,
        deadline_setups.rules_set,
        "lead_rules.set",
    ),
    page("lead_conversion", "", r("lead_conversion"), BUSINESS_READ),
    # 产业链图谱 (i17 chain map): every business reader reads its county's chains; another county's answers 404
    page("chain_overview", "", r("chain_overview"), BUSINESS_READ, setup=chain_setups.county_chain),
    page("chain_map", "", r("chain_map", chain_setups.county_chain_pk), BUSINESS_READ, setup=chain_setups.county_chain),
    page(
        "chain_map",
        "other-county",
        r("chain_map", chain_setups.neighbour_chain_pk),
        (LOGIN, 404, 404, 404, 404, 403, 403, 404),
        setup=chain_setups.neighbour_chain,
    ),
    page("lead_conversion", "xlsx", with_query("lead_conversion", format="xlsx"), BUSINESS_READ),
    # 招商一线 — trips, receptions, follow-ups (i16-trips): a unit's rows, read by its subtree and the county, written
    # by its writers; a follow-up is changed by its author (甲镇's reporter) or the bureau only.
    *trip_setups_cases(),
    # 产业链招商 — the target-enterprise library (issue 17, part B)
    *target_setups_cases(),
    *carrier_setups_cases(),
    # 考核方案 (issue 18, schemes part)
    *scheme_setups_cases(),
    # 考核激励 — 表彰 (issue 18, honours)
    *honours_setups_cases(),
    # 考核激励: 宣传 (typical cases) and 培训 (training) — issue 18
    *outreach_setups_cases(),
    # 数据质量 (issue 19, anomaly flags)
    *quality_cases(),
    *evidence_cases(),
    # 产业链 — laying out the chains, mapping the ledger's old texts, the chains' progress (issue 17, A1 and D)
    *chain_setups_cases(),
    # 观摩评比 (issue 18)
    *observation_cases(),
    # 认定 (issue 19)
    *verification_cases(),
    # Issue 16, the sheets part: the front line's templates, on the existing template route
    *[page("sheet_template", k, r("sheet_template", k), BUSINESS_WRITE_PAGE) for k in FRONT_LINE_SHEETS],
    # 招商一线, the lead register (issue 16, leads part): leads are scoped like projects; 首报首谈 and reassigning a
    # stale lead are the county bureau's.
    page("lead_list", "", r("lead_list"), BUSINESS_READ, setup=lead_setups.town_lead),
    page("lead_list", "xlsx", with_query("lead_list", format="xlsx"), BUSINESS_READ, setup=lead_setups.town_lead),
    page("lead_new", "", r("lead_new"), BUSINESS_WRITE_PAGE),
    write(
        "lead_new",
        "",
        r("lead_new"),
        (LOGIN, DONE, DONE, 400, 403, 403, 403, DONE),  # 乙镇's reporter may not choose 甲镇
        lead_setups.new_lead_data,
        lead_setups.new_lead_made,
        "lead.registered",
    ),
    page("lead_edit", "", r("lead_edit", lead_setups.town_lead_pk), OWN_WRITE_PAGE, setup=lead_setups.town_lead),
    write(
        "lead_edit",
        "",
        r("lead_edit", lead_setups.town_lead_pk),
        OWN_WRITE,
        lead_setups.edit_data,
        lead_setups.town_lead_is(summary="权限矩阵概况"),
        "lead.updated",
        setup=lead_setups.town_lead,
    ),
    write(
        "lead_assign",
        "",
        r("lead_assign", lead_setups.town_lead_pk),
        OWN_WRITE,
        lambda c: {"user": c.unit_head.pk, "on_date": today().isoformat()},
        lambda c: lead_setups.town_lead_is(first_responsible=c.unit_head)(c),
        "lead.first_assigned",
        setup=lead_setups.town_lead,
    ),
    write(
        "lead_judge",
        "",
        r("lead_judge", lead_setups.town_lead_pk),
        OWN_WRITE,
        lambda c: {"judgement": "有效", "on_date": today().isoformat(), "reason": ""},
        lead_setups.town_lead_is(judgement="有效"),
        "lead.judged",
        setup=lead_setups.town_lead,
    ),
    write(
        "lead_tell",
        "",
        r("lead_tell", lead_setups.town_lead_pk),
        OWN_WRITE,
        lambda c: {"on_date": today().isoformat()},
        lead_setups.town_lead_is(referrer_told_on=today()),
        "lead.referrer_told",
        setup=lead_setups.judged_town_lead,
    ),
    write(
        "lead_transfer",
        "",
        r("lead_transfer", lead_setups.town_lead_pk),
        BUREAU_WRITE,
        lambda c: {"to_unit": c.other_town.pk, "reason": "九十天未跟进"},
        lead_setups.moved_to_other_town,
        "lead.transferred",
        setup=lead_setups.stale_town_lead,
    ),
    page("claim_list", "", r("claim_list"), BUREAU_PAGE, setup=lead_setups.claimed_town_lead),
    write(
        "claim_settle",
        "",
        r("claim_settle", lead_setups.town_lead_pk),
        (LOGIN, 403, 403, 403, 403, 403, 403, DONE),
        lambda c: {"decision": "separate"},
        lambda c: lead_setups.town_lead_is(claim_settled_on=today())(c),
        "lead.claim_settled",
        setup=lead_setups.claimed_town_lead,
    ),
    page("lead_attach", "", r("lead_attach", lead_setups.plain_pk), OWN_WRITE_PAGE, setup=lead_setups.plain_project),
    write(
        "lead_attach",
        "",
        r("lead_attach", lead_setups.plain_pk),
        OWN_WRITE,
        lead_setups.attach_data,
        lead_setups.attached,
        "lead.registered",
        setup=lead_setups.plain_project,
    ),
]

assert all(len(case.expected) == len(USERS) for case in CASES), [c.id for c in CASES if len(c.expected) != len(USERS)]


def _client(county, client_for, user):
    return client_for(None if user == "anonymous" else getattr(county, user))


def _codes_out_of_reach(county, user):
    """Project codes a page shown to this user must never contain."""
    return {
        "reporter": [county.other_project.code],
        "unit_head": [county.other_project.code],
        "outsider": [county.project.code, county.park_project.code],
    }.get(user, [])


def _all_codes(county):
    return [county.project.code, county.park_project.code, county.other_project.code]


@pytest.mark.parametrize(
    "case, user", [pytest.param(case, user, id=f"{case.id}-{user}") for case in CASES for user in USERS]
)
def test_it_answers_every_user_as_the_matrix_says(city, client_for, case, user):
    county = city.county
    if case.setup:
        case.setup(county)
    client = _client(county, client_for, user)
    url = case.url(county)
    expected = dict(zip(USERS, case.expected, strict=True))[user]
    entries_before = set(AuditEntry.objects.values_list("pk", flat=True))

    if case.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, case.data(county))
    body = content(response).decode(errors="replace")  # a download (xlsx) is not text
    status = response.status_code
    location = response.get("Location", "")

    if expected is LOGIN:
        assert status == 302, (status, body[:500])
        parts = urlsplit(location)
        assert parts.path == reverse("login") and parse_qs(parts.query).get("next") == [url], location
    elif expected is ADMIN_LOGIN:
        assert status == 302, (status, body[:500])
        assert urlsplit(location).path == reverse("sysadmin:login"), location
        shown = client.get(location).content.decode()
        assert "单位与账号" not in shown and "甲镇工业园" not in shown and NEW_UNIT not in shown
    elif expected is DONE:
        assert status == 302, (status, body[:2000])
        assert urlsplit(location).path not in (reverse("login"), reverse("sysadmin:login")), location
    elif isinstance(expected, Redirect):
        assert (status, location) == (302, expected.to)
    else:
        assert status == expected, (status, location, body[:2000])

    # Nothing out of the user's reach on any page it is shown; nothing at all on a refusal.
    hidden = _codes_out_of_reach(county, user) if status == 200 else _all_codes(county)
    for code in hidden:
        assert code not in body, f"{code} shown to {user}"

    if case.method == "POST":
        new_entries = AuditEntry.objects.exclude(pk__in=entries_before)
        if expected is DONE:
            assert case.done(county), "the write did not happen"
            actor = getattr(county, user)
            assert new_entries.filter(action=case.action, actor=actor).exists(), list(
                new_entries.values_list("action", "actor__username")
            )
        else:
            assert not case.done(county), "a refused write happened"
            assert not new_entries.exists(), list(new_entries.values_list("action", flat=True))


def _route_names(resolver=None, namespace=""):
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= _route_names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


PUBLIC = {"login", "logout", "healthz"}


def test_it_has_a_row_for_every_page_of_the_product():
    """A new page without a row in the matrix fails here (the admin site's generic views aside)."""
    product = {name for name in _route_names() if not name.startswith("sysadmin:")} - PUBLIC
    covered = {case.route for case in CASES}
    assert product - covered == set()
    assert {"sysadmin:index", "sysadmin:org_unit_changelist", "sysadmin:org_user_changelist"} <= covered


def test_it_leaves_only_the_login_page_and_the_health_check_open(county):
    anonymous = Client()
    assert anonymous.get(reverse("login")).status_code == 200
    assert anonymous.get(reverse("healthz")).json() == {"status": "ok"}


def test_it_refuses_a_get_on_every_post_only_write_without_saying_whether_the_project_exists(county, client_for):
    for user in USERS:
        client = _client(county, client_for, user)
        for url in (
            reverse("project_stage", args=[county.project.pk]),
            reverse("project_stage", args=[999999]),
            reverse("evidence_project_photo", args=[county.project.pk]),
            reverse("evidence_project_photo", args=[999999]),
            reverse("monthly_confirm"),
            reverse("month_close", args=[format_month(PAST)]),
            reverse("month_reopen", args=[format_month(PAST)]),
            reverse("month_urge", args=[format_month(PAST)]),
        ):
            assert client.get(url).status_code == 405, (user, url)


def test_it_sends_a_signed_in_user_away_from_the_login_page(county, client_for):
    assert client_for(county.reporter).get(reverse("login"))["Location"] == reverse("home")


def test_it_shows_each_user_the_ledger_of_its_own_subtree_only(county, client_for):
    def seen(user):
        response = client_for(user).get(reverse("project_list"))
        return {p.code for p in response.context["page"].object_list}

    mine = {county.project.code, county.park_project.code}
    everything = mine | {county.other_project.code}
    assert seen(county.reporter) == mine
    assert seen(county.unit_head) == mine
    assert seen(county.outsider) == {county.other_project.code}
    assert seen(county.leader) == everything
    assert seen(county.bureau) == everything
    # asking for another unit's projects by filter shows nothing more
    response = client_for(county.reporter).get(reverse("project_list"), {"unit": county.other_town.pk})
    assert county.other_project.code not in response.content.decode()


def test_it_offers_the_edit_controls_only_to_who_may_use_them(county, client_for):
    def controls(user, project):
        body = client_for(user).get(reverse("project_detail", args=[project.pk])).content.decode()
        return (reverse("project_edit", args=[project.pk]) in body, reverse("project_stage", args=[project.pk]) in body)

    assert controls(county.reporter, county.project) == (True, True)
    assert controls(county.reporter, county.park_project) == (False, False)
    assert controls(county.unit_head, county.park_project) == (True, True)
    assert controls(county.leader, county.project) == (False, False)
    assert controls(county.bureau, county.other_project) == (True, True)
    new = reverse("project_create")
    assert new not in client_for(county.leader).get(reverse("project_list")).content.decode()
    assert new in client_for(county.reporter).get(reverse("project_list")).content.decode()


def test_it_offers_the_monthly_grid_only_for_the_units_the_user_may_fill(county, client_for):
    def units(user):
        return set(client_for(user).get(reverse("monthly_report")).context["units"])

    assert units(county.reporter) == {county.town}
    assert units(county.unit_head) == {county.town, county.town_park}
    assert units(county.outsider) == {county.other_town}
    assert county.team not in units(county.bureau) and county.other_town in units(county.bureau)


def test_it_ignores_cells_of_projects_outside_the_unit_posted(county, client_for):
    """A reporter of 甲镇 slipping 乙镇's (or 甲镇工业园's) project into 甲镇's grid writes nothing for them: the
    save is refused with a count of the cells the grid does not show, naming no project."""
    response = client_for(county.reporter).post(
        reverse("monthly_report"),
        {
            "unit": county.town.pk,
            "month": format_month(LAST),
            f"funds-{county.other_project.pk}": "100",
            f"funds-{county.park_project.pk}": "100",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "有 2 格所属的项目已不在本单位本月的填报表中" in body and county.other_project.code not in body
    assert not MonthlyFunds.objects.exists()
    assert not AuditEntry.objects.filter(action="funds.set").exists()


def test_it_refuses_a_project_moved_into_another_unit_by_its_reporter(county, client_for):
    data = {**edit_data(county.project), "name": county.project.name, "responsible_unit": county.other_town.pk}
    response = client_for(county.reporter).post(reverse("project_edit", args=[county.project.pk]), data)
    assert response.status_code == 200  # the form again, with the unit refused
    assert Project.objects.get(pk=county.project.pk).responsible_unit == county.town
    assert not AuditEntry.objects.filter(action="project.updated").exists()


def test_it_keeps_the_system_admin_away_from_business_data(county, client_for):
    client = client_for(county.sysadmin)
    index = client.get(reverse("sysadmin:index")).content.decode()
    assert "单位与账号" in index
    for model in ("projects/project", "reporting/closedmonth", "audit/auditentry", "progress/target"):
        assert client.get(f"/sysadmin/{model}/").status_code == 404, model
    for page_ in (
        reverse("sysadmin:org_unit_changelist"),
        reverse("sysadmin:org_user_changelist"),
        reverse("sysadmin:org_user_change", args=[county.reporter.pk]),
    ):
        body = client.get(page_).content.decode()
        assert not any(code in body for code in _all_codes(county)), page_
    # and the admin site's links do not lead into business pages
    assert reverse("project_list") not in index


def test_it_lets_the_system_admin_sign_in_where_anonymous_visitors_of_its_site_are_sent(county):
    """An anonymous visitor of /sysadmin/ is sent to a login page; the system admin must be able to sign in there.
    (The product's accounts are not Django 'staff': only the product's own /login/ accepts them.)"""
    visitor = Client()
    landing = visitor.get(reverse("sysadmin:index"), follow=True)
    login_url = landing.redirect_chain[-1][0]
    assert login_url.startswith(reverse("login")), login_url  # the product's own login, with its lockout notice
    assert "连续输错5次密码" in landing.content.decode()
    response = visitor.post(
        login_url, {"username": "sysadmin", "password": "Test@12345", "next": reverse("sysadmin:index")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("sysadmin:index")
    assert "单位与账号" in visitor.get(reverse("sysadmin:index")).content.decode()


# --- The second county -----------------------------------------------------------------------------------------------

NEIGHBOURS = ("n_bureau", "n_leader", "n_auditor", "n_sysadmin", "n_unit_head", "n_reporter")
# Writes a neighbour may make in its own county, whose `done` check would also see its own (campaigns, groups):
# for these the proof is the audit log (nothing recorded under 测试县) and the pages' contents.
OWN_COUNTY_WRITES = {
    "campaign_list",
    "group_lists",
    "month_close",
    "bulletin_issue",
    "dispatch_list",
    "sysadmin:org_assessmentgroup_add",
}
# Rows of 测试县's users asking for 邻县's own chain (other-county): 邻县's bureau may change it, as it should.
NEIGHBOURS_OWN_ROWS = {"chain_edit", "chain_delete", "chain_targets", "chain_link_add", "chain_link_edit"}


def _secrets(county):
    """What no page shown to 邻县's users may contain: 测试县's projects, units, campaign and chains."""
    projects = (county.project, county.park_project, county.other_project)
    chains = (chain_setups.COUNTY_CHAIN, chain_setups.BARE_CHAIN, chain_setups.COUNTY_TARGET)
    return [*(p.code for p in projects), *(p.name for p in projects), "甲镇", "乙镇", NEW_CAMPAIGN, *chains]


@pytest.mark.parametrize(
    "case, user", [pytest.param(case, user, id=f"{case.id}-{user}") for case in CASES for user in NEIGHBOURS]
)
def test_it_holds_the_county_boundary_on_every_route(city, client_for, case, user):
    county = city.county
    if case.setup:
        case.setup(county)
    client = client_for(getattr(city, user))
    url = case.url(county)
    ours = AuditEntry.objects.filter(unit__path__startswith=county.root.path)
    entries_before = set(ours.values_list("pk", flat=True))
    done_before = case.done(county) if case.method == "POST" else None

    response = client.get(url) if case.method == "GET" else client.post(url, case.data(county))
    status = response.status_code
    assert status in (200, 302, 400, 403, 404), (status, url)
    body = content(response).decode(errors="replace")
    for secret in _secrets(county):
        assert secret not in body, f"{secret} shown to {user} of 邻县 on {url}"
    if status == 302:  # a redirect must not lead into 测试县 either
        assert not response.get("Location", "").startswith(f"/projects/{county.project.pk}/")

    if case.method == "POST":
        assert not ours.exclude(pk__in=entries_before).exists(), list(
            ours.exclude(pk__in=entries_before).values_list("action", "unit__name")
        )
        theirs = case.label == "other-county" and case.route in NEIGHBOURS_OWN_ROWS
        if case.route not in OWN_COUNTY_WRITES and not theirs:
            assert case.done(county) == done_before, "a write of 邻县's user changed 测试县"
