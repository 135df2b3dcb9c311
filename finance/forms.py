"""Forms of the finance pages: uploading a file, notes, the pool (periods are chosen with
`bettercare.pickers`)."""

from __future__ import annotations

from django import forms

from bettercare.fields import MoneyField
from bettercare.periods import Month, PeriodError, parse_month

from .imports import COLUMNS
from .models import STREAMS_BY_PARTNER_KIND, FundingStream

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
