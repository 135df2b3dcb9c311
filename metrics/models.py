"""The metric catalogue, the monthly figures reported against it, and where they came from."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bettercare.fields import FinancialYearField, MonthField
from bettercare.models import Area
from bettercare.periods import FinancialYear

from . import rag
from .units import Unit, unit_label

metric_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,39}$",
    "A metric code is 2 to 40 lower-case letters, digits or underscores, starting with a "
    "letter, e.g. nel_admissions.",
)


class Metric(models.Model):
    """A measure in the catalogue: what it counts, which way is better and how a year to date
    is formed. Codes are stable: import files and the board pack refer to metrics by code."""

    class Group(models.TextChoices):
        URGENT_CARE_DEMAND = "urgent_care_demand", "Urgent Care Demand"
        DISCHARGE = "discharge", "Discharge & Out of Hospital Model"
        PREVENTION = "prevention", "Prevention"

    class UnitChoice(models.TextChoices):
        COUNT = Unit.COUNT, "Count"
        PERCENT = Unit.PERCENT, "Percentage (%)"
        RATE = Unit.RATE, "Rate per 100,000 of a stated population"
        DAYS = Unit.DAYS, "Days"

    class Direction(models.TextChoices):
        LOWER = rag.Direction.LOWER, "Lower is better"
        HIGHER = rag.Direction.HIGHER, "Higher is better"

    class YtdRule(models.TextChoices):
        SUM = rag.YtdRule.SUM, "Sum of the months to date (counts)"
        LATEST = rag.YtdRule.LATEST, "Latest month alone (a snapshot: rates and percentages)"

    class Scope(models.TextChoices):
        NATIONAL = "national", "National BCF metric"
        LOCAL = "local", "Local monitoring"

    class Frequency(models.TextChoices):
        MONTHLY = rag.Frequency.MONTHLY, "Monthly"
        QUARTERLY = rag.Frequency.QUARTERLY, "Quarterly"
        ANNUAL = rag.Frequency.ANNUAL, "Annual"

    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[metric_code_validator],
        help_text="The stable code import files use, e.g. nel_admissions. Do not change it once "
        "figures have been loaded.",
    )
    name = models.CharField(max_length=200, help_text="As the board's tables name it.")
    description = models.TextField(blank=True, help_text="What is counted, and its source.")
    group = models.CharField(max_length=30, choices=Group.choices)
    unit = models.CharField(max_length=10, choices=UnitChoice.choices)
    rate_population = models.CharField(
        "population of the rate",
        max_length=80,
        blank=True,
        help_text="For a rate: the population it is per 100,000 of, e.g. “population aged 65+”.",
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    ytd_rule = models.CharField("year-to-date rule", max_length=10, choices=YtdRule.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    frequency = models.CharField(
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.MONTHLY,
        help_text="How often figures are published: each figure's period must be of this kind.",
    )
    first_year = FinancialYearField(help_text="The first financial year the metric is reported.")
    last_year = FinancialYearField(
        blank=True, help_text="The last financial year it is reported; blank while it continues."
    )
    amber_above = models.DecimalField(
        "Amber when worse by more than (%)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Green up to this % worse than the comparator; the boards use 0.",
    )
    red_from = models.DecimalField(
        "Red when worse by at least (%)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(10),
        help_text="Red from this % worse than the comparator; the boards use 10.",
    )
    display_order = models.PositiveSmallIntegerField(
        default=0, help_text="Position on the dashboard and in the board pack."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(red_from__gt=models.F("amber_above")),
                name="metric_red_threshold_above_amber",
                violation_error_message="The Red threshold must be above the Amber one.",
            ),
            models.CheckConstraint(
                condition=~Q(unit=Unit.RATE) | ~Q(rate_population=""),
                name="metric_rate_states_population",
                violation_error_message="A rate must state the population it is per 100,000 of.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.last_year and self.first_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": "The last year cannot be before the first."})

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit, self.rate_population)

    @property
    def thresholds(self) -> rag.Thresholds:
        return rag.Thresholds(amber_above=self.amber_above, red_from=self.red_from)

    def is_valid_in(self, year: FinancialYear) -> bool:
        return self.first_year <= year and (not self.last_year or year <= self.last_year)


class MetricImport(models.Model):
    """A file of figures that was applied: who loaded it, when, and what it changed. Every
    figure points to the import that last set it."""

    class Via(models.TextChoices):
        UPLOAD = "upload", "Upload page"
        COMMAND = "command", "import_metrics command"
        DEMO = "demo", "Demo data"

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    via = models.CharField(max_length=10, choices=Via.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the command line and the demo loader.",
    )
    imported = models.DateTimeField(default=timezone.now)
    illustrative = models.BooleanField(
        default=False,
        help_text="Figures invented for demonstration, not real data.",
    )
    description = models.TextField(blank=True)
    rows_new = models.PositiveIntegerField(default=0)
    rows_replaced = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported"]

    def __str__(self) -> str:
        flag = " (illustrative)" if self.illustrative else ""
        return f"{self.file_name}, {timezone.localtime(self.imported):%d %b %Y %H:%M}{flag}"


class MetricValueQuerySet(models.QuerySet):
    def in_area(self, area: Area) -> MetricValueQuerySet:
        return self.filter(area=area)


class MetricValue(models.Model):
    """One figure: an area's actual or planned value of a metric for a period, for the area as
    a whole (no breakdown) or for one part of it (a provider, an age band, an attribution).
    A breakdown row never changes the area's own figure: totals are loaded, not summed."""

    class Series(models.TextChoices):
        ACTUAL = "actual", "Actual"
        PLAN = "plan", "Plan"

    class Status(models.TextChoices):
        FINAL = "final", "Final"
        PROVISIONAL = "provisional", "Provisional"
        NOT_AVAILABLE = "not_available", "Not available"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="metric_values")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="values")
    period = models.CharField(
        max_length=10, help_text="A month (2018-08), quarter (2018-19-Q2) or year (2018-19)."
    )
    end_month = MonthField(help_text="The last month of the period; used to order and filter.")
    series = models.CharField(max_length=10, choices=Series.choices)
    breakdown = models.CharField(
        max_length=60,
        blank=True,
        default="",
        help_text="Empty for the area's own figure, else kind:value, e.g. provider:UHS.",
    )
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.FINAL)
    note = models.TextField(
        "caveat", blank=True, help_text="Shown beside the figure and as a footnote in the pack."
    )
    source = models.ForeignKey(
        MetricImport, on_delete=models.PROTECT, related_name="values", null=True, blank=True
    )
    history = HistoricalRecords()

    objects = MetricValueQuerySet.as_manager()

    class Meta:
        ordering = ["area", "metric", "end_month", "series", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "metric", "period", "series", "breakdown"],
                name="one_metric_value_per_period_series_breakdown",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, status="not_available")
                | (Q(value__isnull=False) & ~Q(status="not_available")),
                name="metric_value_missing_only_when_not_available",
                violation_error_message="A figure is empty exactly when its status is "
                "“not available”.",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "breakdown", "end_month"], name="metric_value_area_month"),
        ]
        permissions = [("import_metricvalue", "Can import metric figures from a file")]

    def __str__(self) -> str:
        part = f" ({self.breakdown})" if self.breakdown else ""
        return f"{self.metric.code} {self.period} {self.series}{part}: {self.value}"


class SpcRecalculation(models.Model):
    """A point from which an SPC chart starts a new baseline (new mean and limits), recorded by
    an analyst with the reason, e.g. a change in how a provider counts delays. Never automatic."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="spc_recalculations")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="recalculations")
    month = MonthField(help_text="The first month of the new baseline.")
    reason = models.CharField(
        max_length=300, help_text="Why the process changed here; shown on the chart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "metric", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "metric", "month"], name="one_recalculation_per_month"
            ),
        ]
        verbose_name = "SPC recalculation point"

    def __str__(self) -> str:
        return f"{self.metric.code} from {self.month}: {self.reason}"
