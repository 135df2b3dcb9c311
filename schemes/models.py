"""Schemes' quarterly highlight reports. The schemes themselves, and who leads each, are the
area's register in `bettercare.models` (finance and board packs refer to them too)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bettercare.fields import QuarterField
from bettercare.funding import FUNDING_SOURCE_CHOICES, line_label
from bettercare.models import Area, Partner, Scheme
from bettercare.periods import parse_period

from .deadlines import timetable_problems
from .report_finance import FinanceLine, FinanceSummary, summarise
from .workflow import EDITABLE, SIGNED_OFF, Action, Status

# --- Quarterly highlight reports -------------------------------------------------------------

# Long enough for the longest section of the 2017/18 reports several times over; a limit stops
# a pasted document from swamping the board pack.
LONG_TEXT = 10_000
ROW_TEXT = 4_000
MONEY = {"max_digits": 15, "decimal_places": 2}


# A report line for money from outside the partners' sources, named by the lead.
OTHER_SOURCE = "other"


class BcfAim(models.TextChoices):
    """The five aims of the Better Care Fund that the template asks key developments to
    support."""

    ADMISSIONS = "admissions", "Reducing hospital and care home admissions"
    DISCHARGE = "discharge", "Improving timely discharge"
    EXPERIENCE = "experience", "Improving service user experience"
    FALLS = "falls", "Reducing falls"
    READMISSIONS = "readmissions", "Reducing hospital readmissions"


STATUS_CHOICES = [(status.value, status.label) for status in Status]
ACTION_CHOICES = [(action.value, action.label) for action in Action]


class HighlightReportQuerySet(models.QuerySet):
    def current(self) -> HighlightReportQuerySet:
        return self.filter(is_current=True)

    def in_area(self, area: Area) -> HighlightReportQuerySet:
        return self.filter(scheme__area=area)


class HighlightReport(models.Model):
    """A scheme's quarterly highlight report, one revision of it.

    Revision 1 is the report as first written. Once the JCB has signed a revision off it never
    changes; a correction is a new revision (with its reason) that goes through the workflow
    again, and `is_current` marks the revision the pages and the board pack show."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="highlight_reports")
    quarter = QuarterField(help_text="The quarter reported on, e.g. 2018-19-Q1.")
    revision = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(
        default=True, help_text="The latest revision: the one shown and put in the board pack."
    )
    correction_reason = models.TextField(
        "reason for the correction",
        blank=True,
        max_length=LONG_TEXT,
        help_text="Why this revision corrects a report the board had signed off.",
    )
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=Status.DRAFT)
    # Optimistic locking: every save of the text adds one, and a save based on an older
    # number is refused instead of silently overwriting someone else's changes.
    version = models.PositiveIntegerField(default=1)

    # Header, as the template lays it out.
    host_organisation = models.CharField("Host Organisation", max_length=200)
    pooled_budget_manager = models.CharField("Pooled Budget Manager", max_length=200, blank=True)
    report_author = models.CharField("Report Author", max_length=200, blank=True)
    report_date = models.DateField("Report Date", null=True, blank=True)

    # Overall Financial Performance: the figures are FinancialLine rows; these are the answers.
    reasons_for_variance = models.TextField(
        "What are the reasons for Over/Underspends?", blank=True, max_length=LONG_TEXT
    )
    actions_on_variance = models.TextField(
        "What actions are being taken to address Over/Underspends?",
        blank=True,
        max_length=LONG_TEXT,
    )
    savings_opportunities = models.TextField(
        "Are there any opportunities for Savings?", blank=True, max_length=LONG_TEXT
    )
    cost_pressures = models.TextField("Predicted Cost Pressures:", blank=True, max_length=LONG_TEXT)

    # Overall Delivery.
    aims = models.TextField(
        "Original Aims and anticipated Outcomes for this Scheme",
        blank=True,
        max_length=LONG_TEXT,
        help_text="Starts from the scheme's specification; change it only if the aims changed.",
    )

    # Summary.
    recommendations = models.TextField(
        "Describe any proposed Changes/ Recommendations for consideration by Joint "
        "Commissioning Board and HWBB",
        blank=True,
        max_length=LONG_TEXT,
    )
    priorities = models.TextField(
        "Outline the Priorities for this scheme for the forthcoming period (i.e next 3-6 months)",
        blank=True,
        max_length=LONG_TEXT,
    )

    # Board dates, recorded by the board secretary as the workflow's last steps.
    received_by_jcb = models.DateField(
        "Date received by Joint Commissioning Board", null=True, blank=True
    )
    signed_off_by_jcb = models.DateField(
        "Date signed off by Joint Commissioning Board", null=True, blank=True
    )
    received_by_hwb = models.DateField(
        "Date received by Health & Wellbeing Board", null=True, blank=True
    )

    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The latest workflow step, kept here so lists need not read every report's history.
    status_changed = models.DateTimeField(default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["version"])

    objects = HighlightReportQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "quarter", "revision"]
        permissions = [
            ("submit_highlightreport", "Can submit a highlight report of a scheme they lead"),
            ("review_highlightreport", "Can return or accept a submitted highlight report"),
            ("record_board_dates", "Can record the board dates of a highlight report"),
            ("correct_highlightreport", "Can start a correction of a signed-off report"),
            ("record_paper_highlightreport", "Can record a report signed off on paper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "quarter", "revision"], name="one_report_revision_number"
            ),
            models.UniqueConstraint(
                fields=["scheme", "quarter"],
                condition=Q(is_current=True),
                name="one_current_report_per_scheme_quarter",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in Status]),
                name="report_status_known",
            ),
            models.CheckConstraint(
                condition=Q(revision=1) | ~Q(correction_reason=""),
                name="correction_has_reason",
                violation_error_message="A correction needs a reason.",
            ),
            models.CheckConstraint(
                condition=Q(signed_off_by_jcb__isnull=True)
                | Q(
                    received_by_jcb__isnull=False,
                    signed_off_by_jcb__gte=models.F("received_by_jcb"),
                ),
                name="jcb_signs_off_after_receiving",
            ),
            models.CheckConstraint(
                condition=Q(received_by_hwb__isnull=True)
                | Q(
                    signed_off_by_jcb__isnull=False,
                    received_by_hwb__gte=models.F("signed_off_by_jcb"),
                ),
                name="hwb_receives_after_jcb_sign_off",
            ),
        ]

    def __str__(self) -> str:
        revision = f", revision {self.revision}" if self.revision > 1 else ""
        return f"{self.scheme}: {self.quarter.short_label}{revision}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_signed_off(self) -> bool:
        return self.status in SIGNED_OFF

    @property
    def scheme_name(self) -> str:
        """The scheme's name in the report's financial year."""
        return self.scheme.name_in(self.quarter.year)

    @property
    def finance(self) -> FinanceSummary:
        """Totals, shares and variances of the financial lines (see report_finance)."""
        return summarise(line.as_finance_line() for line in self.financial_lines.all())


class ReportRow(models.Model):
    """A row of one of the report's repeating tables, kept in the order it was entered."""

    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["report", "position", "pk"]


class FinancialLine(ReportRow):
    report = models.ForeignKey(
        HighlightReport, on_delete=models.CASCADE, related_name="financial_lines"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose money the line is; empty for an other source, named below.",
    )
    source = models.CharField(
        "Funding source",
        max_length=20,
        choices=[*FUNDING_SOURCE_CHOICES, (OTHER_SOURCE, "Other")],
        help_text="The partner's own contribution or a grant (bettercare.funding), or other.",
    )
    other_source = models.CharField(
        "Name of the other source",
        max_length=60,
        blank=True,
        help_text="Only for “Other”, e.g. Disabled Facilities Grant.",
    )
    annual_value = models.DecimalField("Annual value", **MONEY)
    projected_spend = models.DecimalField(
        "Projected year end spend", null=True, blank=True, **MONEY
    )

    class Meta(ReportRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["report", "partner", "source"],
                condition=~Q(source=OTHER_SOURCE),
                name="one_line_per_funding_source",
            ),
            models.UniqueConstraint(
                fields=["report", "other_source"],
                condition=Q(source=OTHER_SOURCE),
                name="one_line_per_other_source",
            ),
            models.CheckConstraint(
                condition=(Q(source=OTHER_SOURCE) & Q(partner__isnull=True) & ~Q(other_source=""))
                | (~Q(source=OTHER_SOURCE) & Q(partner__isnull=False) & Q(other_source="")),
                name="funding_line_is_a_partners_or_named",
                violation_error_message="A funding line is a partner's source, or another "
                "source with its name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.annual_value}"

    @property
    def label(self) -> str:
        """As the template names the line: CCG, SCC, SCC iBCF, or the other source's name."""
        if self.source == OTHER_SOURCE:
            return self.other_source
        return line_label(self.partner.code, self.source)

    def as_finance_line(self) -> FinanceLine:
        return FinanceLine(self.label, self.annual_value, self.projected_spend)


class KeyDevelopment(ReportRow):
    report = models.ForeignKey(
        HighlightReport, on_delete=models.CASCADE, related_name="key_developments"
    )
    text = models.TextField("Key development, success or achievement", max_length=ROW_TEXT)

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def aims(self) -> list[BcfAim]:
        """The BCF aims this development supports, in the template's order."""
        tagged = {tag.aim for tag in self.aim_tags.all()}
        return [aim for aim in BcfAim if aim.value in tagged]


class KeyDevelopmentAim(models.Model):
    development = models.ForeignKey(
        KeyDevelopment, on_delete=models.CASCADE, related_name="aim_tags"
    )
    aim = models.CharField(max_length=20, choices=BcfAim.choices)

    class Meta:
        ordering = ["development", "aim"]
        constraints = [
            models.UniqueConstraint(fields=["development", "aim"], name="one_tag_per_aim"),
        ]

    def __str__(self) -> str:
        return BcfAim(self.aim).label


class IndicatorUnit(models.TextChoices):
    NUMBER = "number", "A number"
    PERCENT = "percent", "A percentage"


class PerformanceIndicator(ReportRow):
    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.TextField("Indicator", max_length=ROW_TEXT)
    progress = models.TextField("Progress to Date", blank=True, max_length=ROW_TEXT)
    unit = models.CharField(
        "target and actual are",
        max_length=10,
        choices=IndicatorUnit.choices,
        default=IndicatorUnit.NUMBER,
        help_text="A number counts something (referrals, assessments); a percentage is 0 to 100.",
    )
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    measure_period = models.CharField(
        "period of the target and actual",
        max_length=10,
        blank=True,
        help_text="A quarter, month or financial year, e.g. Q4 2017/18.",
    )

    def __str__(self) -> str:
        return self.indicator[:60]

    @property
    def period(self):
        return parse_period(self.measure_period) if self.measure_period else None


class Risk(ReportRow):
    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField("Risks", max_length=ROW_TEXT)
    mitigation = models.TextField("Mitigation", blank=True, max_length=ROW_TEXT)

    def __str__(self) -> str:
        return self.risk[:60]


class AssociatedContract(ReportRow):
    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="contracts")
    contract = models.TextField("Contract", max_length=ROW_TEXT)
    duration = models.CharField("Duration", max_length=100, blank=True)
    annual_value = models.DecimalField("Annual Value", null=True, blank=True, **MONEY)
    spend_variance = models.DecimalField(
        "Any Over/Under spend to date", null=True, blank=True, **MONEY
    )
    performance_summary = models.TextField(
        "Summary of Performance to date", blank=True, max_length=ROW_TEXT
    )
    comments = models.TextField("Further Comments", blank=True, max_length=ROW_TEXT)

    def __str__(self) -> str:
        return self.contract[:60]


class HighlightReportEvent(models.Model):
    """One step in a report's life: who took it, when, and what they said or dated."""

    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=ACTION_CHOICES)
    from_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, max_length=LONG_TEXT)
    board_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.action_label} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return Action(self.action).label


# --- The reporting timetable -----------------------------------------------------------------


class ReportingTimetable(models.Model):
    """When a quarter's highlight reports are due in an area, and when its boards meet.

    Set by an analyst each quarter; the overview measures each report against the due date,
    leads see it on their home page, and the daily reminders are sent from it."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="timetables")
    quarter = QuarterField(help_text="The quarter reported on, e.g. 2018-19-Q2.")
    reports_due = models.DateField(
        "highlight reports due", help_text="The last day for scheme leads to submit."
    )
    jcb_meeting = models.DateField(
        "Joint Commissioning Board meeting", null=True, blank=True
    )
    hwb_meeting = models.DateField(
        "Health and Wellbeing Board meeting", null=True, blank=True
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["area", "quarter"], name="one_timetable_per_quarter"),
            models.CheckConstraint(
                condition=Q(hwb_meeting__isnull=True)
                | Q(jcb_meeting__isnull=True)
                | Q(hwb_meeting__gte=models.F("jcb_meeting")),
                name="hwb_meets_after_jcb",
                violation_error_message="The HWB meets on or after the JCB.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.name}, {self.quarter.short_label}: reports due {self.reports_due}"

    def clean(self) -> None:
        if not self.quarter or self.reports_due is None:
            return
        problems = timetable_problems(
            quarter_label=self.quarter.short_label,
            quarter_end=self.quarter.end,
            reports_due=self.reports_due,
            jcb_meeting=self.jcb_meeting,
            hwb_meeting=self.hwb_meeting,
        )
        if problems:
            raise ValidationError(problems)
