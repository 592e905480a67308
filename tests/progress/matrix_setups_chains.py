"""What the permission matrix (tests/org/test_permissions.py) needs for the chain map's rows: a chain of 测试县's
with a link worked from 乙镇, and one of the neighbouring county's (the matrix runs on a city install)."""

from tests.progress.chain_data import make_chain, target_on
from zhaoshang.chains.models import Chain
from zhaoshang.org.models import Unit


def county_chain(c):
    _chain, (link,) = make_chain(c.root, "矩阵产业链", [("电芯", "中游", "薄弱")])
    target_on(c.other_town, link, "已接触", "矩阵目标企业")


def neighbour_chain(c):
    make_chain(Unit.objects.get(name="邻县"), "邻县矩阵产业链", [("冷链", "下游", "缺失")])


def county_chain_pk(c):
    return Chain.objects.get(name="矩阵产业链").pk


def neighbour_chain_pk(c):
    return Chain.objects.get(name="邻县矩阵产业链").pk
