"""Setups, form data and checks for the lead register's rows of the permission matrix (tests/org/test_permissions.py):
a lead of 甲镇's, one of 乙镇's with the same investor (首报首谈), a stale one, a ledger project at 线索."""

from datetime import timedelta

from tests.factories import credit_code
from zhaoshang.core.periods import today
from zhaoshang.frontline import services
from zhaoshang.frontline.models import LeadProfile
from zhaoshang.projects.models import Project

TOWN_LEAD = "权限矩阵甲镇线索"
NEW_LEAD = "权限矩阵登记线索"
PLAIN = "权限矩阵在谈项目"


def _register(c, unit, name, code=""):
    values = {"name": name, "investor": "权限矩阵投资方", "responsible_unit": unit, "credit_code": code}
    return services.lead_register(actor=c.bureau, project_values=values, lead_values={"referrer": "引荐人甲"})[0]


def town_lead(c):
    _register(c, c.town, TOWN_LEAD)


def judged_town_lead(c):
    profile = _register(c, c.town, TOWN_LEAD)
    services.lead_judge(actor=c.bureau, profile=profile, judgement="有效", on_date=today())


def stale_town_lead(c):
    profile = _register(c, c.town, TOWN_LEAD)
    LeadProfile.objects.filter(pk=profile.pk).update(registered_on=today() - timedelta(days=90))


def claimed_town_lead(c):
    _register(c, c.other_town, "权限矩阵乙镇首报", credit_code(61001))
    _register(c, c.town, TOWN_LEAD, credit_code(61001))


def plain_project(c):
    Project.objects.create(code="XM-PERM-L", name=PLAIN, investor="权限矩阵投资方", responsible_unit=c.town)


def town_lead_pk(c):
    return LeadProfile.objects.get(project__name=TOWN_LEAD).pk


def plain_pk(c):
    return Project.objects.get(name=PLAIN).pk


def town_lead_is(**values):
    return lambda c: LeadProfile.objects.filter(project__name=TOWN_LEAD, **values).exists()


def new_lead_data(c):
    return {
        "p-name": NEW_LEAD,
        "p-investor": "权限矩阵新投资方",
        "p-funding_type": "内资",
        "p-responsible_unit": c.town.pk,
        "p-stage": "线索",
        "l-registered_on": today().isoformat(),
        "l-source": "自主对接",
    }


def new_lead_made(c):
    return LeadProfile.objects.filter(project__name=NEW_LEAD).exists()


def edit_data(c):
    return {"registered_on": today().isoformat(), "source": "平台活动", "summary": "权限矩阵概况"}


def attach_data(c):
    return {"registered_on": today().isoformat(), "source": "上级推送"}


def attached(c):
    return LeadProfile.objects.filter(project__name=PLAIN).exists()


def moved_to_other_town(c):
    return Project.objects.filter(name=TOWN_LEAD, responsible_unit=c.other_town).exists()
