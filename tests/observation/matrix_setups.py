"""What the permission matrix (tests/org/test_permissions.py) needs for the 观摩 rows: an event of 测试县's being
scored (甲镇's and 乙镇's projects on the route; the county leader a judge by account, 矩阵代录评委 one by name), and
one of the neighbouring county's, with the form data of the writes and their checks."""

from datetime import date
from decimal import Decimal

from zhaoshang.observation import services
from zhaoshang.observation.models import Event, Judge, Score, Status
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project

COUNTY_EVENT = "矩阵观摩活动"
NEIGHBOUR_EVENT = "邻县矩阵观摩"
NAMED_JUDGE = "矩阵代录评委"


def _event(bureau, owner, name, projects, judges=(), names=()):
    event = services.event_create(
        actor=bureau, owner=owner, values={"name": name, "date": date(2026, 6, 1), "year": 2026}
    )
    services.criterion_add(actor=bureau, event=event, name="现场管理", full_marks=Decimal(100))
    for project in projects:
        services.visit_add(actor=bureau, event=event, text=project.code)
    for user in judges:
        services.judge_add(actor=bureau, event=event, user=user)
    for judge_name in names:
        services.judge_add(actor=bureau, event=event, name=judge_name)
    services.event_set_status(actor=bureau, event=event, status=Status.SCORING)


def county_event(c):
    _event(c.bureau, c.root, COUNTY_EVENT, [c.project, c.other_project], judges=[c.leader], names=[NAMED_JUDGE])


def neighbour_event(c):
    neighbour = Unit.objects.get(name="邻县")
    bureau = neighbour.memberships.get(role="bureau_admin").user
    project = Project.objects.get(name="邻县机密项目")
    _event(bureau, neighbour, NEIGHBOUR_EVENT, [project], names=["邻县评委"])


def county_event_pk(c):
    return Event.objects.get(name=COUNTY_EVENT).pk


def neighbour_event_pk(c):
    return Event.objects.get(name=NEIGHBOUR_EVENT).pk


def named_judge_pk(c):
    return Judge.objects.get(name=NAMED_JUDGE).pk


def event_data(c):
    return {"name": "权限矩阵新观摩", "date": "2026-06-20", "year": "2026", "note": ""}


def event_made(c):
    return Event.objects.filter(name="权限矩阵新观摩", owner=c.root).exists()


def judge_data(c):
    return {"op": "judge_add", "j-user": "", "j-name": "矩阵新评委"}


def judge_added(c):
    return Judge.objects.filter(name="矩阵新评委").exists()


def score_data(c):
    criterion = Event.objects.get(name=COUNTY_EVENT).criteria.get()
    return {f"c{criterion.pk}": "88.5"}


def scored(c):
    return Score.objects.filter(value=Decimal("88.5")).exists()
