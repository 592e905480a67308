"""What the permission matrix (tests/org/test_permissions.py) needs for the chains' rows: a chain of 测试县's with a
link worked from 乙镇 (the map, the pages that read a chain), a bare chain of two links nothing points at (the writes
that delete or reorder), and one of the neighbouring county's (the matrix runs on a city install), with the form
data of each write and the checks that it happened."""

from tests.progress.chain_data import make_chain, target_on
from zhaoshang.chains.models import Chain, ChainLink, ChainTarget
from zhaoshang.core.periods import current_month
from zhaoshang.org.models import Unit
from zhaoshang.projects.models import Project

# 测试县's chain names are not part of the neighbour's ("邻县矩阵产业链"), so the boundary test may look for them.
COUNTY_CHAIN = "矩阵新能源链"
BARE_CHAIN = "矩阵空白链"
NEIGHBOUR_CHAIN = "邻县矩阵产业链"
COUNTY_TARGET = "测试县链上目标企业"
NEW_CHAIN = "权限矩阵新产业链"
NEW_LINK = "权限矩阵新环节"
OLD_TEXT = "矩阵旧产业链文本"
YEAR = current_month().year


def county_chain(c):
    _chain, (link,) = make_chain(c.root, COUNTY_CHAIN, [("电芯", "中游", "薄弱")])
    target_on(c.other_town, link, "已接触", COUNTY_TARGET)


def bare_chain(c):
    make_chain(c.root, BARE_CHAIN, [("甲环节", "上游", "薄弱"), ("乙环节", "中游", "缺失")])


def neighbour_chain(c):
    make_chain(Unit.objects.get(name="邻县"), NEIGHBOUR_CHAIN, [("冷链", "下游", "缺失")])


def unmapped_text(c):
    """甲镇's project still carries the old free text, and 测试县 has a chain to map it to."""
    county_chain(c)
    Project.objects.filter(pk=c.project.pk).update(industry_chain=OLD_TEXT)


def county_chain_pk(c):
    return Chain.objects.get(name=COUNTY_CHAIN).pk


def bare_chain_pk(c):
    return Chain.objects.get(name=BARE_CHAIN).pk


def neighbour_chain_pk(c):
    return Chain.objects.get(name=NEIGHBOUR_CHAIN).pk


def county_link_pk(c):
    return ChainLink.objects.get(chain__name=COUNTY_CHAIN).pk


def bare_first_link_pk(c):
    return ChainLink.objects.get(chain__name=BARE_CHAIN, name="甲环节").pk


def neighbour_link_pk(c):
    return ChainLink.objects.get(chain__name=NEIGHBOUR_CHAIN).pk


# --- Form data and checks --------------------------------------------------------------------------------------------


def chain_data(c, prefix=""):
    values = {
        "name": NEW_CHAIN,
        "leader": "",
        "leader_title": "",
        "lead_unit": "",
        "description": "",
        "sort_order": "0",
        "is_active": "on",
    }
    return {f"{prefix}{k}": v for k, v in values.items()}


def chain_edit_data(c):
    return chain_data(c, prefix="c-")  # the chain's page carries the link form too: its fields are prefixed


def chain_made(c):
    return Chain.objects.filter(owner=c.root, name=NEW_CHAIN).exists()


def renamed(link_name):
    """Is the chain with that link (电芯: 测试县's, 冷链: 邻县's) now named NEW_CHAIN?"""
    return lambda c: Chain.objects.filter(name=NEW_CHAIN, links__name=link_name).exists()


def gone(name):
    return lambda c: not Chain.objects.filter(name=name).exists()


def target_data(c):
    return {
        "year": YEAR,
        "signed_count": "5",
        "signed_amount_wan": "",
        "arrived_wan": "",
        "landed_count": "",
        "floor_area_m2": "",
    }


def target_set(pk_of):
    return lambda c: ChainTarget.objects.filter(chain_id=pk_of(c), year=YEAR, signed_count=5).exists()


def link_data(c, prefix=""):
    values = {"name": NEW_LINK, "position": "下游", "strength": "缺失", "work": "延链", "description": ""}
    return {f"{prefix}{k}": v for k, v in values.items()}


def link_add_data(c):
    return link_data(c, prefix="l-")


def link_added(pk_of):
    return lambda c: ChainLink.objects.filter(chain_id=pk_of(c), name=NEW_LINK).exists()


def link_renamed(pk_of):
    return lambda c: ChainLink.objects.filter(pk=pk_of(c), name=NEW_LINK).exists()


def first_link_moved_down(c):
    first, second = (ChainLink.objects.get(chain__name=BARE_CHAIN, name=n) for n in ("甲环节", "乙环节"))
    return first.sort_order > second.sort_order


def first_link_gone(c):
    return not ChainLink.objects.filter(chain__name=BARE_CHAIN, name="甲环节").exists()


def map_data(c):
    return {"text": OLD_TEXT, "target": f"c{county_chain_pk(c)}"}


def text_mapped(c):
    return Project.objects.filter(pk=c.project.pk, chain__name=COUNTY_CHAIN).exists()
