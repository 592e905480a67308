"""Laying out chains: only the bureau managing a chain's owner writes it; everyone who reads business data reads
the chains above and below them; a neighbouring county's chains are not even found (404)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.chains.helpers import make_chain
from zhaoshang.audit.models import AuditEntry
from zhaoshang.chains import services
from zhaoshang.chains.models import Chain, ChainLink, ChainTarget
from zhaoshang.projects import services as project_services

pytestmark = pytest.mark.django_db


def test_it_lets_the_bureau_lay_out_a_chain_with_links_and_targets_on_its_pages(county, client_for):
    client = client_for(county.bureau)
    response = client.post(
        reverse("chain_create"),
        {
            "name": "新能源汽车",
            "leader": county.leader.pk,
            "leader_title": "县委副书记",
            "lead_unit": county.bureau_unit.pk,
            "sort_order": 1,
            "is_active": "on",
        },
    )
    chain = Chain.objects.get(name="新能源汽车")
    assert response.status_code == 302 and chain.owner == county.root and chain.leader == county.leader
    for name, position in (("整车制造", "中游"), ("动力电池", "上游")):
        client.post(
            reverse("chain_link_add", args=[chain.pk]),
            {"l-name": name, "l-position": position, "l-strength": "薄弱", "l-work": "补链"},
        )
    battery = chain.links.get(name="动力电池")
    client.post(reverse("chain_link_move", args=[chain.pk, battery.pk]), {"dir": "up"})
    assert list(chain.links.values_list("name", flat=True)) == ["动力电池", "整车制造"]
    client.post(
        reverse("chain_targets", args=[chain.pk]),
        {
            "year": 2026,
            "signed_count": 12,
            "signed_amount_wan": "100000",
            "arrived_wan": "45000",
            "landed_count": 15,
            "floor_area_m2": "80000",
        },
    )
    target = ChainTarget.objects.get(chain=chain, year=2026)
    assert target.signed_amount_wan == Decimal("100000") and target.landed_count == 15
    page = client.get(reverse("chain_manage")).content.decode()
    assert "新能源汽车" in page and "投资促进中心" in page
    actions = set(AuditEntry.objects.filter(action__startswith="chain.").values_list("action", flat=True))
    assert {"chain.created", "chain.link_created", "chain.links_reordered", "chain.target_set"} <= actions


def test_it_refuses_a_leader_403_and_an_outsider_of_another_county_404(city, client_for):
    county = city.county
    chain = make_chain(county.bureau)
    edit = reverse("chain_edit", args=[chain.pk])
    assert client_for(county.leader).get(edit).status_code == 403
    assert (
        client_for(county.reporter).post(reverse("chain_targets", args=[chain.pk]), {"year": 2026}).status_code == 403
    )
    assert client_for(city.n_bureau).get(edit).status_code == 404
    assert client_for(city.n_bureau).get(reverse("chain_targets", args=[chain.pk])).status_code == 404
    assert client_for(city.n_bureau).post(reverse("chain_delete", args=[chain.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.chain_update(actor=city.n_bureau, chain=chain, values={"name": "改名"})
    assert Chain.objects.filter(pk=chain.pk, name="新能源汽车").exists()


def test_a_township_reads_its_countys_chains_and_nothing_leaks_across_counties(city, client_for):
    county = city.county
    make_chain(county.bureau, name="本县秘密链")
    make_chain(city.n_bureau, name="邻县秘密链")
    make_chain(city.city_bureau, name="全市主导产业")
    town_page = client_for(county.reporter).get(reverse("chain_manage")).content.decode()
    assert "本县秘密链" in town_page and "全市主导产业" in town_page and "邻县秘密链" not in town_page
    neighbour = client_for(city.n_reporter).get(reverse("chain_manage")).content.decode()
    assert "本县秘密链" not in neighbour and "邻县秘密链" in neighbour
    both = client_for(city.city_leader).get(reverse("chain_manage")).content.decode()
    assert "本县秘密链" in both and "邻县秘密链" in both
    export = b"".join(client_for(city.n_bureau).get(reverse("chain_manage"), {"format": "xlsx"}).streaming_content)
    assert "本县秘密链".encode() not in export


def test_a_chain_is_not_deleted_while_a_project_points_at_it(county, client_for):
    chain = make_chain(county.bureau)
    project_services.project_update(actor=county.bureau, project=county.project, values={"chain": chain})
    response = client_for(county.bureau).post(reverse("chain_delete", args=[chain.pk]), follow=True)
    assert "仍有 1 个项目或目标企业关联，不能删除" in response.content.decode()
    assert Chain.objects.filter(pk=chain.pk).exists()
    project_services.project_update(actor=county.bureau, project=county.project, values={"chain": None})
    services.chain_delete(actor=county.bureau, chain=chain)
    assert not Chain.objects.filter(pk=chain.pk).exists() and not ChainLink.objects.exists()


def test_a_link_must_belong_to_the_chain_and_the_chain_to_the_projects_county(city):
    county = city.county
    ours = make_chain(county.bureau)
    other = make_chain(county.bureau, name="生物医药", links=[("原料药", "上游", "缺失")])
    with pytest.raises(ValidationError) as refused:
        project_services.project_update(
            actor=county.bureau,
            project=county.project,
            values={"chain": ours, "chain_link": other.links.get()},
        )
    assert "环节“原料药”不属于产业链“新能源汽车”" in str(refused.value)
    theirs = make_chain(city.n_bureau, name="邻县链")
    with pytest.raises(ValidationError) as refused:
        project_services.project_update(actor=county.bureau, project=county.project, values={"chain": theirs})
    assert "不是甲镇可选用的产业链" in str(refused.value)
    county.project.refresh_from_db()
    assert county.project.chain is None


def test_the_project_form_offers_the_countys_chains_and_the_detail_shows_chain_and_link(city, client_for):
    county = city.county
    chain = make_chain(county.bureau)
    make_chain(city.n_bureau, name="邻县链")
    client = client_for(county.bureau)
    form = client.get(reverse("project_edit", args=[county.project.pk])).content.decode()
    assert "新能源汽车/动力电池" in form and "邻县链" not in form
    battery = chain.links.get(name="动力电池")
    project_services.project_update(
        actor=county.bureau, project=county.project, values={"chain": chain, "chain_link": battery}
    )
    detail = client.get(reverse("project_detail", args=[county.project.pk])).content.decode()
    assert "新能源汽车/动力电池" in detail
    listed = client.get(reverse("project_list"), {"chain": chain.pk}).content.decode()
    assert county.project.code in listed and county.other_project.code not in listed


def test_the_chain_list_takes_a_fixed_number_of_queries(county, client_for):
    client = client_for(county.bureau)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("chain_manage")).status_code == 200
        return len(ctx.captured_queries)

    make_chain(county.bureau, name="链1")
    few = count()
    for n in range(2, 8):
        make_chain(county.bureau, name=f"链{n}", leader=county.leader, lead_unit=county.bureau_unit)
    assert count() == few
