"""NHS.UK frontend markup for every Django form in the service.

A form renderer gives each field the design system's classes, hint, error message and the
ARIA links between them, so forms and formsets get accessible markup without per-form code.
"""

from __future__ import annotations

from django import forms
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from .date_input import NhsukDateInput

_WIDGET_CLASSES: list[tuple[type, str, str]] = [
    # (widget type, class, class added when the field has an error); most specific first.
    # CheckboxSelectMultiple is a kind of RadioSelect in Django, so it must come before it:
    # with the radio class, a checkbox shows neither its tick nor its focus ring.
    (forms.CheckboxSelectMultiple, "nhsuk-checkboxes__input", ""),
    (forms.RadioSelect, "nhsuk-radios__input", ""),
    (NhsukDateInput, "", "nhsuk-date-input--error"),
    (forms.CheckboxInput, "nhsuk-checkboxes__input", ""),
    (forms.ClearableFileInput, "nhsuk-file-upload", "nhsuk-file-upload--error"),
    (forms.FileInput, "nhsuk-file-upload", "nhsuk-file-upload--error"),
    (forms.Textarea, "nhsuk-textarea", "nhsuk-textarea--error"),
    (forms.Select, "nhsuk-select", "nhsuk-select--error"),
    (widgets.Input, "nhsuk-input", "nhsuk-input--error"),
]


def widget_classes(widget: forms.Widget, *, has_errors: bool) -> str:
    for widget_type, css, error_css in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return f"{css} {error_css}".strip() if has_errors else css
    return ""


class NhsukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        css = widget_classes(widget, has_errors=bool(self.errors))
        attrs["class"] = " ".join(
            part for part in (widget.attrs.get("class", ""), attrs.get("class", ""), css) if part
        )
        if self.errors and self.auto_id:
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} {self.auto_id}_error".strip()
        return attrs


class NhsukFormRenderer(TemplatesSetting):
    form_template_name = "forms/nhsuk_form.html"
    formset_template_name = "forms/nhsuk_formset.html"
    field_template_name = "forms/nhsuk_field.html"
    bound_field_class = NhsukBoundField
