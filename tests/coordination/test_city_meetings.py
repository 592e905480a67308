"""A city's dispatch meeting covers every county, but a decision about one county's project goes to a unit of
that county (or above it): the task would otherwise show the project to a neighbouring county's users."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhaoshang.coordination import meetings
from zhaoshang.coordination.meeting_models import AgendaItem, ItemKind, MeetingTask
from zhaoshang.core.periods import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(city):
    meeting = meetings.meeting_create(actor=city.city_bureau, unit=city.root, held_on=today())
    return AgendaItem.objects.create(
        meeting=meeting, kind=ItemKind.OTHER, title=f"{city.county.project.code} {city.county.project.name}",
        project=city.county.project, sort_order=99,
    )  # fmt: skip


def test_a_decision_on_a_county_project_cannot_go_to_the_neighbouring_county(city, item, client_for):
    with pytest.raises(ValidationError, match="项目所在县"):
        meetings.agenda_item_decide(
            actor=city.city_bureau, item=item, decision="协调资金", owner=city.n_town, deadline=today()
        )
    assert not MeetingTask.objects.exists()
    tasks = client_for(city.n_reporter).get(reverse("task_list")).content.decode()
    assert city.county.project.name not in tasks


@pytest.mark.parametrize("owner", ["town", "department", "root"])
def test_it_goes_to_the_county_s_own_units_or_above(city, item, owner):
    unit = getattr(city.county, owner)
    meetings.agenda_item_decide(actor=city.city_bureau, item=item, decision="协调资金", owner=unit, deadline=today())
    meetings.agenda_item_decide(
        actor=city.city_bureau, item=item, decision="市里牵头", owner=city.root, deadline=today()
    )
    assert MeetingTask.objects.get().owner == city.root
