"""The library's forms: a target's entry (one column on a phone, tags as chips), the list's filters and the
search for work to link on a target's page."""

from django import forms
from django.db.models import Q

from zhaoshang.chains.models import Chain, ChainLink
from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.industry import rules
from zhaoshang.industry.models import ContactStatus, EnterpriseTag, TargetEnterprise
from zhaoshang.industry.tags import join_tags, split_tags, tag_filter
from zhaoshang.org.models import Unit


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.chain.name}/{obj.name}（{obj.position}）"


class TargetForm(ProductModelForm):
    tag_list = forms.MultipleChoiceField(
        label="企业类型", required=False, choices=EnterpriseTag.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = TargetEnterprise
        fields = [
            "unit",
            "name",
            "credit_code",
            "headquarters",
            "chain",
            "link",
            "main_products",
            "contact_person",
            "contact_phone",
            "status",
            "note",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "企业全称"}),
            "credit_code": forms.TextInput(attrs={"placeholder": "18位，可留空", "autocapitalize": "characters"}),
            "headquarters": forms.TextInput(attrs={"placeholder": "如：深圳市"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "status": forms.RadioSelect(attrs={"class": "choice-chips"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"link": LinkChoiceField}

    field_order = ["unit", "name", "credit_code", "headquarters", "tag_list"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.writable_by(user).filter(is_active=True).order_by("path")
        self.fields["unit"].label = "责任单位"
        # The chains the user reads; the service checks the one chosen is usable by the chosen unit.
        chains = Chain.objects.visible_to(user).filter(is_active=True)
        self.fields["chain"].queryset = chains
        self.fields["chain"].empty_label = "（未归链）"
        self.fields["link"].queryset = ChainLink.objects.filter(chain__in=chains).select_related("chain")
        self.fields["link"].empty_label = "（未定环节）"
        self.fields["status"].choices = ContactStatus.choices
        if self.instance.pk and not self.is_bound:
            self.initial["tag_list"] = split_tags(self.instance.tags)

    def _post_clean(self):
        pass  # the service validates, with the duplicate rule and the owner's rights, in one transaction

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**data, "tags": join_tags(self.cleaned_data["tag_list"])}


class TargetFilterForm(ProductForm):
    q = forms.CharField(label="搜索", required=False, max_length=50)
    chain = forms.ModelChoiceField(label="产业链", queryset=Chain.objects.none(), required=False, empty_label="全部")
    link = LinkChoiceField(label="环节", queryset=ChainLink.objects.none(), required=False, empty_label="全部")
    tag = forms.ChoiceField(label="企业类型", required=False, choices=[("", "全部"), *EnterpriseTag.choices])
    status = forms.ChoiceField(label="对接状态", required=False, choices=[("", "全部"), *ContactStatus.choices])
    unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none(), required=False, empty_label="全部")
    unworked = forms.BooleanField(label="无人对接", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chains = Chain.objects.visible_to(user)
        self.fields["chain"].queryset = chains
        self.fields["link"].queryset = ChainLink.objects.filter(chain__in=chains).select_related("chain")
        self.fields["unit"].queryset = Unit.objects.readable_by(user).filter(is_active=True).order_by("path")

    def apply(self, rows):
        """The targets these filters choose; an invalid filter chooses none (the page says why beside it)."""
        if not self.is_bound:
            return rows
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["unit"]:
            rows = rows.under(data["unit"])
        if data["chain"]:
            rows = rows.filter(chain=data["chain"])
        if data["link"]:
            rows = rows.filter(link=data["link"])
        if data["tag"]:
            rows = rows.filter(**tag_filter(data["tag"]))
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["unworked"]:
            rows = rows.filter(rules.unworked_q())
        text = data["q"].strip()
        if text:
            rows = rows.filter(
                Q(name__icontains=rules.canonical_name(text))
                | Q(credit_code__icontains=text.upper())
                | Q(main_products__icontains=text)
                | Q(headquarters__icontains=text)
                | Q(contact_person__icontains=text)
            )
        return rows


WORK_KINDS = [("trip", "外出拜访"), ("reception", "来访接待"), ("project", "线索或项目")]


class WorkSearchForm(ProductForm):
    """On a target's page: find the work to link among what the user reads."""

    kind = forms.ChoiceField(label="类型", choices=WORK_KINDS, initial="trip")
    q = forms.CharField(label="查找", max_length=50, widget=forms.TextInput(attrs={"type": "search"}))
