"""Model and form fields of the service's own kinds of value: reporting periods and money.

Periods are stored as `2018-19`, `2018-19-Q2` and `2018-08`, which read well in the database
and sort in time order, so range filters (`month__gte=Month(2018, 4)`) work on every backend. In
Python the values are the period objects of `bettercare.periods`. Money is exact `Decimal`
pounds and pence (`bettercare.money`).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from . import periods
from .money import MoneyError, format_full, parse_money


class _PeriodModelField(models.CharField):
    parser = staticmethod(periods.parse_period)
    period_class: type = object
    default_max_length = 10

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.default_max_length:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def _parse(self, value):
        if value is None or value == "" or isinstance(value, self.period_class):
            return value
        try:
            return self.parser(str(value))
        except periods.PeriodError as error:
            raise ValidationError(str(error), code="invalid_period") from error

    def from_db_value(self, value, expression, connection):
        return self._parse(value)

    def to_python(self, value):
        return self._parse(value)

    def get_prep_value(self, value):
        value = self._parse(value)
        return None if value is None else str(value) if value != "" else ""

    def run_validators(self, value):
        # Validators (max_length among them) check the stored text, not the period object.
        super().run_validators(value if value in (None, "") else str(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", PeriodFormField)
        kwargs.setdefault("parser", self.parser)
        # A blank optional period is stored as "" (these columns are NOT NULL unless declared
        # null): cleaning it to None would fail the database's constraint on save.
        kwargs.setdefault("empty_value", None if self.null else "")
        return super().formfield(**kwargs)


class FinancialYearField(_PeriodModelField):
    description = "A financial year, such as 2018-19"
    parser = staticmethod(periods.parse_financial_year)
    period_class = periods.FinancialYear
    default_max_length = 7


class QuarterField(_PeriodModelField):
    description = "A quarter of a financial year, such as 2018-19-Q2"
    parser = staticmethod(periods.parse_quarter)
    period_class = periods.Quarter
    default_max_length = 10


class MonthField(_PeriodModelField):
    description = "A calendar month, such as 2018-08"
    parser = staticmethod(periods.parse_month)
    period_class = periods.Month
    default_max_length = 7


class PeriodFormField(forms.CharField):
    """Accepts the forms documents use (`Q2 2018/19`) and cleans to a period object."""

    def __init__(self, *, parser=periods.parse_period, empty_value=None, **kwargs):
        self.parser = parser
        kwargs.pop("max_length", None)
        super().__init__(empty_value=empty_value, **kwargs)

    def prepare_value(self, value):
        return str(value) if value not in (None, "") else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        try:
            return self.parser(value)
        except periods.PeriodError as error:
            raise ValidationError(str(error), code="invalid_period") from error


class MoneyField(forms.CharField):
    """Pounds as people type them (`£1.374m`, `1,374,000`, `£607k`, `(£33k)`), cleaned to exact
    `Decimal` pounds and pence; a stored amount is shown in full, what was typed is shown back as
    typed. Negative amounts are refused unless `allow_negative`. `read` turns the text into the
    amount (`parse_money` by default; a highlight report's form also accepts a typed share)."""

    def __init__(self, *, allow_negative: bool = False, read=parse_money, **kwargs):
        self.allow_negative = allow_negative
        self.read = read
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "class": "nhsuk-input--width-10",
                "inputmode": "decimal",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        )
        return attrs

    def prepare_value(self, value):
        return format_full(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = self.read(value)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid_money") from error
        if amount < 0 and not self.allow_negative:
            raise ValidationError("Enter an amount of zero or more.", code="negative")
        return amount
