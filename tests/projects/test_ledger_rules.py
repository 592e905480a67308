"""The ledger's rules: stages, dates against the stage, the duplicate rule, 亿元以上, amounts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import credit_code, make_project
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import today
from zhaoshang.projects import services
from zhaoshang.projects.models import Project, StageChange

pytestmark = pytest.mark.django_db


def lead(county, **extra):
    return make_project(county.bureau, county.town, stage="线索", signed_on=None, contract_amount=None, **extra)


def test_it_moves_forward_one_step_and_keeps_the_history(county):
    project = lead(county)
    services.project_change_stage(actor=county.reporter, project=project, to_stage="在谈", on_date=today())
    services.project_change_stage(
        actor=county.reporter, project=project, to_stage="签约", on_date=today(), contract_amount=Decimal("12000")
    )
    project.refresh_from_db()
    assert project.stage == "签约"
    assert project.signed_on == today()
    assert project.first_signed_month == today().replace(day=1)
    assert project.is_major
    history = list(StageChange.objects.filter(project=project).values_list("from_stage", "to_stage"))
    assert history == [("", "线索"), ("线索", "在谈"), ("在谈", "签约")]
    assert StageChange.objects.filter(project=project, to_stage="签约").get().actor == county.reporter


def test_it_refuses_skipping_a_stage(county):
    project = lead(county)
    with pytest.raises(ValidationError) as err:
        services.project_change_stage(actor=county.reporter, project=project, to_stage="开工", on_date=today())
    assert "只能变更为" in str(err.value)
    project.refresh_from_db()
    assert project.stage == "线索"


def test_it_refuses_going_back(county):
    with pytest.raises(ValidationError):
        services.project_change_stage(actor=county.reporter, project=county.project, to_stage="在谈", on_date=today())


def test_it_drops_from_any_stage_only_with_a_reason(county):
    with pytest.raises(ValidationError) as err:
        services.project_change_stage(
            actor=county.reporter, project=county.project, to_stage="终止", on_date=today(), reason="  "
        )
    assert "原因" in str(err.value)
    services.project_change_stage(
        actor=county.reporter, project=county.project, to_stage="终止", on_date=today(), reason="投资方撤资"
    )
    county.project.refresh_from_db()
    assert county.project.stage == "终止"
    assert county.project.dropped_reason == "投资方撤资"
    with pytest.raises(ValidationError):  # 终止 is final
        services.project_change_stage(actor=county.reporter, project=county.project, to_stage="注册", on_date=today())


def test_it_refuses_a_start_before_the_signing(county):
    project = county.project  # signed on 15 January this year
    services.project_change_stage(actor=county.reporter, project=project, to_stage="注册", on_date=project.signed_on)
    with pytest.raises(ValidationError) as err:
        services.project_change_stage(
            actor=county.reporter, project=project, to_stage="开工", on_date=project.signed_on - timedelta(days=1)
        )
    assert "早于" in str(err.value)


def test_it_refuses_a_stage_date_in_the_future(county):
    with pytest.raises(ValidationError, match="晚于今天"):
        services.project_change_stage(
            actor=county.reporter, project=county.project, to_stage="注册", on_date=today() + timedelta(days=1)
        )


@pytest.mark.parametrize(
    "values, field",
    [
        ({"stage": "开工", "started_on": None}, "started_on"),  # a started project has a start date
        ({"stage": "签约", "signed_on": None}, "signed_on"),
        ({"stage": "在谈", "signed_on": date(2026, 1, 15)}, "signed_on"),  # not signed yet: no signing date
        ({"stage": "签约", "contract_amount": None}, "contract_amount"),
        ({"stage": "开工", "started_on": date(2025, 12, 1)}, "started_on"),  # start before signing
        ({"stage": "投产", "started_on": date(2026, 2, 1), "production_on": date(2026, 1, 31)}, "production_on"),
    ],
)
def test_it_keeps_dates_consistent_with_the_stage(county, values, field):
    base = {"signed_on": date(2026, 1, 15), "contract_amount": Decimal(100)}
    with pytest.raises(ValidationError) as err:
        make_project(county.bureau, county.town, **{**base, **values})
    assert field in err.value.message_dict


def test_it_refuses_a_negative_amount(county):
    with pytest.raises(ValidationError) as err:
        make_project(county.bureau, county.town, contract_amount=Decimal("-1"))
    assert "contract_amount" in err.value.message_dict


def test_it_refuses_a_wrong_credit_code(county):
    with pytest.raises(ValidationError) as err:
        make_project(county.bureau, county.town, credit_code="9144030071526726XA")
    assert "校验位错误" in str(err.value.message_dict["credit_code"])


def test_it_refuses_a_duplicate_investor_and_name(county):
    with pytest.raises(ValidationError) as err:
        make_project(county.bureau, county.other_town, name=county.project.name, credit_code=county.project.credit_code)
    assert "重复" in str(err.value)
    assert Project.objects.filter(name=county.project.name).count() == 1


def test_it_allows_the_same_name_for_another_investor(county):
    make_project(county.bureau, county.town, name=county.project.name, credit_code=credit_code(99999))
    assert Project.objects.filter(name=county.project.name).count() == 2


def test_it_uppercases_credit_codes_before_checking(county):
    project = make_project(county.bureau, county.town, credit_code=" 9144030071526726xg ")
    assert project.credit_code == "9144030071526726XG"


@pytest.mark.parametrize(
    "funding, amount, major",
    [
        ("内资", Decimal("10000"), True),  # exactly 1 亿元
        ("内资", Decimal("9999.99"), False),
        ("外资", Decimal("1500"), True),  # 1500 万美元 × 7.10 = 10650 万元
        ("外资", Decimal("1400"), False),  # 9940 万元
    ],
)
def test_it_derives_major_projects(county, funding, amount, major):
    project = make_project(county.bureau, county.town, funding_type=funding, contract_amount=amount)
    assert project.is_major is major


def test_it_reclassifies_foreign_projects_when_the_year_rate_changes(county):
    project = make_project(county.bureau, county.town, funding_type="外资", contract_amount=Decimal("1400"))
    assert not project.is_major
    changed = services.usd_rate_set(actor=county.bureau, year=project.signed_on.year, rate=Decimal("7.20"))
    project.refresh_from_db()
    assert changed == 1 and project.is_major  # 1400 × 7.2 = 10080
    assert AuditEntry.objects.filter(action="usd_rate.set").exists()


def test_it_counts_a_signing_once_even_after_an_amount_upgrade(county):
    first_month = county.project.first_signed_month
    services.project_update(actor=county.bureau, project=county.project, values={"contract_amount": Decimal("20000")})
    county.project.refresh_from_db()
    assert county.project.first_signed_month == first_month
    assert county.project.is_major


def test_it_audits_an_edit_with_before_and_after(county):
    services.project_update(actor=county.reporter, project=county.project, values={"name": "新名称项目"})
    entry = AuditEntry.objects.filter(action="project.updated").get()
    assert entry.actor == county.reporter
    assert entry.data["name"][1] == "新名称项目"
    assert entry.unit == county.town
    assert entry.source == "page"
