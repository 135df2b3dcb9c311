"""Choosing a period: the one picker every page that picks a month, a quarter or a year uses.

A page offers the periods it has something for (the months with forecasts, the quarters its
schemes report on...) as a select, each named the same way everywhere. What is asked for in
the address (`?month=2018-08`, or as people write it, `?quarter=Q2 2018/19`) is read as a
period; one the page does not offer is refused with the form's error, never silently replaced
by another, so a page or an export never shows figures for a period other than the one named.

    month, picker = pick_period(request, name="month", label="Position at",
                                periods=months, default=reporting_month)

Filtered pages (django-filter) use the same field through `PeriodFilter`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from .periods import (
    FinancialYear,
    Month,
    Period,
    PeriodError,
    Quarter,
    parse_financial_year,
    parse_month,
    parse_period,
    parse_quarter,
)


def period_choice_label(period: Period) -> str:
    """How a picker names a period: "August 2018 (Month 5, 2018/19)", "Q2 2018/19", "2018/19"."""
    if isinstance(period, Month):
        return f"{period.label} (Month {period.number}, {period.financial_year.label})"
    if isinstance(period, Quarter):
        return period.short_label
    if isinstance(period, FinancialYear):
        return period.label
    return str(period)


class PeriodChoiceField(forms.ChoiceField):
    """One of `periods`, cleaned to its period object. What is typed or sent is read as people
    write periods (`Q2 2018/19` as well as `2018-19-Q2`) before it is checked against them."""

    def __init__(
        self,
        *,
        periods: Sequence[Period] = (),
        parser: Callable[[str], Period] = parse_period,
        label_of: Callable[[Period], str] = period_choice_label,
        **kwargs,
    ):
        self.parser, self.label_of = parser, label_of
        super().__init__(**kwargs)
        self.periods = periods

    @property
    def periods(self) -> list[Period]:
        return self._periods

    @periods.setter
    def periods(self, periods: Sequence[Period]) -> None:
        self._periods = list(periods)
        self.choices = [(str(period), self.label_of(period)) for period in self._periods]

    def prepare_value(self, value):
        return "" if value in (None, "") else str(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return value
        try:
            return self.parser(value.strip())
        except PeriodError as error:
            raise ValidationError(str(error), code="invalid_period") from error

    def validate(self, value):
        forms.Field.validate(self, value)
        if value is not None and value not in self._periods:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)},
            )


# What a picker named for a kind of period reads what is asked for as (its errors say "is not a
# quarter", not "is not a period").
PARSERS = {"month": parse_month, "quarter": parse_quarter, "year": parse_financial_year}


class PeriodPicker(forms.Form):
    """A page's GET form choosing one period; its field is named for what it picks."""

    def __init__(self, data=None, *, name: str, label: str, periods, initial=None, **kwargs):
        super().__init__(data, initial={name: initial} if initial else None, **kwargs)
        self.name = name
        self.fields[name] = PeriodChoiceField(
            label=label, periods=periods, parser=PARSERS.get(name, parse_period)
        )

    @property
    def field(self):
        return self[self.name]

    @property
    def period(self) -> Period | None:
        return self.cleaned_data[self.name] if self.is_valid() else None


def pick_period(
    request, *, name: str, label: str, periods: Sequence[Period], default: Period | None
) -> tuple[Period | None, PeriodPicker]:
    """The period asked for in `?<name>=` if the page offers it, else `default` when nothing is
    asked for; and the picker to show (with its error when what was asked for is refused, and
    then no period)."""
    if name in request.GET:
        picker = PeriodPicker(request.GET, name=name, label=label, periods=periods)
        return picker.period, picker
    return default, PeriodPicker(name=name, label=label, periods=periods, initial=default)


class PeriodFilter(django_filters.Filter):
    """The picker's field as a django-filter filter (a dashboard's month, an overview's
    quarter). The filterset gives it its periods when it is made:
    `self.filters["month"].extra["periods"] = months`."""

    field_class = PeriodChoiceField
