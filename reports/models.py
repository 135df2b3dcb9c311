"""Board packs: the quarterly performance report to the JCB and the HWB, its frozen versions,
the area's priorities it reports against, and the portfolio ratings of each scheme."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bettercare.fields import FinancialYearField, MonthField, QuarterField
from bettercare.models import Area, Scheme
from bettercare.periods import Month, Quarter
from bettercare.ratings import RAG_CHOICES, RAG_VALUES, Rag
from metrics.models import Metric

from .progress import ASSESSMENT_CHOICES, ASSESSMENT_VALUES


class Priority(models.Model):
    """One of the priorities the Health and Wellbeing Board set for the programme. The pack's
    key highlights are written against each of them."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(help_text="Its position in the board's list.")
    title = models.CharField(max_length=300)
    description = models.TextField(
        blank=True, help_text="What the priority covers, as the plan puts it (optional)."
    )

    class Meta:
        ordering = ["area", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="priority_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Board(models.TextChoices):
    JCB = "JCB", "Joint Commissioning Board"
    HWB = "HWB", "Health and Wellbeing Board"


def data_month_problem(*, quarter: Quarter, month: Month) -> str | None:
    """Why `month` cannot be the data month of a pack about `quarter`, or None if it can: it
    must be a month of the quarter's financial year, and not after the quarter ends."""
    if month.financial_year != quarter.year:
        return (
            f"The data month must be in {quarter.year.label}, the financial year of "
            f"{quarter.label}: {month.label} is in {month.financial_year.label}."
        )
    if month > quarter.last_month:
        return (
            f"The data month cannot be after the quarter: {quarter.label} ends with "
            f"{quarter.last_month.label}, so {month.label} is too late."
        )
    return None


class Pack(models.Model):
    """A board's quarterly Better Care performance report.

    While Draft its figures are read live from the data; making it Final stores a frozen
    `PackVersion`. A correction reopens it as Draft and the next Final is the next version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="packs")
    board = models.CharField(max_length=3, choices=Board.choices)
    quarter = QuarterField(help_text="The quarter the pack reports on, e.g. 2018-19-Q2.")
    data_month = MonthField(
        "data month",
        help_text="The last month of data the pack reports (activity, and the finance position). "
        "It starts as the quarter's second month, because hospital data lags about a month.",
    )
    meeting_date = models.DateField("date of meeting", null=True, blank=True)
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)

    # The header block of the council's report template (the cover).
    agenda_item = models.CharField(
        "agenda item number",
        max_length=20,
        blank=True,
        help_text="The item's number on the meeting's agenda, e.g. 7. The cover gives it.",
    )
    report_of = models.CharField(
        max_length=200, blank=True, help_text="Who the report is from, e.g. a director's title."
    )
    # CONTACT DETAILS: the report's author, and the director it is from.
    contact_name = models.CharField("author's name", max_length=200, blank=True)
    contact_title = models.CharField("author's job title", max_length=200, blank=True)
    contact_phone = models.CharField("author's telephone", max_length=40, blank=True)
    contact_email = models.EmailField("author's email", blank=True)
    director_name = models.CharField("director's name", max_length=200, blank=True)
    director_title = models.CharField("director's job title", max_length=200, blank=True)
    director_phone = models.CharField("director's telephone", max_length=40, blank=True)
    director_email = models.EmailField("director's email", blank=True)
    confidentiality = models.TextField(
        "statement of confidentiality",
        blank=True,
        help_text="“None” unless part of the report is exempt from publication; then say which "
        "part and why.",
    )
    # The body, heading by heading.
    brief_summary = models.TextField(blank=True)
    recommendations = models.TextField(
        blank=True, help_text="One recommendation per line; the pack numbers them (i), (ii)…"
    )
    reasons = models.TextField("reasons for report recommendations", blank=True)
    alternatives = models.TextField("alternative options considered and rejected", blank=True)
    consultation = models.TextField(
        "consultation carried out",
        blank=True,
        help_text="Who was consulted on the report; the DETAIL heading says it includes this.",
    )
    property_other = models.TextField("resource implications: property/other", blank=True)
    statutory_power = models.TextField(
        "statutory power to undertake proposals in the report", blank=True
    )
    legal_implications = models.TextField(
        "other legal implications",
        blank=True,
        help_text="The national conditions and the area's compliance follow it, from the "
        "analyst's record of them.",
    )
    conflict_of_interest = models.TextField("conflict of interest implications", blank=True)
    risk_implications = models.TextField(
        "risk management implications",
        blank=True,
        help_text="The programme's key risks follow it, each with its mitigation.",
    )
    policy_implications = models.TextField("policy framework implications", blank=True)
    key_decision = models.CharField(
        "key decision?", max_length=200, blank=True, help_text="Usually “No”."
    )
    wards_affected = models.CharField(
        "wards/communities affected", max_length=300, blank=True, help_text="Usually “All”."
    )
    exempt_sections = models.JSONField(
        default=list,
        blank=True,
        help_text="Ids of the sections exempt from publication; the public version leaves "
        "them out.",
    )

    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-quarter", "board"]
        permissions = [
            ("view_full_pack", "Can see draft packs, exempt sections and full versions"),
            ("finalise_pack", "Can make a pack Final and start a correction"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "board", "quarter"], name="one_pack_per_board_and_quarter"
            ),
            models.CheckConstraint(condition=Q(board__in=Board.values), name="pack_board_known"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "final"]), name="pack_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.quarter.short_label} ({self.area.name})"

    def clean(self) -> None:
        super().clean()
        if isinstance(self.quarter, Quarter) and isinstance(self.data_month, Month):
            problem = data_month_problem(quarter=self.quarter, month=self.data_month)
            if problem:
                raise ValidationError({"data_month": problem})

    @property
    def data_statement(self) -> str:
        """How the pack states its data month: "Activity data up to Month 5, 31 August 2018"."""
        return f"Activity data up to {self.data_month.data_label}"

    @property
    def title(self) -> str:
        return f"Better Care performance report, {self.quarter.label}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def recommendation_lines(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    def file_stem(self, version_number: int) -> str:
        """How downloads are named: E06000045-JCB-2018-19-Q2-better-care-v2 (the area's code
        first: an ICB analyst downloads the same board's pack of several areas)."""
        return f"{self.area.code}-{self.board}-{self.quarter}-better-care-v{version_number}"


class PackHighlight(models.Model):
    """The pack's key highlights of the quarter for one of the area's priorities."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="highlights")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pack", "priority__number"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "priority"], name="one_highlight_per_priority"),
        ]

    def __str__(self) -> str:
        return f"{self.pack}: highlights for priority {self.priority.number}"


class PackMetric(models.Model):
    """What the pack says about one metric: its commentary in the performance table, and
    whether it is one of the performance headlines, with the headline's commentary and
    whether its SPC chart is shown. The figures themselves are never stored here: they are
    read from the metrics (and frozen with each Final version)."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="metric_texts")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    commentary = models.TextField(
        blank=True, help_text="A line or two for the Commentary column of the performance table."
    )
    headline = models.BooleanField(
        "in the performance headlines",
        default=False,
        help_text="The headlines give the metric a chart of the year against plan and last year.",
    )
    headline_text = models.TextField("headline commentary", blank=True)
    show_spc = models.BooleanField(
        "with its SPC chart",
        default=False,
        help_text="Worth showing when the SPC reading signals special cause variation.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pack", "metric__display_order", "metric__code"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "metric"], name="one_text_per_pack_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.pack}: {self.metric.code}"


class FrozenRecordError(RuntimeError):
    """A frozen version is never changed: a correction is a new version."""


class PackVersion(models.Model):
    """What the board saw: the PDFs (full and public) and the figures used, exactly as they
    were when the pack was made Final, each with its SHA-256 checksum."""

    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    full_pdf = models.BinaryField()
    full_sha256 = models.CharField(max_length=64)
    full_pages = models.PositiveIntegerField()
    public_pdf = models.BinaryField()
    public_sha256 = models.CharField(max_length=64)
    public_pages = models.PositiveIntegerField()
    figures_json = models.BinaryField(help_text="The figures used, as UTF-8 JSON.")
    figures_sha256 = models.CharField(max_length=64)
    # What the check before Final found lacking, and why the secretary went on: kept with the
    # version for the record, never printed in either PDF.
    lacking = models.JSONField(
        "lacking when made Final",
        default=list,
        blank=True,
        help_text="What the check before Final found lacking, in words.",
    )
    final_reason = models.TextField(
        "reason for making it Final",
        blank=True,
        help_text="Why the secretary made the pack Final although something was lacking.",
    )

    class Meta:
        ordering = ["pack", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "number"], name="one_version_number_per_pack"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_numbers_start_at_1"),
        ]

    def __str__(self) -> str:
        return f"{self.pack}, version {self.number}"

    def save(self, *args, **kwargs):
        # Written once, never updated: what the board saw must stay as it was.
        if not self._state.adding:
            raise FrozenRecordError("A Final version cannot be changed; make a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenRecordError("A Final version cannot be deleted.")


class PackBuild(models.Model):
    """A draft PDF built on request, kept for a day so that the person who built it can
    download it after watching the build's progress."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="builds")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    public = models.BooleanField(default=False)
    file_name = models.CharField(max_length=120)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.file_name


RAG_MEANINGS = {
    Rag.GREEN: "on track",
    Rag.AMBER: "some risk to delivery, with actions in hand",
    Rag.RED: "off track: the board's attention is needed",
}


NARRATIVE_LENGTH = 300  # characters: one line of the board's portfolio view


def narrative_problem(rag: str, narrative: str) -> str | None:
    """What is wrong with a rating's narrative, or None: a scheme rated Amber or Red needs one
    saying why, and it is one line."""
    narrative = narrative.strip()
    if rag in (Rag.AMBER, Rag.RED) and not narrative:
        return f"say in the narrative why it is {Rag(rag).label.lower()}"
    if len(narrative) > NARRATIVE_LENGTH:
        return f"keep the narrative to {NARRATIVE_LENGTH} characters"
    return None


class PortfolioRating(models.Model):
    """An analyst's overall RAG rating of a scheme for a quarter, with a one-line narrative."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="ratings")
    quarter = QuarterField()
    rag = models.CharField("RAG rating", max_length=5, choices=RAG_CHOICES)
    narrative = models.CharField(
        max_length=NARRATIVE_LENGTH,
        blank=True,
        help_text="One line on why, for the board's portfolio view.",
    )
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme__area", "quarter", "scheme__number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "quarter"], name="one_rating_per_quarter"),
            models.CheckConstraint(condition=Q(rag__in=RAG_VALUES), name="rating_rag_known"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.quarter.short_label}: {self.get_rag_display()}"


class ChartDrawing(models.Model):
    """A chart drawn as SVG for print, kept by a checksum of what was drawn (the figure's JSON,
    its size and the versions of the drawing software), so that the same figure is never drawn
    twice: a Final build after its draft, or `build_pack` after the page's build, reuses it.
    Drawings unused for a while are removed (see `reports.drawing`)."""

    key = models.CharField(max_length=64, unique=True, help_text="SHA-256 of what was drawn.")
    svg = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    used = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Chart drawing {self.key[:12]}"


class PackRisk(models.Model):
    """One of the programme's key risks, with its mitigation, as the pack's risk management
    implications list them: chosen by the secretary from the quarter's scheme risks (`scheme`
    says whose) or written anew, and carried forward to the board's next pack as a start."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="risks")
    position = models.PositiveSmallIntegerField()
    risk = models.TextField(max_length=1000)
    mitigation = models.TextField(max_length=1000, blank=True)
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The scheme whose highlight report raised it, if it came from one.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pack", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "position"], name="one_risk_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.pack}: risk {self.position + 1}"


class NationalCondition(models.Model):
    """One of the Better Care Fund's national conditions in force for an area's year, with the
    area's compliance and a note, as the analyst records them. The pack's legal implications
    state them; the quarterly return to NHS England confirms them from the same record.

    The conditions in force each year come from `reports.conditions`; `text` keeps the
    wording that applied, so a later change of policy never rewrites an earlier year."""

    class Compliance(models.TextChoices):
        COMPLIANT = "compliant", "Compliant"
        NOT_COMPLIANT = "not_compliant", "Not compliant"
        NOT_ASSESSED = "not_assessed", "Not assessed yet"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="national_conditions")
    financial_year = FinancialYearField()
    code = models.CharField(max_length=40, help_text="The condition's stable code.")
    number = models.PositiveSmallIntegerField(help_text="Its number in the policy framework.")
    text = models.TextField("condition", help_text="The condition as the policy framework puts it.")
    compliance = models.CharField(
        max_length=15, choices=Compliance.choices, default=Compliance.NOT_ASSESSED
    )
    note = models.TextField(
        blank=True, help_text="How the area meets it, or what is being done where it does not."
    )
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "financial_year", "code"], name="one_condition_per_area_year"
            ),
            models.CheckConstraint(
                condition=Q(compliance__in=["compliant", "not_compliant", "not_assessed"]),
                name="condition_compliance_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} {self.financial_year.label}: condition {self.number}"


RETURN_TEXT_LENGTH = 2000  # characters: a paragraph in a cell of the national template


class QuarterlyReturn(models.Model):
    """The area's quarterly return to NHS England for a quarter: what the analyst adds to the
    figures the board pack already shows (see `reports.returns`). Each national metric's
    assessment and texts are a `ReturnMetric`; the numbers themselves are never stored here."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="quarterly_returns")
    quarter = QuarterField(help_text="The quarter returned, e.g. 2018-19-Q2.")
    contact_phone = models.CharField(
        "contact telephone",
        max_length=40,
        blank=True,
        help_text="The return's cover gives it beside the name and e-mail of who completed it.",
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who completed the return: the analyst who last saved it.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["area", "quarter"], name="one_return_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name}: quarterly return for {self.quarter.short_label}"


class ReturnMetric(models.Model):
    """A national metric in the quarterly return: the analyst's assessment of progress where it
    differs from the one worked out from the metric's rating (blank: as worked out), why, and
    the quarter's challenges, achievements and support needs."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="metrics"
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    assessment = models.CharField(
        "assessment of progress",
        max_length=12,
        blank=True,
        choices=ASSESSMENT_CHOICES,
        help_text="Blank: the assessment worked out from the metric's rating against its target.",
    )
    reason = models.TextField(
        "reason for changing the assessment",
        blank=True,
        help_text="Needed when the assessment differs from the one worked out from the rating.",
    )
    challenges = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    support_needs = models.TextField("support needs", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarterly_return", "metric__display_order", "metric__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "metric"], name="one_return_row_per_metric"
            ),
            models.CheckConstraint(
                condition=Q(assessment__in=["", *ASSESSMENT_VALUES]),
                name="return_assessment_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return}: {self.metric.code}"
