"""观摩 events built through the product's services."""

from datetime import date
from decimal import Decimal

from zhaoshang.observation import services
from zhaoshang.observation.models import Status

CRITERIA = (("项目建设进度", "40"), ("投资强度", "20"), ("科技含量", "20"), ("现场管理", "20"))


def make_event(bureau, projects, *, judges=(), names=(), name="2026年上半年项目观摩", year=2026, criteria=CRITERIA):
    """An event of the bureau's unit visiting `projects` (in order), with judge accounts and judges by name,
    opened for scoring when it has judges."""
    event = services.event_create(actor=bureau, values={"name": name, "date": date(year, 6, 20), "year": year})
    for label, marks in criteria:
        services.criterion_add(actor=bureau, event=event, name=label, full_marks=Decimal(marks))
    for project in projects:
        services.visit_add(actor=bureau, event=event, text=project.code)
    for user in judges:
        services.judge_add(actor=bureau, event=event, user=user)
    for judge_name in names:
        services.judge_add(actor=bureau, event=event, name=judge_name)
    if judges or names:
        services.event_set_status(actor=bureau, event=event, status=Status.SCORING)
    event.refresh_from_db()
    return event


def score_all(actor, judge, per_visit: dict, *, submit=True):
    """per_visit: {visit: [score of each criterion, in order]}."""
    criteria = list(judge.event.criteria.all())
    for visit, values in per_visit.items():
        services.scores_save(
            actor=actor, judge=judge, visit=visit, values={c.pk: str(v) for c, v in zip(criteria, values, strict=True)}
        )
    if submit:
        services.sheet_submit(actor=actor, judge=judge)
