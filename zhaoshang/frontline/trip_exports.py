"""The trips, receptions and follow-ups lists as xlsx: what each page shows for its filters, every page of it.
Rows from values_list() with the unit's and project's names by join, and the leads a chunk of rows produced in one
query per chunk: no ORM object per row. Text is escaped by core.files."""

from itertools import islice

from zhaoshang.core.files import Export
from zhaoshang.frontline import trip_queries
from zhaoshang.frontline.models import FollowUp, Reception, Trip
from zhaoshang.frontline.trip_forms import FollowUpFilterForm, ReceptionFilterForm, TripFilterForm

CHUNK = 2000

TRIP_HEADERS = [
    "单位",
    "出发日期",
    "返回日期",
    "天数",
    "目的地",
    "带队领导",
    "领导类别",
    "参加人数",
    "人天",
    "拜访企业数",
    "拜访企业",
    "接洽成果",
    "形成的线索",
]
RECEPTION_HEADERS = ["单位", "日期", "来访企业", "来访人员", "事由", "成果", "形成的线索"]
FOLLOWUP_HEADERS = [
    "项目编号",
    "项目名称",
    "责任单位",
    "日期",
    "方式",
    "参加人员",
    "内容",
    "下一步",
    "下一步日期",
    "记录人",
]


def _chunks(rows):
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _with_leads(model, rows, user):
    """Each values_list row (its pk first) with the project numbers of its leads the user reads, the pk left off."""
    for chunk in _chunks(rows):
        codes = trip_queries.lead_codes_by_row(model, [row[0] for row in chunk], user)
        for row in chunk:
            yield [*row[1:], "、".join(codes.get(row[0], []))]


def trip_rows(trips, user):
    fields = (
        "pk",
        "unit__name",
        "departs_on",
        "returns_on",
        "destination",
        "leader",
        "leader_category",
        "people",
        "visited_count",
        "visited",
        "outcome",
    )
    for row in _with_leads(Trip, trips.values_list(*fields).iterator(chunk_size=CHUNK), user):
        unit, departs, returns, destination, leader, category, people, visited_count, visited, outcome, leads = row
        days = (returns - departs).days + 1
        names = "、".join(line.strip() for line in visited.splitlines() if line.strip())
        yield [
            unit,
            departs,
            returns,
            days,
            destination,
            leader,
            category,
            people,
            people * days,
            visited_count,
            names,
            outcome,
            leads,
        ]


def reception_rows(receptions, user):
    fields = ("pk", "unit__name", "on_date", "company", "visitors", "purpose", "result")
    yield from _with_leads(Reception, receptions.values_list(*fields).iterator(chunk_size=CHUNK), user)


def followup_rows(followups):
    fields = (
        "project__code",
        "project__name",
        "project__responsible_unit__name",
        "on_date",
        "way",
        "participants",
        "content",
        "next_step",
        "next_step_on",
        "author__full_name",
        "author__username",
    )
    for row in followups.values_list(*fields).iterator(chunk_size=CHUNK):
        *shown, full_name, username = row
        yield [*shown, full_name or username or ""]  # User.display_name


def _chosen(form_class, queryset, user, params):
    form = form_class(params or None, user=user)
    return form.apply(queryset.readable_by(user))


def trips_export(user, params) -> Export:
    trips = _chosen(TripFilterForm, Trip.objects, user, params).order_by("-departs_on", "-id")
    return Export("外出招商.xlsx", [("外出招商", TRIP_HEADERS, trip_rows(trips, user))], trips.count)


def receptions_export(user, params) -> Export:
    receptions = _chosen(ReceptionFilterForm, Reception.objects, user, params).order_by("-on_date", "-id")
    sheet = ("接待客商", RECEPTION_HEADERS, reception_rows(receptions, user))
    return Export("接待客商.xlsx", [sheet], receptions.count)


def followups_export(user, params) -> Export:
    followups = _chosen(FollowUpFilterForm, FollowUp.objects, user, params).order_by("-on_date", "-id")
    return Export("跟进记录.xlsx", [("跟进记录", FOLLOWUP_HEADERS, followup_rows(followups))], followups.count)
