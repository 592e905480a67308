"""/chains/unmapped/: the bureau maps the ledger's old 产业链 texts to its chains, a text equal to a chain's name
offered as the suggestion; a closed month does not block it (a chain is not a monthly figure); audited."""

import pytest
from django.urls import reverse

from tests.chains.helpers import make_chain
from tests.factories import make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.closing.services import month_close
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_bureau_maps_an_old_text_to_a_chain_in_one_click(county, client_for):
    chain = make_chain(county.bureau)
    for unit in (county.town, county.other_town):
        make_project(county.bureau, unit, industry_chain="新能源汽车")
    make_project(county.bureau, county.town, industry_chain="汽车零部件")
    month_close(actor=county.bureau, unit=county.root, month=Project.objects.first().first_signed_month)
    client = client_for(county.bureau)
    page = client.get(reverse("chain_unmapped"))
    rows = page.context["rows"]
    assert [(r["text"], r["count"]) for r in rows] == [("新能源汽车", 2), ("汽车零部件", 1)]
    assert rows[0]["suggested"] == f"c{chain.pk}" and rows[1]["suggested"] == ""
    battery = chain.links.get(name="动力电池")
    response = client.post(reverse("chain_unmapped"), {"text": "汽车零部件", "target": f"l{battery.pk}"}, follow=True)
    assert "已将“汽车零部件”的 1 个项目关联到产业链“新能源汽车/动力电池”" in response.content.decode()
    mapped = Project.objects.get(industry_chain="汽车零部件")
    assert mapped.chain == chain and mapped.chain_link == battery and mapped.industry_chain == "汽车零部件"
    assert AuditEntry.objects.filter(action="project.chain_mapped", target_id=str(mapped.pk)).exists()
    assert [r["text"] for r in client.get(reverse("chain_unmapped")).context["rows"]] == ["新能源汽车"]


def test_mapping_stays_inside_the_bureaus_county(city, client_for):
    county = city.county
    make_project(city.n_bureau, city.n_town, industry_chain="新能源汽车")
    make_project(county.bureau, county.town, industry_chain="新能源汽车")
    ours = make_chain(county.bureau)
    theirs = make_chain(city.n_bureau)
    assert client_for(city.n_bureau).get(reverse("chain_unmapped")).context["rows"] == [
        {"text": "新能源汽车", "count": 1, "suggested": f"c{theirs.pk}"}
    ]
    # a county bureau cannot map onto the neighbour's chain, nor reach the neighbour's projects
    # (the neighbour's chain, or a link of it, answers as an id that does not exist: ids cannot be probed)
    bureau = client_for(county.bureau)
    for target in (f"c{theirs.pk}", f"l{theirs.links.first().pk}", "c999999"):
        answer = bureau.post(reverse("chain_unmapped"), {"text": "新能源汽车", "target": target}, follow=True)
        assert "请选择要关联的产业链" in answer.content.decode(), target
    assert not Project.objects.filter(chain=theirs).exists()
    client_for(county.bureau).post(reverse("chain_unmapped"), {"text": "新能源汽车", "target": f"c{ours.pk}"})
    assert list(Project.objects.filter(chain=ours).values_list("responsible_unit", flat=True)) == [county.town.pk]
    assert Project.objects.get(responsible_unit=city.n_town, industry_chain="新能源汽车").chain is None
    assert client_for(county.leader).get(reverse("chain_unmapped")).status_code == 403
