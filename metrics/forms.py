"""Forms of the metrics pages: the upload, applying a previewed file, SPC recalculations."""

from __future__ import annotations

from django import forms

from bettercare.fields import PeriodFormField
from bettercare.periods import parse_month

from .imports import COLUMNS

MAX_FILE_BYTES = 10 * 1024 * 1024


class MetricFileForm(forms.Form):
    file = forms.FileField(
        label="Metrics file (CSV or XLSX)",
        help_text=(
            f"The first row names the columns {','.join(COLUMNS)}. Breakdown, status and note "
            "may be left empty. Every row must be for your area."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a CSV or XLSX file.")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB: split it into parts.")
        return upload


class SpcRecalculationForm(forms.Form):
    month = PeriodFormField(
        parser=parse_month,
        label="First month of the new baseline",
        help_text="For example, 2017-10.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="What changed in the process; it is shown on the chart.",
    )
