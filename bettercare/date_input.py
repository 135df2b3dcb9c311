"""The NHS.UK date input: a date typed as day, month and year in three boxes, with the
design system's error messages ("must include a month", "must be a real date").

Used for every date in the service instead of the browser's own picker, whose order follows
the browser's locale (mm/dd/yyyy under en-US). A single value posted under the field's own
name (2018-07-20 or 20/07/2018), as a program or an older page sends it, is read too.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
SINGLE_VALUE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y")


class TypedDate(str):
    """A date as typed in the three boxes, kept as text (`31/2/2018`) so that a form rendered
    with hidden inputs (a preview) posts it back whole, with its boxes for the visible widget."""

    parts: dict[str, str]

    def __new__(cls, parts: dict[str, str]):
        text = "/".join(str(parts.get(key, "")).strip() for key, _, _ in PARTS)
        typed = super().__new__(cls, text if text.strip("/") else "")
        typed.parts = {key: str(parts.get(key, "")) for key, _, _ in PARTS}
        return typed


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class NhsukDateInput(forms.Widget):
    template_name = "forms/widgets/nhsuk_date.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.error_parts: set[str] = set()

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, TypedDate):
            return dict(value.parts)
        if isinstance(value, dict):
            return {key: value.get(key, "") for key, _, _ in PARTS}
        if isinstance(value, str) and value.strip():
            parsed = parse_single(value)
            if parsed is not None:
                return self.format_value(parsed)
        return {key: "" for key, _, _ in PARTS}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        values = self.format_value(value)
        id_ = widget["attrs"].get("id", f"id_{name}")
        whole_field_error = "--error" in widget["attrs"].get("class", "")
        widget["parts"] = [
            {
                "name": f"{name}_{key}",
                "id": f"{id_}_{key}",
                "label": label,
                "value": values[key],
                "width": width,
                "error": key in self.error_parts or (whole_field_error and not self.error_parts),
                "autocomplete": "",
            }
            for key, label, width in PARTS
        ]
        widget["group_id"] = id_
        return context

    def value_from_datadict(self, data, files, name):
        keys = [f"{name}_{key}" for key, _, _ in PARTS]
        if any(key in data for key in keys):
            return {part: data.get(f"{name}_{part}", "") for part, _, _ in PARTS}
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{key}" in data for key, _, _ in PARTS)

    def id_for_label(self, id_):
        # The error summary links to the first box.
        return f"{id_}_day" if id_ else ""


def parse_single(text: str) -> dt.date | None:
    for form in SINGLE_VALUE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


class NhsukDateField(forms.Field):
    """A date from the three boxes of NhsukDateInput.

    `error_label` is how messages name the date ("The report date must include a month");
    it defaults to the field's label."""

    widget = NhsukDateInput

    def __init__(self, *, error_label: str | None = None, **kwargs):
        self.error_label = error_label
        given = (kwargs.get("error_messages") or {}).get("required", "")
        super().__init__(**kwargs)
        # "Enter the date of the meeting", unless the form says otherwise.
        self.error_messages["required"] = given

    @property
    def _name(self) -> str:
        return self.error_label or str(self.label or "The date")

    def _fail(self, message: str, parts: set[str], code: str = "invalid_date"):
        self.widget.error_parts = parts
        raise ValidationError(message, code=code)

    def validate(self, value):
        if value in self.empty_values and self.required:
            self.widget.error_parts = set()
            message = self.error_messages.get("required") or f"Enter {self._lowered()}"
            raise ValidationError(message, code="required")

    def _lowered(self) -> str:
        name = self._name
        return name if name[:2].isupper() else name[0].lower() + name[1:]

    def to_python(self, value):
        self.widget.error_parts = set()
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            if not value.strip("/ "):
                return None
            parsed = parse_single(value)
            if parsed is None:
                self._fail(f"{self._name} must be a real date", {"day", "month", "year"})
            return parsed
        parts = {key: str(value.get(key, "")).strip() for key, _, _ in PARTS}
        if not any(parts.values()):
            return None
        missing = [key for key, _, _ in PARTS if not parts[key]]
        if missing:
            self._fail(f"{self._name} must include a {_join(missing)}", set(missing))
        not_numbers = {key for key, text in parts.items() if not text.isdigit()}
        if not_numbers:
            self._fail(f"{self._name} must be a real date", not_numbers)
        if len(parts["year"]) != 4:
            self._fail("Year must include 4 numbers", {"year"})
        day, month, year = (int(parts[key]) for key in ("day", "month", "year"))
        if not 1 <= month <= 12:
            self._fail(f"{self._name} must be a real date", {"month"})
        try:
            return dt.date(year, month, day)
        except ValueError:
            self._fail(f"{self._name} must be a real date", {"day"})

    def prepare_value(self, value):
        # What was typed, as one text a hidden input can carry and the boxes can show again.
        return TypedDate(value) if isinstance(value, dict) else value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True
