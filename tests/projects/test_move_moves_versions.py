"""A project moved to another unit leaves the cached pages of the unit it left too (org/versions.py): that county's
dashboard and meeting material listed it (its problems, approvals, lead deadlines) whether or not it had figures."""

import pytest

from tests.factories import make_project
from zhaoshang.org import versions
from zhaoshang.projects import services
from zhaoshang.projects.models import Stage

pytestmark = pytest.mark.django_db


def test_it_moves_the_version_of_the_county_a_project_without_figures_leaves(city):
    project = make_project(
        city.county.bureau, city.county.town, name="迁移线索", stage=Stage.LEAD, signed_on=None, contract_amount=None
    )
    left, joined = city.county.root, city.n_town.parent
    before_left, before_joined = versions.version_for(left), versions.version_for(joined)

    services.project_update(actor=city.city_bureau, project=project, values={"responsible_unit": city.n_town})

    assert versions.version_for(left) > before_left
    assert versions.version_for(joined) > before_joined


def test_a_change_that_moves_nothing_leaves_the_other_county_alone(city):
    project = city.county.project
    before_other = versions.version_for(city.n_town.parent)

    services.project_update(actor=city.county.bureau, project=project, values={"investor": "另一投资方"})

    assert versions.version_for(city.n_town.parent) == before_other
