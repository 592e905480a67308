"""Drop-downs written in Python. Django draws a <select> through a template per option; a city's filter forms
(161 units, the teams, every chain's links) spent more time there than in the database, on every ledger page. The
product's forms (core.field_messages.ProductFormMixin) draw their plain selects with QuickSelect instead: the
same HTML, attributes and selection as Django's Select, written in one pass."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _option(value, label, chosen: set, taken: list) -> str:
    text = "" if value is None else str(value)
    selected = not taken and text in chosen
    if selected:
        taken.append(text)  # a single select marks only the first match, as Django's does
    return format_html('<option value="{}"{}>{}</option>', text, mark_safe(" selected") if selected else "", label)


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        taken: list = []
        final = self.build_attrs(self.attrs, attrs)
        # the name first, as Django's template writes it (pages and tests look for `<select name="…"`)
        parts = [format_html('<select name="{}"{}>', name, flatatt(final))]
        for value_, label in self.choices:
            if isinstance(label, (list, tuple)):  # an option group: (group label, [(value, label), …])
                parts.append(format_html('<optgroup label="{}">', value_))
                parts.extend(_option(v, text, chosen, taken) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(value_, label, chosen, taken))
        parts.append("</select>")
        return mark_safe("".join(parts))


def quicken(fields) -> None:
    """Swap each field's plain Select (not its subclasses: multiple selects, radios) for QuickSelect in place, so
    the choices a form set, or sets later through a queryset, stay the widget's."""
    for field in fields:
        if type(field.widget) is forms.Select:
            field.widget.__class__ = QuickSelect
