"""The lead form's 产业链 and 环节 selects (registering a lead from /leads/new/): they offer the chains the entering
unit may use (its county's, never a neighbouring county's), a chain of another county is refused, and so is a link
that is not the chosen chain's; a refused lead writes nothing and says why in Chinese."""

import pytest
from django.urls import reverse

from tests.frontline.test_lead_pages import _post_new
from tests.progress.chain_data import make_chain
from zhaoshang.audit.models import AuditEntry
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db

NAME = "锂电池正极材料项目"  # what _post_new registers


@pytest.fixture
def chains(city):
    county = city.county
    ours, (cells, packs) = make_chain(county.root, "测试县储能", [("电芯", "中游", "薄弱"), ("电池包", "中游", "薄弱")])
    other, (drugs,) = make_chain(county.root, "测试县生物医药", [("原料药", "上游", "缺失")])
    theirs, (cold,) = make_chain(city.neighbour, "邻县绿色食品", [("冷链", "下游", "缺失")])
    return {"ours": ours, "cells": cells, "other": other, "drugs": drugs, "theirs": theirs, "cold": cold}


def refused(response):
    assert response.status_code == 400
    assert not Project.objects.filter(name=NAME).exists() and not LeadProfile.objects.exists()
    assert not AuditEntry.objects.filter(action="lead.registered").exists()
    assert AuditEntry.objects.filter(action="project.created").count() == Project.objects.count()  # the install's
    return response.content.decode()


def test_the_form_offers_the_countys_chains_and_links_only(city, chains, client_for):
    page = client_for(city.county.reporter).get(reverse("lead_new")).content.decode()
    assert "测试县储能" in page and "测试县储能/电芯" in page and "测试县生物医药/原料药" in page
    assert "邻县绿色食品" not in page and "冷链" not in page


def test_a_lead_takes_a_chain_of_its_county_and_a_link_of_that_chain(city, chains, client_for):
    county = city.county
    response = _post_new(
        client_for(county.reporter), county, **{"p-chain": chains["ours"].pk, "p-chain_link": chains["cells"].pk}
    )
    assert response.status_code == 302
    project = Project.objects.get(name=NAME)
    assert (project.chain, project.chain_link) == (chains["ours"], chains["cells"])


@pytest.mark.parametrize("user", ["reporter", "bureau"])
def test_a_chain_of_another_county_is_refused(city, chains, client_for, user):
    county = city.county
    client = client_for(getattr(county, user))
    body = refused(_post_new(client, county, **{"p-chain": chains["theirs"].pk}))
    assert "所选产业链不在可选范围内" in body and "邻县绿色食品" not in body
    # nor through its link, with a chain of the county's
    body = refused(_post_new(client, county, **{"p-chain": chains["ours"].pk, "p-chain_link": chains["cold"].pk}))
    assert "所选环节不在可选范围内" in body and "冷链" not in body


def test_a_link_not_of_the_chosen_chain_is_refused(city, chains, client_for):
    county = city.county
    body = refused(
        _post_new(
            client_for(county.reporter), county, **{"p-chain": chains["ours"].pk, "p-chain_link": chains["drugs"].pk}
        )
    )
    assert "环节“原料药”不属于产业链“测试县储能”" in body
    # and a link without its chain
    body = refused(_post_new(client_for(county.reporter), county, **{"p-chain_link": chains["cells"].pk}))
    assert "选择环节前请先选择产业链" in body
