"""The metric catalogue, the monthly figures reported against it, and where they came from."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
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


class AgeGroup(models.TextChoices):
    """The populations an area holds, for the rates worked out per 100,000 of them."""

    ALL_AGES = "all", "All ages"
    AGED_18_PLUS = "18+", "Aged 18+"
    AGED_65_PLUS = "65+", "Aged 65+"


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
        PER_DAY = Unit.PER_DAY, "Average per day (e.g. delayed patients per day)"

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
    rate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rates",
        verbose_name="rate of",
        help_text="For a rate worked out from another metric's figures and the area's "
        "population (never typed): the metric counted. Leave empty for a rate loaded as it is "
        "published (a standardised rate, say).",
    )
    age_group = models.CharField(
        "age group of the population",
        max_length=5,
        choices=AgeGroup.choices,
        blank=True,
        help_text="For a rate worked out from another metric: the population it is per 100,000 of.",
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
            models.CheckConstraint(
                condition=Q(rate_of__isnull=True) | (Q(unit=Unit.RATE) & ~Q(age_group="")),
                name="metric_worked_out_rate_has_age_group",
                violation_error_message="A rate worked out from another metric is a rate, and "
                "names the age group of the population it is per 100,000 of.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.last_year and self.first_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": "The last year cannot be before the first."})
        if self.rate_of_id is not None:
            if self.rate_of_id == self.pk or (self.rate_of and self.rate_of.rate_of_id):
                raise ValidationError(
                    {
                        "rate_of": "A rate is worked out from a metric that is counted, not from "
                        "itself or another worked-out rate."
                    }
                )
            if self.unit != Unit.RATE or not self.age_group:
                raise ValidationError(
                    {
                        "age_group": "A rate worked out from another metric is a rate per "
                        "100,000 of an age group's population: choose the age group."
                    }
                )

    @property
    def is_worked_out(self) -> bool:
        """True for a rate worked out from another metric and the population (never loaded)."""
        return self.rate_of_id is not None

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


class Population(models.Model):
    """How many people live in an area in a financial year, for one age group, and where the
    figure comes from (an ONS mid-year estimate, usually). Rates per 100,000 are worked out
    from these and the counts, never typed beside the counts."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    financial_year = FinancialYearField(
        help_text="The financial year the figure is used for, e.g. 2018-19 (usually the "
        "mid-year estimate of its first calendar year)."
    )
    age_group = models.CharField(max_length=5, choices=AgeGroup.choices)
    people = models.PositiveIntegerField(help_text="Number of people.")
    source = models.CharField(
        max_length=300, help_text="Where the figure comes from, e.g. “ONS mid-2018 estimates”."
    )
    illustrative = models.BooleanField(
        default=False, help_text="A figure made up for demonstration, not a published one."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year", "age_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "financial_year", "age_group"],
                name="one_population_per_area_year_age_group",
            ),
            models.CheckConstraint(
                condition=Q(people__gt=0),
                name="population_is_positive",
                violation_error_message="A population is a positive number of people.",
            ),
        ]
        permissions = [("import_population", "Can import populations from a file")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.financial_year} {self.age_group}: {self.people:,}"


class PlanRevision(models.Model):
    """A change to plans already held for a metric's financial year: when it takes effect,
    why, who made it and when. Ratings of a month before it takes effect use the plans it
    replaced (`SupersededPlan`), so a month is always rated against the plan in force then."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="plan_revisions")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="plan_revisions")
    financial_year = FinancialYearField()
    effective = models.DateField(
        "takes effect", help_text="Months ending on or after this date are rated against it."
    )
    reason = models.TextField(
        help_text="Why the plan changed, as the board is told (e.g. reset by national guidance)."
    )
    file_name = models.CharField(max_length=255, blank=True, help_text="The file it came in.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the command line and the demo loader.",
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "metric", "financial_year", "effective", "created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="plan_revision_has_reason",
                violation_error_message="A plan revision needs its reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric.code} {self.financial_year} from {self.effective:%d %B %Y}"

    @property
    def note(self) -> str:
        """'Target revised from 19 July 2018: <reason>', as the performance table notes it."""
        return f"Target revised from {self.effective.day} {self.effective:%B %Y}: {self.reason}"


class SupersededPlan(models.Model):
    """A plan figure as it stood before a revision replaced it (or None: there was none)."""

    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="superseded")
    period = models.CharField(max_length=10)
    end_month = MonthField()
    breakdown = models.CharField(max_length=60, blank=True, default="")
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["revision", "end_month", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "period", "breakdown"], name="one_superseded_plan_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision}: {self.period} {self.breakdown} was {self.value}"


class MetricSettings(models.Model):
    """An analyst's choices for one metric in their area: how its SPC limits are worked out,
    and which kinds of breakdown the board pack's commentary leaves out."""

    class Breakdown(models.TextChoices):
        PROVIDER = "provider", "Providers against their own plans"
        AGE_BAND = "age_band", "Age bands, year on year"
        ATTRIBUTION = "attribution", "Attributions (NHS, Adult Social Care, Joint), year on year"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="metric_settings")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="settings")
    spc_baseline_points = models.PositiveSmallIntegerField(
        "fix the limits on the first points",
        null=True,
        blank=True,
        validators=[MinValueValidator(12), MaxValueValidator(20)],
        help_text="12 to 20: the limits are worked out from that many first points of each "
        "baseline and then hold. Empty: from every point, moving as months are added.",
    )
    spc_screen_moving_ranges = models.BooleanField(
        "screen moving ranges",
        default=False,
        help_text="Leave moving ranges of 3.267 times their mean or more (one-off jumps) out of "
        "the limits.",
    )
    commentary_leaves_out = models.JSONField(
        "breakdowns left out of the commentary",
        default=list,
        blank=True,
        help_text="Kinds of breakdown whose generated lines the board pack's commentary leaves "
        "out.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "metric settings"
        verbose_name_plural = "metric settings"
        constraints = [
            models.UniqueConstraint(fields=["area", "metric"], name="one_settings_per_metric"),
            models.CheckConstraint(
                condition=Q(spc_baseline_points__isnull=True)
                | Q(spc_baseline_points__gte=12, spc_baseline_points__lte=20),
                name="spc_baseline_of_12_to_20_points",
                violation_error_message="A fixed baseline has 12 to 20 points.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric.code} in {self.area.code}"
