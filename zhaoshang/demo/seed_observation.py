"""The demo's 观摩: this half-year's 项目观摩 of the county, being scored. Six projects under construction or in
production from different units on the route, four criteria (项目建设进度 40, 投资强度 20, 科技含量 20, 现场管理 20),
five judges: the 县领导 (`leader`, who has not scored yet: the phone pages are his to try), three 链长 accounts who
submitted, and a 人大代表 entered by name whose scores the bureau typed. Five sheets once `leader` submits, so the
highest and the lowest total of each project are dropped. Written through the services, audited."""

from datetime import timedelta
from decimal import Decimal

from zhaoshang.audit.models import Source
from zhaoshang.observation import services
from zhaoshang.observation.models import Status
from zhaoshang.org.models import User
from zhaoshang.projects.models import Project, Stage

CRITERIA = (("项目建设进度", 40), ("投资强度", 20), ("科技含量", 20), ("现场管理", 20))
SUBMITTED = ("lz2", "lz3", "lz4")
NAMED = "县人大代表 孙丽"


def _route(county) -> list:
    """Up to six projects being built or producing, one per unit where it can, the most planned first."""
    chosen, units = [], set()
    rows = (
        Project.objects.under(county)
        .filter(stage__in=[Stage.STARTED, Stage.PRODUCING], planned_total__gt=0)
        .select_related("responsible_unit")
        .order_by("-planned_total", "code")
    )
    for project in rows:
        if project.responsible_unit_id not in units:
            chosen.append(project)
            units.add(project.responsible_unit_id)
        if len(chosen) == 6:
            break
    return chosen


def seed_observation(rng, today, county, bureau) -> dict:
    half = "上" if today.month <= 6 else "下"
    event = services.event_create(
        actor=bureau,
        owner=county,
        source=Source.COMMAND,
        values={
            "name": f"{today.year}年{half}半年项目观摩",
            "date": today - timedelta(days=2),
            "year": today.year,
            "note": "县四大班子领导带队，现场观摩重点项目建设情况。",
        },
    )
    for name, marks in CRITERIA:
        services.criterion_add(actor=bureau, event=event, name=name, full_marks=Decimal(marks), source=Source.COMMAND)
    for project in _route(county):
        services.visit_add(actor=bureau, event=event, text=project.code, source=Source.COMMAND)
    accounts = [
        User.objects.get(username=u) for u in ("leader", *SUBMITTED) if User.objects.filter(username=u).exists()
    ]
    judges = [services.judge_add(actor=bureau, event=event, user=u, source=Source.COMMAND) for u in accounts]
    judges.append(services.judge_add(actor=bureau, event=event, name=NAMED, source=Source.COMMAND))
    services.event_set_status(actor=bureau, event=event, status=Status.SCORING, source=Source.COMMAND)
    criteria = list(event.criteria.all())
    for judge in judges:
        if judge.user is not None and judge.user.username == "leader":
            continue  # the demo's leader scores on the phone pages himself
        actor = judge.user or bureau
        for visit in event.visits.all():
            values = {c.pk: str(round(Decimal(c.full_marks) * Decimal(rng.randint(70, 98)) / 100, 1)) for c in criteria}
            services.scores_save(actor=actor, judge=judge, visit=visit, values=values, source=Source.COMMAND)
        services.sheet_submit(actor=actor, judge=judge, source=Source.COMMAND)
    return {"observation_projects": event.visits.count(), "observation_judges": len(judges)}
