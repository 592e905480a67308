"""`observation:NAME`: a 观摩's result per unit (observation/results.py), with the event's full marks (the sum of
its criteria's). NAME is the event's name among the events of the scheme's owner and year; only an 已结束
event's results feed a scheme (its results are frozen)."""

from decimal import Decimal

from zhaoshang.observation import results
from zhaoshang.observation.models import Event


def observation_values(context, name: str):
    """sources.Context, name → sources.Values."""
    # sources.py imports this module for its KINDS: its names are read when called, not when loaded.
    from zhaoshang.assessment.sources import UnknownSource, Values  # noqa: PLC0415

    events = Event.objects.filter(owner=context.owner, year=context.year)
    event = events.filter(name=name).first()
    if event is None:
        names = "、".join(f"“{n}”" for n in events.order_by("date", "name").values_list("name", flat=True))
        known = f"，{context.year}年已有：{names}" if names else f"，{context.year}年还没有观摩活动"
        raise UnknownSource(f"观摩活动“{name}”不存在{known}")
    if not event.is_closed:
        raise UnknownSource(f"观摩活动“{event.name}”尚未结束评分")
    computed = results.compute(event)
    values = {u.unit.pk: u.result for u in computed.units}
    return Values(
        by_unit={unit.pk: values.get(unit.pk) for unit in context.units},
        full_marks=sum((c.full_marks for c in computed.criteria), Decimal(0)),
    )
