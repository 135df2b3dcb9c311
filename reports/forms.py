from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import format_html

from bettercare.date_input import NhsukDateField
from bettercare.periods import parse_quarter
from bettercare.pickers import PeriodChoiceField
from bettercare.ratings import RAG_CHOICES
from metrics.models import Metric

from .models import (
    NARRATIVE_LENGTH,
    RETURN_TEXT_LENGTH,
    Board,
    Pack,
    PackMetric,
    Priority,
    narrative_problem,
)
from .progress import ASSESSMENT_CHOICES, Assessment, override_problem
from .sections import exemptable_sections
from .selectors import SchemeRisk
from .services import (
    BODY_TEXT_FIELDS,
    COVER_FIELDS,
    METRIC_COMMENTARY_LENGTH,
    RISK_TEXT_LENGTH,
    TEXT_FIELDS,
    MetricText,
    RiskText,
)

LONG_TEXT = 6000  # characters: a board pack's section, not a document
DATE_HINT = "For example, 15 11 2018."


def _short_input() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "nhsuk-input--width-10"})


class PackCreateForm(forms.Form):
    board = forms.ChoiceField(label="Board", choices=Board.choices, widget=forms.RadioSelect)
    # The quarters the area's schemes report on (the one period picker's field).
    quarter = PeriodChoiceField(label="Quarter", parser=parse_quarter)
    meeting_date = NhsukDateField(
        label="Date of meeting",
        error_label="The date of the meeting",
        required=False,
        help_text=f"You can add it later. {DATE_HINT}",
    )

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].periods = quarters


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
            "alternatives": _textarea(3),
            "consultation": _textarea(3),
            "property_other": _textarea(2),
            "statutory_power": _textarea(3),
            "legal_implications": _textarea(4),
            "conflict_of_interest": _textarea(2),
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
        risks: list = (),
        scheme_risks: list[SchemeRisk] = (),
        schemes: dict[int, object] | None = None,
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

        # The programme's key risks: those held (or carried forward), two empty rows for new
        # ones, and the quarter's scheme risks to choose from.
        self.schemes = schemes or {}
        self.risk_rows = len(risks) + 2
        for index in range(self.risk_rows):
            held = risks[index] if index < len(risks) else None
            self.fields[f"risk_{index}"] = forms.CharField(
                label=f"Risk {index + 1}",
                required=False,
                max_length=RISK_TEXT_LENGTH,
                initial=held.risk if held else "",
                widget=_textarea(2),
            )
            self.fields[f"mitigation_{index}"] = forms.CharField(
                label=f"Mitigation of risk {index + 1}",
                required=False,
                max_length=RISK_TEXT_LENGTH,
                initial=held.mitigation if held else "",
                widget=_textarea(2),
            )
            self.fields[f"risk_scheme_{index}"] = forms.IntegerField(
                required=False,
                widget=forms.HiddenInput,
                initial=held.scheme_number if held else None,
            )
        self.scheme_risks = {item.key: item for item in scheme_risks}
        self.fields["chosen_risks"] = forms.MultipleChoiceField(
            label="Add risks from the schemes' highlight reports",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[
                (item.key, f"Scheme {item.scheme.number}: {item.risk}")
                for item in scheme_risks
            ],
            help_text="Each risk ticked is added to the programme's key risks with its "
            "mitigation, as its scheme wrote them; you can then edit them.",
        )

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
        return [self[name] for name in COVER_FIELDS]

    def summary_fields(self):
        return [
            self[name]
            for name in ("brief_summary", "recommendations", "reasons", "alternatives")
        ]

    def detail_fields(self):
        return [self["consultation"]]

    def implication_fields(self):
        shown = {"brief_summary", "recommendations", "reasons", "alternatives", "consultation"}
        return [self[name] for name in BODY_TEXT_FIELDS if name not in shown]

    def risk_field_rows(self):
        return [
            (self[f"risk_{index}"], self[f"mitigation_{index}"], self[f"risk_scheme_{index}"])
            for index in range(self.risk_rows)
        ]

    def risks(self) -> list[RiskText]:
        """The key risks as typed, then those ticked from the schemes' reports."""
        typed = [
            RiskText(
                risk=self.cleaned_data[f"risk_{index}"],
                mitigation=self.cleaned_data[f"mitigation_{index}"],
                scheme=self.schemes.get(self.cleaned_data[f"risk_scheme_{index}"]),
            )
            for index in range(self.risk_rows)
        ]
        chosen = [
            RiskText(
                risk=self.scheme_risks[key].risk,
                mitigation=self.scheme_risks[key].mitigation,
                scheme=self.scheme_risks[key].scheme,
            )
            for key in self.cleaned_data["chosen_risks"]
        ]
        return [*typed, *chosen]


class FinaliseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the pack and want to make it Final",
        error_messages={"required": "Tick the box to confirm that the pack is ready."},
    )
    reason = forms.CharField(
        label="Why it can be made Final all the same",
        required=False,
        max_length=2000,
        widget=_textarea(3),
        help_text="Needed when the pack lacks something listed above. It is kept with the "
        "version for the record and never printed in the pack.",
    )

    def __init__(self, *args, lacking: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.lacking = list(lacking)
        if not self.lacking:
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if self.lacking and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                "Say why the pack can be made Final although it lacks what is listed.",
            )
        return cleaned


class EveryRowRequiredFormSet(forms.BaseFormSet):
    """Each row is a scheme's rating: none is an optional "extra" row that may be left out,
    whatever the posted management form claims (with INITIAL_FORMS at 0, every row was
    optional and the view met rows without a scheme)."""

    def _construct_form(self, i, **kwargs):
        return super()._construct_form(i, **{**kwargs, "empty_permitted": False})


class ConditionForm(forms.Form):
    """One national condition's compliance and note, as the analyst records them."""

    code = forms.CharField(widget=forms.HiddenInput)
    compliance = forms.ChoiceField(label="Compliance", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=_textarea(2),
        help_text="How the area meets it; needed where it does not, saying what is being done.",
    )

    def __init__(self, *args, **kwargs):
        from .models import NationalCondition

        super().__init__(*args, **kwargs)
        self.fields["compliance"].choices = NationalCondition.Compliance.choices


# A row per national condition (a handful); every row required, no more forms ever built.
ConditionFormSet = forms.formset_factory(
    ConditionForm,
    formset=EveryRowRequiredFormSet,
    extra=0,
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


class BuildForm(forms.Form):
    output = forms.ChoiceField(choices=[("full", "Full"), ("public", "Public")])


class RatingForm(forms.Form):
    """One scheme's portfolio rating; the scheme is named by its number."""

    scheme = forms.IntegerField(widget=forms.HiddenInput)
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[("", "Not rated"), *RAG_CHOICES],
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        max_length=NARRATIVE_LENGTH,
        help_text="One line for the board. Needed for Amber and Red.",
    )

    def clean(self):
        cleaned = super().clean()
        problem = narrative_problem(cleaned.get("rag", ""), cleaned.get("narrative", ""))
        if problem:
            self.add_error("narrative", f"{problem[:1].upper()}{problem[1:]}.")
        return cleaned


# A row per scheme; far more than an area has, and no more forms than that are ever built.
RatingFormSet = forms.formset_factory(
    RatingForm,
    formset=EveryRowRequiredFormSet,
    extra=0,
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


class ReturnContactForm(forms.Form):
    """The cover's contact telephone; the name and e-mail are the analyst's own."""

    contact_phone = forms.CharField(
        label="Contact telephone",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20", "autocomplete": "tel"}),
        help_text="The return's cover gives it beside your name and e-mail.",
    )


class ReturnMetricForm(forms.Form):
    """One national metric in the quarterly return: the assessment of progress (worked out
    from the rating, which the analyst may change with a reason) and the quarter's texts."""

    code = forms.CharField(widget=forms.HiddenInput)
    assessment = forms.ChoiceField(
        label="Assessment of progress", choices=ASSESSMENT_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for changing the assessment",
        required=False,
        max_length=RETURN_TEXT_LENGTH,
        widget=_textarea(2),
        help_text="Needed when the assessment is not the one worked out from the rating.",
    )
    challenges = forms.CharField(
        label="Challenges", required=False, max_length=RETURN_TEXT_LENGTH, widget=_textarea(3)
    )
    achievements = forms.CharField(
        label="Achievements", required=False, max_length=RETURN_TEXT_LENGTH, widget=_textarea(3)
    )
    support_needs = forms.CharField(
        label="Support needs", required=False, max_length=RETURN_TEXT_LENGTH, widget=_textarea(3)
    )

    def __init__(self, *args, worked_out: Assessment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.worked_out = worked_out

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("assessment")
        if self.worked_out is not None and chosen:
            problem = override_problem(
                worked_out=self.worked_out,
                chosen=Assessment(chosen),
                reason=cleaned.get("reason", ""),
            )
            if problem:
                self.add_error("reason", f"{problem[:1].upper()}{problem[1:]}.")
        return cleaned


class ReturnMetricFormSet(EveryRowRequiredFormSet):
    """A row per national metric of the return, each told the assessment its rating gives
    (`worked_out`, in the rows' order); the service checks it again against the figures."""

    def __init__(self, *args, worked_out: list[Assessment] = (), **kwargs):
        self.worked_out = list(worked_out)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.worked_out):
            kwargs["worked_out"] = self.worked_out[index]
        return kwargs


ReturnMetricForms = forms.formset_factory(
    ReturnMetricForm,
    formset=ReturnMetricFormSet,
    extra=0,
    max_num=50,
    absolute_max=50,
    validate_max=True,
)
