"""The product's own wording for the checks Django's form and model fields make (required, too long, negative,
too many decimals, not a date, not one of the choices, already used), so that no page or import shows Django's
default text ("确保该值大于或等于0。", "这个字段是必填项。", "具有 项目编号 的 项目 已存在。", "---------").

The wording is generic here (core knows no business): each message names the field by its label. An app words
a business case itself (a unit of money, a project number that is taken) on its own form.

Two ways in:
- forms derive from `ProductForm` / `ProductModelForm` (or put `ProductFormMixin` before a Django form class):
  every field gets these messages, its empty choice a label of ours, no `maxlength` attribute (a browser cuts a
  pasted text at it without a word; the server says how long it is instead), and a required drop-down with one
  option has it chosen already;
- a service that runs a model's `full_clean` passes the ValidationError through `plain_model_errors` (an import
  goes through the same service, so its rows read the same words)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from zhaoshang.core.widgets import quicken

DJANGO_EMPTY_LABEL = "---------"
DIGITS = {1: "一", 2: "两", 3: "三", 4: "四"}
SAMPLE_DATE = "2026-05-01"


class Message(str):
    """A message naming a field by its label. Django shows a validator's error as `message % params` (the limit,
    the length now); the label is put in after that, so a label holding "%" (同比增长(%)) is never read as a
    placeholder. `zero`: the words when the limit is 0 (不能为负数 rather than 不能小于0)."""

    def __new__(cls, template: str, label: str, zero: str | None = None):
        text = super().__new__(cls, template.replace("{label}", label))
        text.template, text.label, text.zero = template, label, zero
        return text

    def __getnewargs__(self):  # a form's fields are deep-copied for each form
        return (self.template, self.label, self.zero)

    def __mod__(self, params):
        template = self.template
        if self.zero and isinstance(params, dict) and params.get("limit_value") == 0:
            template = self.zero
        return (template.replace("{label}", "\0") % params).replace("\0", self.label)


def kind_of(field) -> str:
    """What sort of input a form field takes, for the words of its messages."""
    for form_class, kind in (
        (forms.FileField, "file"),
        (forms.BooleanField, "bool"),
        (forms.ModelChoiceField, "choice"),
        (forms.ChoiceField, "choice"),
        (forms.DateTimeField, "datetime"),
        (forms.DateField, "date"),
        (forms.IntegerField, "integer"),
        (forms.DecimalField, "number"),
        (forms.FloatField, "number"),
    ):
        if isinstance(field, form_class):
            return kind
    return "text"


MODEL_KINDS = {
    "DateField": "date",
    "DateTimeField": "datetime",
    "DecimalField": "number",
    "FloatField": "number",
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "ForeignKey": "choice",
    "BooleanField": "bool",
}

REQUIRED = {"file": "请选择要上传的文件", "bool": "请勾选“{label}”", "choice": "请选择{label}"}
INVALID = {
    "datetime": f"{{label}}不是有效的时间，请按 {SAMPLE_DATE} 08:30 的格式填写",
    "date": f"{{label}}不是有效日期，请按 {SAMPLE_DATE} 的格式填写",
    "integer": "{label}应为整数",
    "number": "{label}应为数字",
    "file": "没有收到文件，请重新选择后上传",
}


def messages_for(kind: str, label: str, *, decimals: int = 2) -> dict[str, str]:
    """Every message a Django form or model field may give, in the product's words, keyed by Django's error
    code. A validator's error is worded by its code too (forms.Field.run_validators, ModelForm._update_errors),
    with its params: limit_value, show_value (the length now)."""
    templates = {
        "required": REQUIRED.get(kind, "请填写{label}"),
        "invalid": INVALID.get(kind, "{label}的格式不正确"),
        "invalid_choice": "所选{label}不在可选范围内，请重新选择",
        "invalid_list": "请选择{label}",
        "invalid_pk_value": "所选{label}不在可选范围内，请重新选择",
        "max_length": "{label}最多%(limit_value)s个字，现在有%(show_value)s个字",
        "min_length": "{label}至少%(limit_value)s个字，现在有%(show_value)s个字",
        "max_value": "{label}不能大于%(limit_value)s",
        "step_size": "{label}应为%(limit_value)s的整数倍",
        "max_digits": "{label}数值过大",
        "max_whole_digits": "{label}数值过大，整数部分最多%(max)s位",
        "max_decimal_places": f"{{label}}最多保留{DIGITS.get(decimals, decimals)}位小数",
        "unique": "{label}已被使用，请换一个",
        "missing": "没有收到文件，请重新选择后上传",
        "empty": "上传的文件是空的",
        "contradiction": "请选择文件或勾选清除，不要同时进行",
        "overflow": "{label}超出可填写的范围",
        "invalid_date": f"{{label}}不是有效日期，请按 {SAMPLE_DATE} 的格式填写",
        "invalid_time": "{label}不是有效的时间",
        "null": "请填写{label}",
        "blank": "请填写{label}",
    }
    label = label or "此项"
    messages = {code: Message(template, label) for code, template in templates.items()}
    messages["min_value"] = Message("{label}不能小于%(limit_value)s", label, zero="{label}不能为负数")
    return messages


def empty_label(field, label: str) -> str:
    return f"请选择{label}" if field.required else "（不选）"


def _django_defaults(field) -> dict:
    defaults: dict = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def word_field(field, label: str | None = None) -> None:
    """Give one form field the product's messages and empty choice, and take the browser's silent cut away.
    A message the form set itself (error_messages={...}) is kept: only Django's defaults, and what an earlier
    call set under an earlier label, are replaced."""
    label = str(label or field.label or "")
    defaults = _django_defaults(field)
    earlier = getattr(field, "product_messages", {})
    ours = messages_for(kind_of(field), label, decimals=getattr(field, "decimal_places", None) or 2)
    # A validator the form gave its own words (MaxValueValidator(999, "顺序应为0到999")) keeps them: its code
    # put among the field's messages would replace them (forms.Field.run_validators).
    worded = {v.code for v in field.validators if getattr(v, "code", None) and v.message != type(v).message}
    mine = {}
    for code, text in ours.items():
        if code in worded:
            if code in earlier and field.error_messages.get(code) is earlier[code]:
                del field.error_messages[code]  # set before the form added its validator
            continue
        current = field.error_messages.get(code)
        if current is None or current is earlier.get(code) or current == defaults.get(code):
            field.error_messages[code] = mine[code] = text
    field.product_messages = mine
    field.widget.attrs.pop("maxlength", None)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = empty_label(field, label)
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if choices and choices[0][1] == DJANGO_EMPTY_LABEL:
            field.choices = [(choices[0][0], empty_label(field, label)), *choices[1:]]


class ProductFormMixin:
    """Put before a Django form class: the product's wording on every field (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            word_field(field)
        quicken(self.fields.values())

    def full_clean(self):
        # Again before checking: a form may relabel its fields after __init__ (org.forms does), and the messages
        # name the field as the page labels it.
        for field in self.fields.values():
            word_field(field)
        super().full_clean()

    def get_initial_for_field(self, field, field_name):
        """A required drop-down whose options are just one (the only unit a reporter may write for) starts with
        that one chosen rather than with an empty choice to open and pick from. Asked when the page is drawn,
        so a form that sets its querysets after __init__ is answered by them."""
        value = super().get_initial_for_field(field, field_name)
        if value in (None, "") and not self.is_bound and field.required and isinstance(field, forms.ModelChoiceField):
            only = list(field.queryset.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                return only[0]
        return value


class ProductForm(ProductFormMixin, forms.Form):
    pass


class ProductModelForm(ProductFormMixin, forms.ModelForm):
    pass


def model_field_message(model_field, error: ValidationError) -> str:
    """One of a model field's errors in the product's words, by its code (else as the model worded it)."""
    kind = "choice" if model_field.choices else MODEL_KINDS.get(model_field.get_internal_type(), "text")
    decimals = getattr(model_field, "decimal_places", None) or 2
    text = messages_for(kind, str(model_field.verbose_name), decimals=decimals).get(error.code)
    if text is None:
        return error.messages[0]
    return text % error.params if error.params else str(text)


def plain_model_errors(exc: ValidationError, model) -> ValidationError:
    """A model's full_clean() refusal with every field message in the product's words. Messages without a code
    of Django's (a model's or validator's own wording) stay as they are."""
    if not hasattr(exc, "error_dict"):
        return exc
    fields = {field.name: field for field in model._meta.get_fields() if hasattr(field, "verbose_name")}
    worded: dict[str, list[str]] = {}
    for name, errors in exc.error_dict.items():
        model_field = fields.get(name) if name != NON_FIELD_ERRORS else None
        texts = worded.setdefault(name, [])
        for error in errors:
            if model_field is not None and error.code:
                texts.append(model_field_message(model_field, error))
            else:
                texts.extend(error.messages)
    return ValidationError(worded)


def full_clean(instance, **kwargs) -> None:
    """`instance.full_clean(**kwargs)`, refusing in the product's words (what a service calls, for its pages,
    imports and commands alike)."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise plain_model_errors(exc, type(instance)) from None
