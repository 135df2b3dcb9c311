from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html

from bettercare.date_input import NhsukDateField
from bettercare.fields import PeriodFormField
from bettercare.periods import parse_quarter
from metrics.models import Metric

from .models import Board, Pack, PackMetric, Priority, Rag
from .sections import exemptable_sections
from .services import METRIC_COMMENTARY_LENGTH, TEXT_FIELDS, MetricText

LONG_TEXT = 6000  # characters: a board pack's section, not a document
DATE_HINT = "For example, 15 11 2018."


def _short_input() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "nhsuk-input--width-10"})


class QuarterForm(forms.Form):
    """Which quarter a page shows (a GET form)."""

    quarter = PeriodFormField(
        parser=parse_quarter,
        label="Quarter",
        help_text="For example, 2018-19-Q2 or Q2 2018/19.",
        widget=_short_input(),
    )


class PackCreateForm(forms.Form):
    board = forms.ChoiceField(label="Board", choices=Board.choices, widget=forms.RadioSelect)
    quarter = PeriodFormField(
        parser=parse_quarter,
        label="Quarter",
        help_text="For example, 2018-19-Q2 or Q2 2018/19.",
        widget=_short_input(),
    )
    meeting_date = NhsukDateField(
        label="Date of meeting",
        error_label="The date of the meeting",
        required=False,
        help_text=f"You can add it later. {DATE_HINT}",
    )


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PackTextForm(forms.ModelForm):
    """The pack's editable text, its key highlights (one field per priority of the area), what
    it says about each metric (the commentary of the performance table, and whether the metric
    is a performance headline, with its commentary and SPC chart) and the sections exempt from
    publication."""

    exempt_sections = forms.MultipleChoiceField(
        label="Sections exempt from publication",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The public version of the PDF leaves these out. Say why in the statement of "
        "confidentiality.",
    )

    class Meta:
        model = Pack
        fields = list(TEXT_FIELDS)  # exactly what pack_text_save accepts
        field_classes = {"meeting_date": NhsukDateField}
        help_texts = {
            "meeting_date": DATE_HINT,
            "data_month": "The last month of data the pack reports. Hospital data lags about a "
            "month, so a quarter's pack usually reports up to the quarter's second month. The "
            "finance position is taken at this month, or at the latest month before it with "
            "forecasts.",
        }
        widgets = {
            "data_month": forms.Select,
            "confidentiality": _textarea(2),
            "brief_summary": _textarea(8),
            "recommendations": _textarea(3),
            "reasons": _textarea(3),
            "legal_implications": _textarea(4),
            "risk_implications": _textarea(4),
            "policy_implications": _textarea(4),
        }

    def __init__(
        self,
        *args,
        priorities: list[Priority],
        highlights: dict[int, str],
        metrics: list[Metric] = (),
        metric_texts: dict[int, PackMetric] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.validators.append(MaxLengthValidator(LONG_TEXT))
        self.fields["exempt_sections"].choices = [
            (section.id, section.title) for section in exemptable_sections()
        ]
        self.fields["exempt_sections"].initial = list(self.instance.exempt_sections)
        # The months a data month may be: the quarter's financial year up to the quarter's end
        # (the model refuses any other, with its reason, should one be sent).
        quarter = self.instance.quarter
        self.fields["data_month"].widget.choices = [
            (str(month), month.data_label)
            for month in quarter.year.months()
            if month <= quarter.last_month
        ]
        self.priorities = priorities
        for priority in priorities:
            self.fields[self.highlight_field(priority)] = forms.CharField(
                label=f"{priority.number}. {priority.title}",
                required=False,
                max_length=LONG_TEXT,
                initial=highlights.get(priority.pk, ""),
                widget=_textarea(4),
            )

        self.metrics = list(metrics)
        for metric in self.metrics:
            self._add_metric_fields(metric, (metric_texts or {}).get(metric.pk))

    # Each metric's fields: (name prefix, how the label starts).
    METRIC_FIELDS = (
        ("commentary", "Commentary in the performance table"),
        ("headline", "Show it in the performance headlines, with its chart"),
        ("headline_text", "Headline commentary"),
        ("show_spc", "Add its statistical process control (SPC) chart"),
    )

    def _add_metric_fields(self, metric: Metric, text: PackMetric | None) -> None:
        text = text or PackMetric(metric=metric)

        def label(start: str):
            # The metric's name for screen readers, which read each field on its own; the
            # group's legend shows it to everyone else.
            return format_html(
                '{}<span class="nhsuk-u-visually-hidden">: {}</span>', start, metric.name
            )

        labels = dict(self.METRIC_FIELDS)
        self.fields[f"commentary_{metric.pk}"] = forms.CharField(
            label=label(labels["commentary"]),
            required=False,
            max_length=METRIC_COMMENTARY_LENGTH,
            initial=text.commentary,
            widget=_textarea(2),
        )
        self.fields[f"headline_{metric.pk}"] = forms.BooleanField(
            label=label(labels["headline"]), required=False, initial=text.headline
        )
        self.fields[f"headline_text_{metric.pk}"] = forms.CharField(
            label=label(labels["headline_text"]),
            required=False,
            max_length=LONG_TEXT,
            initial=text.headline_text,
            widget=_textarea(3),
        )
        self.fields[f"show_spc_{metric.pk}"] = forms.BooleanField(
            label=label(labels["show_spc"]),
            required=False,
            initial=text.show_spc,
        )

    def metric_groups(self):
        """[(group label, [(metric, [bound fields])])] in catalogue order, for the template."""
        groups: dict[str, list] = {}
        for metric in self.metrics:
            fields = [self[f"{prefix}_{metric.pk}"] for prefix, _ in self.METRIC_FIELDS]
            groups.setdefault(metric.get_group_display(), []).append((metric, fields))
        return list(groups.items())

    def metric_texts(self) -> dict[int, MetricText]:
        return {
            metric.pk: MetricText(
                **{
                    prefix: self.cleaned_data[f"{prefix}_{metric.pk}"]
                    for prefix, _ in self.METRIC_FIELDS
                }
            )
            for metric in self.metrics
        }

    @staticmethod
    def highlight_field(priority: Priority) -> str:
        return f"highlight_{priority.pk}"

    def text(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def highlights(self) -> dict[int, str]:
        return {
            priority.pk: self.cleaned_data[self.highlight_field(priority)]
            for priority in self.priorities
        }

    def highlight_fields(self):
        return [self[self.highlight_field(priority)] for priority in self.priorities]

    def cover_fields(self):
        return [
            self[name]
            for name in (
                "meeting_date",
                "data_month",
                "report_of",
                "contact_name",
                "contact_title",
                "contact_phone",
                "contact_email",
                "confidentiality",
            )
        ]

    def summary_fields(self):
        return [self[name] for name in ("brief_summary", "recommendations", "reasons")]

    def implication_fields(self):
        return [
            self[name]
            for name in ("legal_implications", "risk_implications", "policy_implications")
        ]


class FinaliseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the pack and want to make it Final",
        error_messages={"required": "Tick the box to confirm that the pack is ready."},
    )


class BuildForm(forms.Form):
    output = forms.ChoiceField(choices=[("full", "Full"), ("public", "Public")])


class RatingForm(forms.Form):
    """One scheme's portfolio rating; the scheme is named by its number."""

    scheme = forms.IntegerField(widget=forms.HiddenInput)
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[("", "Not rated"), *Rag.choices],
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        max_length=300,
        help_text="One line for the board. Needed for Amber and Red.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rag") in (Rag.AMBER, Rag.RED) and not cleaned.get("narrative", "").strip():
            self.add_error(
                "narrative", f"Say why the scheme is {Rag(cleaned['rag']).label.lower()}."
            )
        return cleaned


RatingFormSet = forms.formset_factory(RatingForm, extra=0)
