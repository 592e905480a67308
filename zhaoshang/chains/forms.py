"""The chain pages' forms; the writes and their checks are the services'."""

from django import forms

from zhaoshang.chains.models import Chain, ChainLink, ChainTarget
from zhaoshang.chains.services import lead_unit_choices, leader_choices
from zhaoshang.core.field_messages import ProductModelForm


class ChainForm(ProductModelForm):
    class Meta:
        model = Chain
        fields = ["name", "leader", "leader_title", "lead_unit", "description", "sort_order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "leader_title": "例如 县委副书记",
            "is_active": "停用的产业链仍保留已关联的项目，但不能再选用",
            "sort_order": "数字小的排在前面",
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leader_choices(owner)
        self.fields["leader"].label_from_instance = lambda u: u.display_name
        self.fields["leader"].empty_label = "暂不指定"
        self.fields["lead_unit"].queryset = lead_unit_choices(owner)
        self.fields["lead_unit"].empty_label = "暂不指定"

    def _post_clean(self):
        """The checks are the service's (chain_create / chain_update), with the owner it knows."""


class LinkForm(ProductModelForm):
    class Meta:
        model = ChainLink
        fields = ["name", "position", "strength", "work", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].choices = [("", "—")] + list(self.fields["work"].choices)[1:]

    def _post_clean(self):
        """The checks are the service's (link_save)."""


class TargetForm(ProductModelForm):
    class Meta:
        model = ChainTarget
        fields = ["year", "signed_count", "signed_amount_wan", "arrived_wan", "landed_count", "floor_area_m2"]
        help_texts = {"signed_amount_wan": "例如 10亿元 填 100000", "arrived_wan": "例如 4.5亿元 填 45000"}

    def _post_clean(self):
        """The checks are the service's (target_set)."""
