"""The base fixture of every test: a small county with one user per role, and an outsider from another unit.

测试县 (root)
├── 甲镇            reporter, unit_head
│   └── 甲镇工业园   (below 甲镇: the unit head sees it, the reporter only reads it)
├── 乙镇            outsider (a reporter of another unit)
├── 投资促进中心
├── 自然资源局      dept_user (a reporter of a 部门: answers the problems and approval steps assigned to it)
└── 第一招商小分队
bureau admin, leader, auditor and system admin sit at the root.
"""

from dataclasses import dataclass

import pytest

from tests.factories import make_group, make_project, make_unit, make_user
from zhaoshang.org.models import Role


@dataclass
class County:
    root: object
    town: object
    town_park: object
    other_town: object
    bureau_unit: object
    team: object
    department: object
    reporter: object
    unit_head: object
    bureau: object
    leader: object
    auditor: object
    sysadmin: object
    outsider: object
    dept_user: object
    project: object  # in 甲镇
    park_project: object  # in 甲镇工业园
    other_project: object  # in 乙镇

    def users(self):
        return {
            name: getattr(self, name)
            for name in ("reporter", "unit_head", "bureau", "leader", "auditor", "sysadmin", "outsider")
        }


def make_users(units: dict, table: dict) -> dict:
    """The users of table ({attribute: (username, unit's attribute, role)}), made in that order, each a member of
    its unit of units, by attribute."""
    return {attr: make_user(username, units[unit], role) for attr, (username, unit, role) in table.items()}


COUNTY_USERS = {
    "bureau": ("bureau", "root", Role.BUREAU_ADMIN),
    "reporter": ("reporter", "town", Role.REPORTER),
    "unit_head": ("unithead", "town", Role.UNIT_HEAD),
    "leader": ("leader", "root", Role.LEADER),
    "auditor": ("auditor", "root", Role.AUDITOR),
    "sysadmin": ("sysadmin", "root", Role.SYSTEM_ADMIN),
    "outsider": ("outsider", "other_town", Role.REPORTER),
    "dept_user": ("dept", "department", Role.REPORTER),
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache stays on in the tests (so a write that forgets to move the data's version shows as a stale page);
    each test starts from an empty one: the ids a rolled-back test used are given again on SQLite."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def county(db):
    towns, parks, depts, teams = (make_group(n) for n in ("乡镇组", "园区组", "部门组", "小分队组"))
    root = make_unit("测试县", "县区")
    town = make_unit("甲镇", "乡镇", root, towns)
    units = {
        "root": root,
        "town": town,
        "town_park": make_unit("甲镇工业园", "园区", town, parks),
        "other_town": make_unit("乙镇", "乡镇", root, towns),
        "bureau_unit": make_unit("投资促进中心", "部门", root, depts),
        "team": make_unit("第一招商小分队", "招商小分队", root, teams),
        "department": make_unit("自然资源局", "部门", root, depts),
    }
    users = make_users(units, COUNTY_USERS)
    bureau = users["bureau"]
    return County(
        **units,
        **users,
        project=make_project(bureau, town, team=units["team"]),
        park_project=make_project(bureau, units["town_park"]),
        other_project=make_project(bureau, units["other_town"]),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@dataclass
class City:
    """A city install: 测试市 at the root, the `county` fixture's 测试县 below it, and a neighbouring county
    邻县 with its own bureau, leader, auditor, system admin, unit head and reporter (of 邻镇) and a project.

    测试市 (root)          city_bureau, city_leader, city_auditor
    ├── 测试县             (the county fixture, unchanged below)
    └── 邻县               n_bureau, n_leader, n_auditor, n_sysadmin
        ├── 邻镇           n_reporter, n_unit_head; n_project
        └── 邻县招商小分队
    """

    root: object
    county: County
    neighbour: object
    n_town: object
    n_team: object
    city_bureau: object
    city_leader: object
    city_auditor: object
    n_bureau: object
    n_leader: object
    n_auditor: object
    n_sysadmin: object
    n_unit_head: object
    n_reporter: object
    n_project: object

    def neighbours(self):
        """The neighbouring county's users: none of them may see or change anything of 测试县."""
        return {
            name: getattr(self, name)
            for name in ("n_bureau", "n_leader", "n_auditor", "n_sysadmin", "n_unit_head", "n_reporter")
        }


CITY_USERS = {
    "n_bureau": ("n_bureau", "neighbour", Role.BUREAU_ADMIN),
    "city_bureau": ("city_bureau", "root", Role.BUREAU_ADMIN),
    "city_leader": ("city_leader", "root", Role.LEADER),
    "city_auditor": ("city_auditor", "root", Role.AUDITOR),
    "n_leader": ("n_leader", "neighbour", Role.LEADER),
    "n_auditor": ("n_auditor", "neighbour", Role.AUDITOR),
    "n_sysadmin": ("n_sysadmin", "neighbour", Role.SYSTEM_ADMIN),
    "n_unit_head": ("n_unithead", "n_town", Role.UNIT_HEAD),
    "n_reporter": ("n_reporter", "n_town", Role.REPORTER),
}


def make_city(county: County) -> City:
    from zhaoshang.org import tree

    root = make_unit("测试市", "市")
    county.root.parent = root
    tree.save_with_path(county.root)
    for name in ("root", "town", "town_park", "other_town", "bureau_unit", "team", "department"):
        getattr(county, name).refresh_from_db()
    for name in ("project", "park_project", "other_project"):
        getattr(county, name).responsible_unit.refresh_from_db()
    from zhaoshang.org.models import AssessmentGroup

    AssessmentGroup.objects.filter(owner=None).update(owner=county.root)  # 测试县's groups are its own
    counties = AssessmentGroup.objects.create(name="县区组", owner=root)
    county.root.group = counties
    county.root.save(update_fields=["group"])
    neighbour = make_unit("邻县", "县区", root, counties)
    units = {
        "root": root,
        "neighbour": neighbour,
        "n_town": make_unit("邻镇", "乡镇", neighbour, AssessmentGroup.objects.create(name="乡镇组", owner=neighbour)),
        "n_team": make_unit(
            "邻县招商小分队", "招商小分队", neighbour, AssessmentGroup.objects.create(name="小分队组", owner=neighbour)
        ),
    }
    users = make_users(units, CITY_USERS)
    n_project = make_project(users["n_bureau"], units["n_town"], team=units["n_team"], name="邻县机密项目")
    return City(county=county, **units, **users, n_project=n_project)


@pytest.fixture
def city(county):
    return make_city(county)
