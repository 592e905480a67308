"""The monthly grid and the people who change the same month meanwhile: each cell posts back the value the page
showed, so a page loaded before someone else's save writes only what its user changed, refuses a cell changed in
between (naming who and when, keeping what was typed), and a field missing from the post changes nothing."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_project
from tests.sheets.files import run_import, xlsx
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.periods import add_months, current_month, format_month
from zhaoshang.projects.models import AnnualPlan, MonthlyFunds, MonthlyInvestment, Project

pytestmark = pytest.mark.django_db
LAST = add_months(current_month(), -1)
URL = reverse("monthly_report")


class _GridForm(HTMLParser):
    """The fields the grid's form submits, as a browser would: every enabled input, by name."""

    def __init__(self):
        super().__init__()
        self.fields, self.classes, self._inside = {}, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "grid-form":
            self._inside = True
        elif tag == "input" and self._inside and "disabled" not in attrs and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
            self.classes[attrs["name"]] = attrs.get("class") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def read_form(html: str) -> _GridForm:
    parser = _GridForm()
    parser.feed(html)
    return parser


def load(client, unit) -> dict:
    """Open the grid and return what its form would post untouched."""
    response = client.get(URL, {"unit": unit.pk, "month": format_month(LAST)})
    assert response.status_code == 200
    return read_form(response.content.decode()).fields


def save(client, form: dict, **typed):
    """Post a loaded form with some cells typed over (keys like funds_12 for funds-12)."""
    cells = {name.replace("_", "-"): value for name, value in typed.items()}
    return client.post(URL, {**form, **cells})


@pytest.fixture
def key(county):
    return make_project(county.bureau, county.town, key_level="市重点")


@pytest.fixture
def two(county, client_for, key):
    """甲镇's reporter (A) and unit head (B), each with the grid open on the same figures."""
    MonthlyFunds.objects.create(project=county.project, month=LAST, amount=Decimal("10"))
    MonthlyFunds.objects.create(project=key, month=LAST, amount=Decimal("20"))
    a, b = client_for(county.reporter), client_for(county.unit_head)
    return a, load(a, county.town), b, load(b, county.town)


def funds(project):
    row = MonthlyFunds.objects.filter(project=project, month=LAST).first()
    return row.amount if row else None


def test_it_keeps_a_cell_saved_meanwhile_when_a_stale_page_saves_another(county, key, two):
    a, form_a, b, form_b = two
    assert save(a, form_a, **{f"funds_{county.project.pk}": "11"}).status_code == 302
    response = save(b, form_b, **{f"funds_{key.pk}": "22"})
    assert response.status_code == 302
    assert funds(county.project) == Decimal("11")  # A's value survives B's stale page
    assert funds(key) == Decimal("22")
    assert AuditEntry.objects.filter(action="funds.set").count() == 2


def test_it_refuses_a_cell_changed_meanwhile_naming_who_and_when(county, key, two):
    a, form_a, b, form_b = two
    save(a, form_a, **{f"funds_{county.project.pk}": "11"})
    saved_at = timezone.localtime(AuditEntry.objects.get(action="funds.set").created_at)
    response = save(b, form_b, **{f"funds_{county.project.pk}": "12", f"funds_{key.pk}": "22"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "本次未保存任何数据" in body
    assert f"{county.project.code} {county.project.name} 本月到位资金" in body
    assert f"已被 {county.reporter.display_name}" in body and f"{saved_at:%Y-%m-%d %H:%M}" in body
    assert "改为 11.00" in body
    # All or none: B's other cell is not written either; A's value stays.
    assert funds(county.project) == Decimal("11") and funds(key) == Decimal("20")
    # What B typed is kept and the conflicting cell marked; its hidden copy is now what is stored.
    form = read_form(body)
    assert form.fields[f"funds-{county.project.pk}"] == "12"
    assert form.fields[f"funds-{key.pk}"] == "22"
    assert "conflict" in form.classes[f"funds-{county.project.pk}"]
    assert "conflict" not in form.classes[f"funds-{key.pk}"]
    assert form.fields[f"initial-funds-{county.project.pk}"] == "11.00"
    # Saving that page again, having seen A's value, puts B's over it.
    assert b.post(URL, form.fields).status_code == 302
    assert funds(county.project) == Decimal("12") and funds(key) == Decimal("22")


def test_it_treats_a_cell_cleared_meanwhile_as_changed(county, key, two):
    a, form_a, b, form_b = two
    save(a, form_a, **{f"funds_{county.project.pk}": ""})
    body = save(b, form_b, **{f"funds_{county.project.pk}": "15"}).content.decode()
    assert "已被" in body and "清空" in body
    assert funds(county.project) is None


def test_it_does_not_write_cells_the_user_left_as_shown(county, key, two):
    a, form_a, b, form_b = two
    save(a, form_a, **{f"funds_{county.project.pk}": "11", f"funds_{key.pk}": ""})
    response = save(b, form_b)  # B saves the stale page without typing anything
    assert response.status_code == 302
    assert funds(county.project) == Decimal("11") and funds(key) is None
    assert AuditEntry.objects.filter(action="funds.set").count() == 2


def test_a_post_with_only_unit_and_month_changes_nothing(county, client_for, key):
    projects = [county.project, key] + [make_project(county.bureau, county.town, key_level="省重点") for _ in range(4)]
    for p in projects:
        MonthlyFunds.objects.create(project=p, month=LAST, amount=Decimal("1"))
    for p in projects[1:]:
        AnnualPlan.objects.create(project=p, year=LAST.year, amount=Decimal("100"))
        MonthlyInvestment.objects.create(project=p, month=LAST, amount=Decimal("5"))
    before = MonthlyFunds.objects.count() + AnnualPlan.objects.count() + MonthlyInvestment.objects.count()
    assert before == 16
    response = client_for(county.reporter).post(URL, {"unit": county.town.pk, "month": format_month(LAST)})
    assert response.status_code == 302
    after = MonthlyFunds.objects.count() + AnnualPlan.objects.count() + MonthlyInvestment.objects.count()
    assert after == before
    assert not AuditEntry.objects.filter(action__in=["funds.set", "plan.set", "investment.set"]).exists()


def test_it_refuses_a_cell_an_import_changed_meanwhile(county, client_for, key, tmp_path):
    client = client_for(county.reporter)
    form = load(client, county.town)
    run_import("funds", xlsx(tmp_path, [(key.code, format_month(LAST), 80)]), "--user", county.bureau.username)
    body = save(client, form, **{f"funds_{key.pk}": "90"}).content.decode()
    assert "本次未保存任何数据" in body
    assert f"{key.code} {key.name} 本月到位资金" in body and "改为 80.00" in body
    assert f"已被 {county.bureau.display_name}（导入）" in body
    assert funds(key) == Decimal("80")


def test_it_refuses_a_plan_and_an_investment_changed_meanwhile(county, client_for, key):
    client = client_for(county.reporter)
    form = load(client, county.town)
    other = client_for(county.unit_head)
    other_form = load(other, county.town)
    save(other, other_form, **{f"plan_{key.pk}": "8000", f"investment_{key.pk}": "600"})
    body = save(client, form, **{f"plan_{key.pk}": "9000", f"investment_{key.pk}": "650"}).content.decode()
    assert f"{key.code} {key.name} 年度计划投资" in body and f"{key.code} {key.name} 本月完成投资" in body
    assert body.count(f"已被 {county.unit_head.display_name} 于") == 2
    assert AnnualPlan.objects.get(project=key).amount == Decimal("8000")
    assert MonthlyInvestment.objects.get(project=key).amount == Decimal("600")


def test_a_figure_typed_the_same_as_the_one_saved_meanwhile_is_no_conflict(county, key, two):
    a, form_a, b, form_b = two
    save(a, form_a, **{f"funds_{county.project.pk}": "11"})
    assert save(b, form_b, **{f"funds_{county.project.pk}": "11.00", f"funds_{key.pk}": "21"}).status_code == 302
    assert funds(key) == Decimal("21")


def test_it_refuses_a_shown_copy_that_is_not_a_number(county, key, two):
    a, form_a, _, _ = two
    form_a[f"initial-funds-{key.pk}"] = "abc"
    response = save(a, form_a, **{f"funds_{key.pk}": "25"})
    assert response.status_code == 400
    assert "请刷新页面" in response.content.decode()
    assert funds(key) == Decimal("20")


def test_a_value_posted_without_its_copy_fills_a_blank_but_overwrites_nothing(county, client_for, key, two):
    client = client_for(county.reporter)
    new = make_project(county.bureau, county.town)
    response = client.post(URL, {"unit": county.town.pk, "month": format_month(LAST), f"funds-{new.pk}": "7"})
    assert response.status_code == 302 and funds(new) == Decimal("7")
    # 20 is stored; a post that never showed it neither clears it nor overwrites it.
    response = client.post(URL, {"unit": county.town.pk, "month": format_month(LAST), f"funds-{key.pk}": ""})
    assert response.status_code == 302 and funds(key) == Decimal("20")
    response = client.post(URL, {"unit": county.town.pk, "month": format_month(LAST), f"funds-{key.pk}": "30"})
    assert response.status_code == 400 and funds(key) == Decimal("20")
    assert "改为 20.00万元" in response.content.decode()


def test_it_refuses_a_cell_of_a_project_that_left_the_grid_meanwhile(county, client_for, key):
    client = client_for(county.reporter)
    form = load(client, county.town)
    Project.objects.filter(pk=key.pk).update(responsible_unit=county.other_town)  # handed to 乙镇 meanwhile
    response = save(client, form, **{f"funds_{key.pk}": "5", f"funds_{county.project.pk}": "6"})
    assert response.status_code == 400
    assert "有 1 格所属的项目已不在本单位本月的填报表中" in response.content.decode()
    assert read_form(response.content.decode()).fields[f"funds-{county.project.pk}"] == "6"  # kept
    assert not MonthlyFunds.objects.exists()
