"""Forms of the finance pages: choosing a month or year, uploading a file, notes, the pool."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from bettercare.money import MoneyError, format_full, parse_money
from bettercare.periods import FinancialYear, Month, PeriodError, parse_financial_year, parse_month

from .imports import COLUMNS
from .models import STREAMS_BY_PARTNER_KIND, FundingStream


class MoneyField(forms.CharField):
    """Pounds as people type them (£1.3m, 1,300,000, £607k), cleaned to exact `Decimal`."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_full(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_money(value)
        except MoneyError as error:
            raise forms.ValidationError(str(error), code="invalid_money") from error
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError("Enter an amount of zero or more.", code="negative")
        return amount


class MonthChoiceForm(forms.Form):
    """Which month's position to show: one of the months with forecasts."""

    month = forms.ChoiceField(label="Position at")

    def __init__(self, data=None, *, months: list[Month], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["month"].choices = [
            (str(month), f"Month {month.number}, {month.label} ({month.financial_year.label})")
            for month in months
        ]

    def clean_month(self) -> Month:
        try:
            return parse_month(self.cleaned_data["month"])
        except PeriodError as error:  # pragma: no cover - choices only admit valid months
            raise forms.ValidationError(str(error)) from error


class YearChoiceForm(forms.Form):
    year = forms.ChoiceField(label="Financial year")

    def __init__(self, data=None, *, years: list[FinancialYear], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(str(year), year.label) for year in years]

    def clean_year(self) -> FinancialYear:
        return parse_financial_year(self.cleaned_data["year"])


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class FinanceUploadForm(forms.Form):
    file = forms.FileField(
        label="Finance file (CSV or XLSX)",
        help_text=f"One row per budget or forecast, with exactly the columns {','.join(COLUMNS)}. "
        "A budget leaves month empty; a forecast gives the month it was made in, e.g. 2018-08. "
        "Amounts in pounds, e.g. 1300000.00 or £1.3m. An optional last column, note, gives the "
        "finance lead's reason for a forecast.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 10 MB: split it into smaller files (a year of one "
                "area's budgets and forecasts is a few kilobytes)."
            )
        return upload


class ForecastNoteForm(forms.Form):
    partner = forms.CharField(widget=forms.HiddenInput)
    month = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Finance lead's note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the forecast differs from the budget, and what is being done about it.",
    )

    def clean_month(self) -> Month:
        try:
            return parse_month(self.cleaned_data["month"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error


class PooledFundForm(forms.Form):
    """The national minimum and each partner's contribution by the streams open to it."""

    national_minimum = MoneyField(
        label="National minimum",
        help_text="The minimum the area must pool this year, e.g. £16,484,000.",
    )
    illustrative = forms.BooleanField(
        label="These figures are illustrative (not from the partners' accounts)", required=False
    )
    source = forms.CharField(
        label="Where the figures come from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.contribution_fields: list[tuple[str, object, str]] = []
        for partner in partners:
            for stream in STREAMS_BY_PARTNER_KIND[partner.kind]:
                name = f"contribution_{partner.code}_{stream}"
                self.fields[name] = MoneyField(
                    label=f"{partner.name}: {FundingStream(stream).label}", required=False
                )
                self.contribution_fields.append((name, partner, stream))

    def contributions(self) -> dict:
        return {
            (partner, stream): self.cleaned_data[name]
            for name, partner, stream in self.contribution_fields
            if self.cleaned_data.get(name) is not None
        }
