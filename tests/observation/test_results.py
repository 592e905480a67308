"""The results of a 观摩, hand-computed: a judge's total is the sum of its criteria; with five or more submitted
sheets the highest and the lowest total of each project are dropped; a unit's result is the mean of its projects,
or their weighted mean; units rank competition style within their group. And the `observation:NAME` source."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_project, make_unit
from tests.observation.helpers import make_event, score_all
from zhaoshang.assessment import sources
from zhaoshang.assessment.models import Rule, Scheme, SchemeItem
from zhaoshang.observation import results, services
from zhaoshang.observation.models import Status

pytestmark = pytest.mark.django_db

TWO = (("建设进度", "60"), ("现场管理", "40"))


def _split(total):
    """A total as (进度, 管理) within the full marks 60 and 40."""
    total = Decimal(total)
    first = min(total, Decimal(60))
    return [first, total - first]


def _event_with(county, totals_by_project: dict, **kw):
    """One judge by name per column; totals_by_project {project: [total of judge 1, judge 2, …]}."""
    count = len(next(iter(totals_by_project.values())))
    event = make_event(
        county.bureau, list(totals_by_project), names=[f"评委{i}" for i in range(1, count + 1)], criteria=TWO, **kw
    )
    visits = {v.project_id: v for v in event.visits.all()}
    for index, judge in enumerate(event.judges.all()):
        score_all(
            county.bureau, judge, {visits[p.pk]: _split(totals[index]) for p, totals in totals_by_project.items()}
        )
    return event


def test_four_judges_give_the_plain_mean(county):
    event = _event_with(county, {county.project: [80, 90, 70, 100]})
    (project,) = results.compute(event).projects
    assert project.result == Decimal(85) and not project.trimmed  # (80+90+70+100)/4


def test_five_judges_drop_the_single_highest_and_lowest(county):
    event = _event_with(county, {county.project: [80, 90, 70, 100, 60]})
    (project,) = results.compute(event).projects
    assert project.result == Decimal(80) and project.trimmed  # (80+90+70)/3, 100 and 60 dropped
    # a tie at the top: only one of the two 100s is dropped
    event = _event_with(county, {county.park_project: [100, 100, 90, 80, 70.5]}, name="第二次观摩")
    (project,) = results.compute(event).projects
    assert project.result == Decimal("90")  # (100+90+80)/3


def test_only_submitted_sheets_count(county):
    event = make_event(county.bureau, [county.project], names=["甲", "乙"], criteria=TWO)
    visit = event.visits.get()
    first, second = event.judges.all()
    score_all(county.bureau, first, {visit: [50, 30]})
    score_all(county.bureau, second, {visit: [20, 10]}, submit=False)
    (project,) = results.compute(event).projects
    assert project.result == Decimal(80) and set(project.totals) == {first.pk}


def test_a_units_result_is_the_mean_or_the_weighted_mean_of_its_projects(county):
    second = make_project(county.bureau, county.town, name="甲镇第二项目")
    event = _event_with(county, {county.project: [80, 80], second: [90, 90], county.other_project: [70, 70]})
    towns = {u.unit.name: u for u in results.compute(event).units}
    assert towns["甲镇"].result == Decimal(85) and not towns["甲镇"].weighted  # (80+90)/2
    visits = {v.project_id: v for v in event.visits.all()}
    services.visit_update(actor=county.bureau, visit=visits[county.project.pk], weight=Decimal(3))
    # one weight only: still the plain mean (a weight is used when every project of the unit has one)
    assert results.compute(event).units[0].result == Decimal(85)
    services.visit_update(actor=county.bureau, visit=visits[second.pk], weight=Decimal(1))
    towns = {u.unit.name: u for u in results.compute(event).units}
    assert towns["甲镇"].result == Decimal("82.5") and towns["甲镇"].weighted  # (80×3 + 90×1) / 4
    assert towns["乙镇"].result == Decimal(70)


def test_units_rank_competition_style_within_their_group(county):
    group = county.town.group
    third = make_project(county.bureau, make_unit("丙镇", "乡镇", county.root, group))
    fourth = make_project(county.bureau, make_unit("丁镇", "乡镇", county.root, group))
    event = _event_with(
        county,
        {
            county.project: [90, 90],
            county.other_project: [80, 80],
            third: [80, 80],
            fourth: [70, 70],
            county.park_project: [10, 10],  # 甲镇工业园 is in 园区组: first of its own group
        },
    )
    computed = results.compute(event)
    ranks = {u.unit.name: u.rank for u in computed.units}
    assert ranks == {"甲镇": 1, "乙镇": 2, "丙镇": 2, "丁镇": 4, "甲镇工业园": 1}
    assert [name for name, _ in computed.groups()] == ["乡镇组", "园区组"]


def _scheme(county, of):
    scheme = Scheme.objects.create(owner=county.root, name="年度考核", year=2026, period=date(2026, 12, 1))
    SchemeItem.objects.create(scheme=scheme, name="项目观摩", points=Decimal(10), rule=Rule.JUDGES, params={"of": of})
    return scheme


def _context(county, scheme):
    return sources.Context(
        owner=scheme.owner, year=scheme.year, month=scheme.period, units=(county.town, county.other_town)
    )


def test_the_source_feeds_a_scheme_only_once_the_event_is_over(county):
    event = _event_with(county, {county.project: [80, 90], county.other_project: [70, 75]})
    scheme = _scheme(county, "observation:2026年上半年项目观摩")
    item = scheme.items.get()
    with pytest.raises(sources.UnknownSource, match="观摩活动“2026年上半年项目观摩”尚未结束评分"):
        sources.read(item.params["of"], _context(county, scheme))
    services.event_set_status(actor=county.bureau, event=event, status=Status.CLOSED)
    values = sources.read(item.params["of"], _context(county, scheme))
    assert values.by_unit == {county.town.pk: Decimal(85), county.other_town.pk: Decimal("72.5")}
    assert values.full_marks == Decimal(100)
    with pytest.raises(sources.UnknownSource, match="观摩活动“下半年观摩”不存在，2026年已有：“2026年上半年项目观摩”"):
        sources.read("observation:下半年观摩", _context(county, scheme))


def test_a_closed_event_is_frozen(county):
    event = _event_with(county, {county.project: [80, 90]})
    services.event_set_status(actor=county.bureau, event=event, status=Status.CLOSED)
    with pytest.raises(ValidationError, match="已结束"):
        services.visit_update(actor=county.bureau, visit=event.visits.get(), weight=Decimal(2))
    with pytest.raises(ValidationError, match="已结束"):
        services.event_set_status(actor=county.bureau, event=event, status=Status.SCORING)
