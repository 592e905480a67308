"""The 观摩 pages' forms; the writes and their checks are the services'."""

from django import forms

from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.observation.models import Criterion, Event
from zhaoshang.observation.services import judge_account_choices


class EventForm(ProductModelForm):
    class Meta:
        model = Event
        fields = ["name", "date", "year", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self):
        """The checks are the service's (event_create / event_update)."""


class CriterionForm(ProductModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "full_marks"]
        help_texts = {"full_marks": "例如 40"}

    def _post_clean(self):
        """The checks are the service's (criterion_add)."""


class JudgeAddForm(ProductForm):
    user = forms.ModelChoiceField(
        label="评委账号", queryset=None, required=False, empty_label="不用账号（主管部门代录）"
    )
    name = forms.CharField(label="评委姓名", max_length=50, required=False, help_text="选择账号时可不填")

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = judge_account_choices(owner)
        self.fields["user"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            raise forms.ValidationError("请选择评委账号，或填写评委姓名")
        return data
