"""The issuing office's settings (发文设置) as the bureau fills them in; the service checks and saves them."""

from django import forms

from zhaoshang.bulletins.chains import TABLES
from zhaoshang.bulletins.columns import COLUMNS, DEFAULT_COLUMNS
from zhaoshang.bulletins.models import IssuingOffice
from zhaoshang.bulletins.office import FIELDS, LIST_LIMIT_MAX, LIST_LIMIT_MIN, list_limit_of, office_of
from zhaoshang.core.field_messages import ProductForm

HINTS = {
    "mark": "留空则为“发文机关名称＋文件”",
    "number_prefix": "文号形如 示招商〔2026〕12号，按年度自动编号",
    "addressee": "多个机关用顿号或逗号隔开，末尾不加冒号",
    "copy_to": "可留空；末尾不加句号",
}


class OfficeForm(ProductForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            model_field = IssuingOffice._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name,
                required=False,  # the service says what is missing, in its own words
                help_text=HINTS.get(name, ""),
                widget=forms.TextInput(attrs={"maxlength": model_field.max_length}),
            )
        self.fields["annex_columns"] = forms.MultipleChoiceField(
            label="附件排名表的栏目",
            choices=[(column.code, column.header) for column in COLUMNS],
            required=False,  # none ticked: the default set
            widget=forms.CheckboxSelectMultiple(attrs={"class": "column-choice"}),
            help_text="位次和单位总在最前；不勾选则按默认栏目（签约内资项目、协议资金、实际到位内资、目标、完成率、较序时进度、亮灯）",
        )
        self.fields["annex_tables"] = forms.MultipleChoiceField(
            label="附件增列的表格",
            choices=list(TABLES.items()),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "column-choice"}),
            help_text="勾选后通报附件（Word、Excel和页面）增列该表：产业链的五项指标对照年度目标，载体的用地、厂房和入驻项目",
        )
        self.fields["list_limit"] = forms.IntegerField(
            label=IssuingOffice._meta.get_field("list_limit").verbose_name,
            required=False,  # blank: the default; the service checks the bounds in its own words
            widget=forms.NumberInput(attrs={"min": LIST_LIMIT_MIN, "max": LIST_LIMIT_MAX}),
            help_text=f"通报正文附件和会议材料中每个清单列出最突出的前N项（{LIST_LIMIT_MIN}—{LIST_LIMIT_MAX}），"
            "其余只列数量，全部见Excel附表",
        )


def list_limit_initial(unit) -> int:
    return list_limit_of(office_of(unit))


def annex_initial(unit) -> list[str]:
    """The columns ticked when the page opens: the office's choice, or the default set."""
    office = office_of(unit)
    codes = [code for code in (office.annex_columns if office is not None else []) if code not in TABLES]
    return codes or list(DEFAULT_COLUMNS)


def tables_initial(unit) -> list[str]:
    """The optional tables ticked when the page opens (bulletins/chains.py)."""
    office = office_of(unit)
    return [code for code in (office.annex_columns if office is not None else []) if code in TABLES]
