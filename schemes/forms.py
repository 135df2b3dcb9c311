"""The highlight report form, its repeating tables, and the workflow's small forms.

Labels are the Word template's own words, so scheme leads recognise every box. Money is typed
as people write it (`£1.374m`, `(£33k)`) and kept exact; totals, shares and variances are never
asked for: they are worked out from the lines (see report_finance).
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django import forms
from django.forms.models import model_to_dict

from bettercare.date_input import NhsukDateField
from bettercare.fields import MoneyField, PeriodFormField
from bettercare.funding import line_choices
from bettercare.money import format_full
from bettercare.periods import parse_period, parse_quarter

from .models import (
    OTHER_SOURCE,
    AssociatedContract,
    BcfAim,
    FinancialLine,
    HighlightReport,
    IndicatorUnit,
    KeyDevelopment,
    PerformanceIndicator,
    Risk,
)
from .report_finance import (
    FinanceLine,
    amount_typed_with_share,
    parse_amount_with_share,
    typed_share_problems,
)
from .services import BOARD_DATE_FIELDS, LEAD_FIELDS, ReportContent
from .submission import ROW_FIELDS_NEEDED, TEXT_NEEDED
from .workflow import BOARD_DATE_LABELS, BOARD_STEPS


class IndicatorNumberField(forms.DecimalField):
    """A target or actual as people write it: `90%`, `1,375` or `2021`."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").replace(",", "").strip()
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"class": "nhsuk-input--width-5", "inputmode": "decimal"})
        return attrs


class PlainMessagesMixin:
    """Length limits said in plain words, with the limit people must meet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                # No maxlength attribute: a browser would cut pasted text short without a
                # word; the server says how long it is instead, and keeps all of it.
                field.widget.attrs.pop("maxlength", None)
                field.error_messages["max_length"] = (
                    f"Shorten this to {field.max_length:,} characters or fewer "
                    "(it has %(show_value)d)."
                )


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DraftMixin:
    """A draft may leave any section empty; submitting checks that the sections in
    `needed_to_submit` are filled in (schemes.submission, which lists them). So those fields
    are not required while the form is checked, but are shown as required (without
    "(optional)") because the report needs them."""

    needed_to_submit: tuple[str, ...] = ()
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._mark_needed(True)

    def _mark_needed(self, needed: bool) -> None:
        for name in self.needed_to_submit:
            self.fields[name].required = needed

    def full_clean(self):
        self._mark_needed(False)
        try:
            super().full_clean()
        finally:
            self._mark_needed(True)


class HighlightReportForm(DraftMixin, PlainMessagesMixin, forms.ModelForm):
    """The report's single fields; the repeating tables are the formsets below."""

    needed_to_submit = TEXT_NEEDED
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = HighlightReport
        fields = list(LEAD_FIELDS)
        field_classes = {"report_date": NhsukDateField}
        widgets = {
            "reasons_for_variance": _textarea(3),
            "actions_on_variance": _textarea(3),
            "savings_opportunities": _textarea(3),
            "cost_pressures": _textarea(3),
            "aims": _textarea(10),
            "recommendations": _textarea(4),
            "priorities": _textarea(6),
        }
        help_texts = {
            "report_date": "The date you finish the report. For example, 20 7 2018.",
            "recommendations": "Leave empty if there are none.",
            "priorities": "Write each priority on its own line starting with a dash (-).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_date"].error_label = "The report date"

    @property
    def content_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in LEAD_FIELDS}


class ReportRowForm(PlainMessagesMixin, forms.ModelForm):
    """A row of a repeating table. Its model's `report` is set when the report is saved."""

    def row_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    @classmethod
    def initial_from(cls, row) -> dict:
        """A saved row as the form's initial data: its model fields the form shows."""
        return model_to_dict(row, fields=cls._meta.fields)


class FinancialLineForm(DraftMixin, ReportRowForm):
    """A funding line: one of the area's partners' sources (`bettercare.funding`), or another
    source named by the lead."""

    needed_to_submit = ROW_FIELDS_NEEDED["financial_lines"]
    source = forms.ChoiceField(
        label="Funding source", error_messages={"required": "Choose the funding source."}
    )
    annual_value = MoneyField(
        label="Annual value",
        allow_negative=True,
        read=amount_typed_with_share,
        help_text="For example £1,240,000 or £1.24m. The total and shares are worked out.",
    )
    projected_spend = MoneyField(
        label="Projected year end spend",
        allow_negative=True,
        required=False,
        help_text="At Quarter 4, the outturn.",
    )

    class Meta:
        model = FinancialLine
        fields = ["other_source", "annual_value", "projected_spend"]

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {partner.code: partner for partner in partners}
        self.fields["source"].choices = [
            ("", "Choose a source"),
            *line_choices((partner.code, partner.kind) for partner in partners),
            (OTHER_SOURCE, "Other"),
        ]
        self.order_fields(["source", "other_source", "annual_value", "projected_spend"])
        self.fields["annual_value"].error_messages["required"] = (
            "Enter the annual value, or remove this funding source."
        )

    @classmethod
    def initial_from(cls, line) -> dict:
        choice = (
            OTHER_SOURCE if line.source == OTHER_SOURCE else f"{line.partner.code}:{line.source}"
        )
        return {**super().initial_from(line), "source": choice}

    def clean_annual_value(self):
        raw = self["annual_value"].data
        self.typed_share = parse_amount_with_share(raw)[1] if isinstance(raw, str) else None
        return self.cleaned_data["annual_value"]

    def row_values(self) -> dict:
        """The line as the services take it: the partner by its code."""
        choice = self.cleaned_data["source"]
        partner, _, source = choice.partition(":") if choice != OTHER_SOURCE else ("", "", choice)
        return {**super().row_values(), "partner": partner or None, "source": source}

    def finance_line(self) -> FinanceLine:
        values = self.row_values()
        values["partner"] = self.partners.get(values["partner"])
        return FinancialLine(**values).as_finance_line()

    @property
    def warnings(self) -> list[str]:
        """What is worth a second look but is not refused: a negative projected spend."""
        return money_warnings(self, {"projected_spend": "projected year end spend"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == OTHER_SOURCE:
            if not cleaned.get("other_source", "").strip():
                self.add_error("other_source", "Name the other funding source.")
        elif cleaned.get("source"):
            cleaned["other_source"] = ""
        return cleaned


class KeyDevelopmentForm(ReportRowForm):
    aims = forms.MultipleChoiceField(
        label="Which BCF aims does it support?",
        choices=BcfAim.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = KeyDevelopment
        fields = ["text"]
        error_messages = {"text": {"required": "Describe the development, or remove this row."}}
        widgets = {"text": _textarea(3)}

    def row_values(self) -> dict:
        return {"text": self.cleaned_data["text"], "aims": self.cleaned_data["aims"]}

    @classmethod
    def initial_from(cls, row) -> dict:
        return {**super().initial_from(row), "aims": [aim.value for aim in row.aims]}


class IndicatorForm(ReportRowForm):
    unit = forms.ChoiceField(
        label="The target and actual are",
        choices=IndicatorUnit.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=IndicatorUnit.NUMBER,
        help_text="A number counts something (referrals, assessments); a percentage is 0 to 100.",
    )
    target = IndicatorNumberField(label="Target", required=False, max_digits=14, decimal_places=2)
    actual = IndicatorNumberField(label="Actual", required=False, max_digits=14, decimal_places=2)
    measure_period = PeriodFormField(
        label="Period of the target and actual",
        parser=parse_period,
        required=False,
        help_text="For example Q1 2018/19, 2018/19 or 2018-06.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )

    class Meta:
        model = PerformanceIndicator
        fields = ["indicator", "progress", "unit", "target", "actual", "measure_period"]
        error_messages = {"indicator": {"required": "Enter the indicator, or remove this row."}}
        widgets = {"indicator": _textarea(2), "progress": _textarea(3)}

    def clean_unit(self):
        return self.cleaned_data.get("unit") or IndicatorUnit.NUMBER

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit") or IndicatorUnit.NUMBER
        for name in ("target", "actual"):
            value, typed = cleaned.get(name), self[name].data
            if value is None or name in self.errors:
                continue
            if unit == IndicatorUnit.NUMBER and isinstance(typed, str) and "%" in typed:
                self.add_error(
                    name,
                    f"The {name} is a number, so it cannot be “{typed.strip()}”: enter it "
                    "without the % sign, or choose “A percentage” above.",
                )
            elif unit == IndicatorUnit.PERCENT and not 0 <= value <= 100:
                self.add_error(name, f"A percentage {name} is between 0 and 100.")
        numbers = cleaned.get("target") is not None or cleaned.get("actual") is not None
        if numbers and not cleaned.get("measure_period") and "measure_period" not in self.errors:
            self.add_error("measure_period", "Say which period the target and actual are for.")
        return cleaned

    @classmethod
    def initial_from(cls, row) -> dict:
        return {**super().initial_from(row), "measure_period": row.period}

    def _post_clean(self):
        # The model keeps the period as its canonical text (2018-19-Q1).
        period = self.cleaned_data.get("measure_period")
        self.cleaned_data["measure_period"] = str(period) if period else ""
        super()._post_clean()


class RiskForm(DraftMixin, ReportRowForm):
    needed_to_submit = ROW_FIELDS_NEEDED["risks"]

    class Meta:
        model = Risk
        fields = ["risk", "mitigation"]
        error_messages = {"risk": {"required": "Enter the risk, or remove this row."}}
        widgets = {"risk": _textarea(3), "mitigation": _textarea(3)}


def money_warnings(form, fields: dict[str, str]) -> list[str]:
    """Warnings for money that is negative where a spend is expected: saved as typed (a
    refund can make it so), but said, because an underspend typed as a negative spend is the
    usual slip."""
    warnings = []
    for name, words in fields.items():
        if form.is_bound:
            value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        else:
            value = form.initial.get(name)
        if isinstance(value, Decimal) and value < 0:
            warnings.append(
                f"The {words} is negative ({format_full(value)}). That is right only if money "
                "is coming back; an underspend is a spend below the annual value, not a "
                "negative spend."
            )
    return warnings


class ContractForm(ReportRowForm):
    annual_value = MoneyField(
        label="Annual Value",
        allow_negative=True,
        required=False,
        help_text="For example £1,374,000, £1.374m, £607k or (£33k).",
    )
    spend_variance = MoneyField(
        label="Any Over/Under spend to date",
        allow_negative=True,
        required=False,
        help_text="An underspend in brackets or with a minus sign, e.g. (£33k).",
    )

    @property
    def warnings(self) -> list[str]:
        return money_warnings(self, {"annual_value": "contract's annual value"})

    class Meta:
        model = AssociatedContract
        error_messages = {"contract": {"required": "Name the contract, or remove this row."}}
        fields = [
            "contract",
            "duration",
            "annual_value",
            "spend_variance",
            "performance_summary",
            "comments",
        ]
        widgets = {
            "contract": _textarea(2),
            "duration": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
            "performance_summary": _textarea(3),
            "comments": _textarea(2),
        }


class ReportRowFormSet(forms.BaseFormSet):
    """Rows are added in the page (or, without JavaScript, by the "Add" buttons, which save
    and come back with a blank row) and removed by ticking "Remove"."""

    row_noun = "row"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = f"Remove this {self.row_noun}"

    def rows(self) -> list[dict]:
        return [
            form.row_values()
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]

    def live_forms(self):
        return [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        ]


class FinancialLineFormSet(ReportRowFormSet):
    def clean(self):
        super().clean()
        forms_ = self.live_forms()
        seen: dict[tuple, forms.Form] = {}
        for form in forms_:
            key = (form.cleaned_data["source"], form.cleaned_data["other_source"].strip().lower())
            if key in seen:
                form.add_error(
                    "source", "This funding source is already on another line: use one line."
                )
            seen.setdefault(key, form)
        forms_ = self.live_forms()
        problems = typed_share_problems(
            [form.cleaned_data["annual_value"] for form in forms_],
            [getattr(form, "typed_share", None) for form in forms_],
        )
        for index, message in problems.items():
            forms_[index].add_error("annual_value", message)


# Rows a repeating table may have (a report has a dozen at most). Django would otherwise build
# up to 2,000 forms per table for a posted TOTAL_FORMS of any size: seconds of the server's time.
MAX_ROWS = 50


def _formset(form, row_noun: str, formset=ReportRowFormSet):
    return forms.formset_factory(
        form,
        formset=type(f"{form.__name__}Set", (formset,), {"row_noun": row_noun}),
        extra=0,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


# Each repeating table by its prefix, which is also the name the services and the list of
# missing sections use.
ROW_FORMSETS = {
    "financial_lines": _formset(FinancialLineForm, "funding source", FinancialLineFormSet),
    "key_developments": _formset(KeyDevelopmentForm, "key development"),
    "indicators": _formset(IndicatorForm, "indicator"),
    "risks": _formset(RiskForm, "risk"),
    "contracts": _formset(ContractForm, "contract"),
}


def row_initial(report: HighlightReport) -> dict[str, list[dict]]:
    """The report's rows as formset initial data, each as its row form shows it."""
    return {
        prefix: [formset.form.initial_from(row) for row in getattr(report, prefix).all()]
        for prefix, formset in ROW_FORMSETS.items()
    }


def report_forms(report: HighlightReport, data=None, *, add_row: str = ""):
    """The report form and its formsets, bound to `data` when given. An empty table starts
    with one blank row; `add_row` (a prefix) adds one more to that table."""
    form = HighlightReportForm(data, instance=report, initial={"version": report.version})
    initial = row_initial(report) if data is None else {}
    partners = list(report.scheme.area.partners.all())
    formsets = {}
    for prefix, formset_class in ROW_FORMSETS.items():
        form_kwargs = {"partners": partners} if prefix == "financial_lines" else {}
        formset = formset_class(
            data, prefix=prefix, initial=initial.get(prefix), form_kwargs=form_kwargs
        )
        if data is None:
            formset.extra = (0 if initial[prefix] else 1) + (prefix == add_row)
        formsets[prefix] = formset
    return form, formsets


def report_content(form: HighlightReportForm, formsets: dict) -> ReportContent:
    return ReportContent(
        fields=form.content_fields, **{prefix: fs.rows() for prefix, fs in formsets.items()}
    )


def with_extra_row(data, prefix: str):
    """A copy of posted data with one more (blank) row in the `prefix` table: how the page
    adds a row when JavaScript is not running."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    # A tampered count is left alone: the formset reports its own error.
    with contextlib.suppress(TypeError, ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    return data


class StepForm(PlainMessagesMixin, forms.Form):
    """A workflow step's form. Several share the report page, so each has its own ids."""

    id_prefix = "step"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReturnForm(StepForm):
    id_prefix = "return"
    comment = forms.CharField(
        label="What needs to change",
        help_text="The scheme lead sees this beside their report.",
        max_length=HighlightReport._meta.get_field("correction_reason").max_length,
        widget=_textarea(4),
        error_messages={"required": "Say what needs to change before returning the report."},
    )


class AcceptForm(StepForm):
    id_prefix = "accept"
    comment = forms.CharField(label="Comment", required=False, max_length=2000, widget=_textarea(2))


class CorrectionForm(StepForm):
    id_prefix = "correction"
    reason = forms.CharField(
        label="Why does the signed-off report need correcting?",
        help_text="Kept with the new revision; the signed-off text stays as it was.",
        max_length=2000,
        widget=_textarea(3),
        error_messages={"required": "Give the reason for the correction."},
    )


class BoardDatesForm(forms.Form):
    """The board dates not yet recorded; recorded ones are shown, not asked for again."""

    def __init__(self, *args, report: HighlightReport, **kwargs):
        super().__init__(*args, **kwargs)
        for action in BOARD_STEPS:
            field = BOARD_DATE_FIELDS[action]
            if getattr(report, field) is None:
                self.fields[field] = NhsukDateField(
                    label=BOARD_DATE_LABELS[action],
                    error_label=f"The {BOARD_DATE_LABELS[action][0].lower()}"
                    f"{BOARD_DATE_LABELS[action][1:]}",
                    required=False,
                )
        self.actions = {BOARD_DATE_FIELDS[action]: action for action in BOARD_STEPS}

    def dates(self) -> dict:
        return {self.actions[name]: value for name, value in self.cleaned_data.items() if value}


class TimetableForm(forms.Form):
    """A quarter's reporting timetable: when reports are due and when the boards meet."""

    reports_due = NhsukDateField(
        label="Highlight reports due",
        error_label="The date highlight reports are due",
        help_text="The last day for scheme leads to submit. For example, 12 10 2018.",
    )
    jcb_meeting = NhsukDateField(
        label="Joint Commissioning Board meeting",
        error_label="The Joint Commissioning Board meeting",
        required=False,
        help_text="Leave empty if it is not set yet.",
    )
    hwb_meeting = NhsukDateField(
        label="Health and Wellbeing Board meeting",
        error_label="The Health and Wellbeing Board meeting",
        required=False,
        help_text="Leave empty if it is not set yet.",
    )


class ReminderForm(forms.Form):
    """Which schemes' leads to remind now: one scheme's, or every outstanding one's."""

    scheme = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quarter = PeriodFormField(parser=parse_quarter, widget=forms.HiddenInput)
