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


@pytest.fixture
def county(db):
    towns, parks, depts, teams = (make_group(n) for n in ("乡镇组", "园区组", "部门组", "小分队组"))
    root = make_unit("测试县", "县区")
    town = make_unit("甲镇", "乡镇", root, towns)
    town_park = make_unit("甲镇工业园", "园区", town, parks)
    other_town = make_unit("乙镇", "乡镇", root, towns)
    bureau_unit = make_unit("投资促进中心", "部门", root, depts)
    team = make_unit("第一招商小分队", "招商小分队", root, teams)
    department = make_unit("自然资源局", "部门", root, depts)
    bureau = make_user("bureau", root, Role.BUREAU_ADMIN)
    return County(
        root=root,
        town=town,
        town_park=town_park,
        other_town=other_town,
        bureau_unit=bureau_unit,
        team=team,
        department=department,
        reporter=make_user("reporter", town, Role.REPORTER),
        unit_head=make_user("unithead", town, Role.UNIT_HEAD),
        bureau=bureau,
        leader=make_user("leader", root, Role.LEADER),
        auditor=make_user("auditor", root, Role.AUDITOR),
        sysadmin=make_user("sysadmin", root, Role.SYSTEM_ADMIN),
        outsider=make_user("outsider", other_town, Role.REPORTER),
        dept_user=make_user("dept", department, Role.REPORTER),
        project=make_project(bureau, town, team=team),
        park_project=make_project(bureau, town_park),
        other_project=make_project(bureau, other_town),
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
