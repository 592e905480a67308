"""What staff read on the pages: no developer's buttons (a raw JSON download) and no environment-variable names;
those belong to the command line and the deployment guide (docs/deploy.md, .env.example)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_offers_json_or_names_an_environment_variable(path):
    text = path.read_text(encoding="utf-8")
    assert "format=json" not in text, "JSON 是给命令行和接口用的，不在页面上给工作人员按钮"
    assert not re.search(r"ZHAOSHANG_[A-Z_]+", text), "页面上不出现环境变量名（部署说明里写）"


PERIOD_PAGES = ["dashboard", "bulletin_draft", "meeting_list", "economy", "monthly_report", "import_page"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PERIOD_PAGES)
def test_every_page_that_takes_a_month_offers_a_month_picker(county, client_for, route):
    body = client_for(county.bureau).get(reverse(route)).content.decode()
    assert re.search(r'<input type="month" name="month" value="\d{4}-\d{2}"', body), route
    assert "?month=YYYY-MM" not in body
