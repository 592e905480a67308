"""The carriers pages' forms: a carrier, an occupancy (入驻) and its 迁出, a photo, and the list's filters. One column
on a phone; numbers typed with the numeric keyboard. The services check and save (the forms only parse)."""

from django import forms
from django.core.exceptions import ValidationError

from zhaoshang.carriers.models import Carrier, CarrierKind, Occupancy
from zhaoshang.carriers.queries import text_q
from zhaoshang.carriers.services import projects_for
from zhaoshang.core.field_messages import ProductForm, ProductModelForm
from zhaoshang.core.periods import today
from zhaoshang.org.models import Unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})
CARRIER_NUMBERS = [
    "land_mu",
    "building_m2",
    "occupied_before_mu",
    "occupied_before_m2",
    "rent_yuan_m2_month",
    "price_yuan_m2",
    "land_price_wan_mu",
    "min_investment_wan_mu",
    "min_tax_wan_mu",
    "min_tax_yuan_m2",
]


class CarrierForm(ProductModelForm):
    class Meta:
        model = Carrier
        fields = [
            "unit",
            "name",
            "kind",
            "address",
            *CARRIER_NUMBERS,
            "industries",
            "contact_person",
            "contact_phone",
            "description",
            "is_active",
        ]
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "choice-chips"}),
            "description": forms.Textarea(attrs={"rows": 3, "placeholder": "配套、交通、可分割情况等"}),
            "industries": forms.TextInput(attrs={"placeholder": "如：新能源、装备制造"}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            **{name: NUMBER for name in CARRIER_NUMBERS},
        }
        help_texts = {
            "occupied_before_mu": "台账以外、已被企业使用的土地（例如系统上线前入驻的企业）",
            "occupied_before_m2": "台账以外、已被企业使用的厂房面积",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.writable_by(user).filter(is_active=True).order_by("path")
        self.fields["kind"].choices = CarrierKind.choices
        for name in ("occupied_before_mu", "occupied_before_m2"):
            self.fields[name].required = False

    def _post_clean(self):
        pass  # the service validates the model with the unit's rights, in one transaction

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class OccupancyForm(ProductModelForm):
    """入驻: the project by its 项目编号 (a county holds thousands: no drop-down lists them), its area and dates."""

    project_code = forms.CharField(
        label="项目编号", max_length=40, help_text="本县区台账项目的编号，可在项目台账中查找"
    )

    class Meta:
        model = Occupancy
        fields = ["land_mu", "floor_m2", "moved_in_on", "moved_out_on", "annual_tax_wan", "note"]
        widgets = {
            "moved_in_on": DATE_INPUT,
            "moved_out_on": DATE_INPUT,
            "land_mu": NUMBER,
            "floor_m2": NUMBER,
            "annual_tax_wan": NUMBER,
        }
        help_texts = {
            "land_mu": "供地项目填用地；租用或购买厂房填使用面积；可两项都填",
            "moved_out_on": "仍在驻留空",
            "annual_tax_wan": "用于计算亩均税收；可留空",
        }

    def __init__(self, *args, user, carrier, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.carrier, self.project = user, carrier, None
        self.order_fields(["project_code", *self._meta.fields])
        if self.instance.pk and not self.is_bound:
            self.initial["project_code"] = self.instance.project.code
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("moved_in_on", today())

    def clean_project_code(self):
        code = self.cleaned_data["project_code"].strip()
        self.project = projects_for(self.user, self.carrier).filter(code=code).first()
        if self.project is None:
            raise ValidationError(f"“{code}”不是本县区您可查看的台账项目（已终止的项目不能入驻）")
        return code

    def _post_clean(self):
        pass  # the service checks the space, the dates and the closed month

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**data, "project": self.project}


class EndForm(ProductForm):
    moved_out_on = forms.DateField(label="迁出日期", widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["moved_out_on"] = today()


class PhotoForm(ProductForm):
    image = forms.FileField(
        label="照片", widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}), help_text="JPG 或 PNG"
    )
    caption = forms.CharField(label="说明", max_length=100, required=False)


SORTS = [("m2", "按可用面积（㎡）"), ("mu", "按可用土地（亩）")]


class CarrierFilterForm(ProductForm):
    """What space can we offer: kind, place, the least space wanted, the most rent, text."""

    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *CarrierKind.choices])
    unit = forms.ModelChoiceField(
        label="所属园区/乡镇", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )
    min_mu = forms.DecimalField(
        label="可用土地不少于（亩）", required=False, min_value=0, max_digits=12, decimal_places=2, widget=NUMBER
    )
    min_m2 = forms.DecimalField(
        label="可用面积不少于（㎡）", required=False, min_value=0, max_digits=12, decimal_places=2, widget=NUMBER
    )
    max_rent = forms.DecimalField(
        label="租金不高于（元/㎡·月）", required=False, min_value=0, max_digits=12, decimal_places=2, widget=NUMBER
    )
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "名称、位置、主导产业"}),
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS)
    inactive = forms.BooleanField(label="含停用", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.readable_by(user).filter(is_active=True).order_by("path")

    @property
    def sort_key(self) -> str:
        return self.cleaned_data.get("sort", "") if self.is_bound and self.is_valid() else ""

    def apply(self, rows):
        """The carriers (annotated with their space) these filters choose; an invalid filter chooses none."""
        if not self.is_bound:
            return rows.filter(is_active=True)
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if not data["inactive"]:
            rows = rows.filter(is_active=True)
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["unit"]:
            rows = rows.under(data["unit"])
        if data["min_mu"] is not None:
            rows = rows.filter(available_mu__gte=data["min_mu"])
        if data["min_m2"] is not None:
            rows = rows.filter(available_m2__gte=data["min_m2"])
        if data["max_rent"] is not None:
            rows = rows.filter(rent_yuan_m2_month__lte=data["max_rent"])
        if data["q"].strip():
            rows = rows.filter(text_q(data["q"].strip()))
        return rows
