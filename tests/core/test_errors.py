from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from zhaoshang.closing.guard import MonthClosed
from zhaoshang.core.errors import Refused, add_refusal, refusal_text


class _Form(forms.Form):
    month = forms.CharField(required=False)
    region = forms.CharField(required=False)


def _form():
    form = _Form({})
    assert form.is_valid()
    return form


def test_a_refusal_is_a_validation_error_whose_text_is_its_message():
    refused = Refused("不能撤销：该月已关账")
    assert isinstance(refused, ValidationError)
    assert str(refused) == "不能撤销：该月已关账"
    assert refused.messages == ["不能撤销：该月已关账"]
    assert str(Refused(["甲", "乙"])) == "甲；乙"


def test_a_refusal_with_a_field_belongs_to_it():
    refused = Refused("请填写地区", field="region")
    assert refused.message_dict == {"region": ["请填写地区"]}
    assert str(refused) == "请填写地区"


def test_a_closed_month_is_a_refusal_and_reads_as_before():
    closed = MonthClosed(date(2026, 3, 1))
    assert isinstance(closed, Refused)
    assert closed.month == date(2026, 3, 1)
    assert str(closed) == "2026年3月已关账，不能修改该月数据；如需更正，请联系主管部门重新开放该月"
    assert closed.messages == [str(closed)]


def test_add_refusal_puts_field_errors_on_their_fields_and_the_rest_above_the_form():
    form = _form()
    add_refusal(form, ValidationError({"region": "地区不在您的范围内", "unknown": "其他", "__all__": "整体"}))
    assert form.errors["region"] == ["地区不在您的范围内"]
    assert form.non_field_errors() == ["其他", "整体"]

    form = _form()
    add_refusal(form, MonthClosed(date(2026, 3, 1)))
    assert form.non_field_errors() == [str(MonthClosed(date(2026, 3, 1)))]


def test_add_refusal_can_put_everything_in_one_place():
    form = _form()
    add_refusal(form, MonthClosed(date(2026, 3, 1)), field="month")
    assert form.errors["month"] == [str(MonthClosed(date(2026, 3, 1)))]

    form = _form()
    add_refusal(form, ValidationError({"region": "请填写地区"}), by_field=False)
    assert form.non_field_errors() == ["请填写地区"] and "region" not in form.errors


def test_refusal_text_joins_every_message():
    assert refusal_text(ValidationError({"a": "甲", "b": ["乙", "丙"]})) == "甲；乙；丙"
