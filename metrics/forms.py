"""Forms of the metrics pages: the upload, applying a previewed file, SPC recalculations."""

from __future__ import annotations

from django import forms

from bettercare.fields import PeriodFormField
from bettercare.periods import parse_month
from bettercare.uploads import ApplyImportForm

from .imports import COLUMNS
from .models import MetricSettings

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


class PopulationFileForm(MetricFileForm):
    file = forms.FileField(
        label="Populations file (CSV or XLSX)",
        help_text="The first row names the columns area,financial_year,age_group,population,"
        "source. Give each year all three age groups: all, 18+ and 65+.",
    )


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


BASELINE_CHOICES = [
    ("", "Every point of each baseline (the limits move as months are added)"),
    *((str(points), f"The first {points} points, then held") for points in range(12, 21)),
]


class MetricSettingsForm(forms.Form):
    """An analyst's choices for a metric in their area: the SPC options and which breakdowns
    the board pack's commentary leaves out."""

    spc_baseline_points = forms.TypedChoiceField(
        label="Work the SPC limits out from",
        choices=BASELINE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Fixing the limits on a baseline of 12 to 20 points keeps them steady; a "
        "recalculation point you record starts a new baseline, fixed on its own first points.",
    )
    spc_screen_moving_ranges = forms.BooleanField(
        label="Leave one-off jumps out of the limits (moving ranges of 3.267 times their mean "
        "or more)",
        required=False,
    )
    commentary_leaves_out = forms.MultipleChoiceField(
        label="Leave these out of the commentary's opening lines",
        choices=MetricSettings.Breakdown.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The board pack's commentary on this metric opens with a line for each kind "
        "of breakdown held; your own commentary follows them.",
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["commentary_leaves_out"]
            field.choices = [(value, label) for value, label in field.choices if value in kinds]

    @classmethod
    def for_settings(cls, settings: MetricSettings | None, **kwargs) -> MetricSettingsForm:
        initial = {}
        if settings is not None:
            initial = {
                "spc_baseline_points": settings.spc_baseline_points,
                "spc_screen_moving_ranges": settings.spc_screen_moving_ranges,
                "commentary_leaves_out": settings.commentary_leaves_out,
            }
        return cls(initial=initial, **kwargs)


class MetricApplyForm(ApplyImportForm):
    """The apply step of a metrics upload. A file that changes plans already held asks why,
    and from when, before it is applied: both are recorded with the plan revision."""

    revision_reason = forms.CharField(
        label="Why the plans change",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="As the board will be told it, e.g. “Reset by national guidance from the "
        "Quarter 3 2017/18 position”. Shown on the metric's page and in the board pack.",
    )
    revision_effective = forms.DateField(
        label="The revised plans take effect from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Months ending on or after this date are rated against the revised plans; "
        "earlier months keep the plans in force then. Today if left empty.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.revises:
            for name in ("revision_reason", "revision_effective"):
                self.fields[name].widget = forms.HiddenInput()

    @property
    def revises(self) -> bool:
        return bool(self.plan is not None and getattr(self.plan, "revisions", None))

    def clean_revision_reason(self):
        reason = " ".join(self.cleaned_data["revision_reason"].split())
        if self.revises and not reason:
            raise forms.ValidationError(
                "Give the reason the plans change: a plan revision without one is not applied."
            )
        return reason

    def refused(self, error) -> None:
        answer = getattr(error, "answer", None)
        field = {"reason": "revision_reason", "effective": "revision_effective"}.get(answer)
        self.add_error(field, error)

    def options(self) -> dict:
        return {
            "revision_reason": self.cleaned_data["revision_reason"],
            "revision_effective": self.cleaned_data["revision_effective"],
        }


class BenchmarkForm(forms.Form):
    """The benchmarking page's choice: a metric of the catalogue and a month."""

    metric = forms.ChoiceField(label="Metric")
    month = PeriodFormField(
        label="Month", parser=parse_month, help_text="For example, 2018-08 (year, then month)."
    )

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(metric.code, metric.name) for metric in metrics]
