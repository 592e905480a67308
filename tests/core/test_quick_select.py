"""QuickSelect draws the same drop-down as Django's Select (compared as parsed HTML), only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from zhaoshang.core.field_messages import ProductForm
from zhaoshang.core.widgets import QuickSelect
from zhaoshang.org.models import Unit

CHOICES = [("", "全部"), ("a", "甲 & <乙>"), ("b", "丙")]
GROUPED = [("", "全部"), ("上游", [("1", "原料"), ("2", "部件")]), ("下游", [("3", "整机")])]


def both(choices, value, attrs=None):
    django_html = forms.Select(choices=choices).render("f", value, attrs=attrs)
    quick_html = QuickSelect(choices=choices).render("f", value, attrs=attrs)
    return parse_html(django_html), parse_html(quick_html)


@pytest.mark.parametrize("value", [None, "", "a", "b", "zz"])
def test_plain_choices_render_as_djangos_select(value):
    expected, got = both(CHOICES, value, {"id": "id_f", "required": True})
    assert got == expected


@pytest.mark.parametrize("value", [None, "2", "3"])
def test_option_groups_render_as_djangos_select(value):
    expected, got = both(GROUPED, value)
    assert got == expected


def test_labels_are_escaped():
    html = QuickSelect(choices=CHOICES).render("f", "a")
    assert "甲 &amp; &lt;乙&gt;" in html and "<乙>" not in html


class _Form(ProductForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    stage = forms.ChoiceField(label="阶段", choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(label="多选", choices=CHOICES[1:], required=False)


@pytest.mark.django_db
def test_product_forms_draw_plain_selects_quickly_and_keep_querysets_set_later(county):
    form = _Form({"unit": str(county.town.pk)})
    form.fields["unit"].queryset = Unit.objects.filter(pk__in=[county.root.pk, county.town.pk])
    assert type(form.fields["unit"].widget) is QuickSelect and type(form.fields["stage"].widget) is QuickSelect
    assert type(form.fields["many"].widget) is forms.SelectMultiple  # subclasses keep Django's
    html = str(form["unit"])
    expected = forms.Select(choices=form.fields["unit"].choices).render(
        "unit", str(county.town.pk), attrs={"id": "id_unit"}
    )
    assert parse_html(html) == parse_html(expected)
    assert html.startswith('<select name="unit"')  # the name first, as Django writes it
    assert f'<option value="{county.town.pk}" selected>{county.town.name}</option>' in html
