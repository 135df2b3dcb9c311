"""Better Care schemes: how an area spends its pooled fund, and who leads each one."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bettercare.fields import FinancialYearField
from bettercare.models import Area, Partner
from bettercare.periods import FinancialYear

NOT_POOLED_LABEL = "Budgets not pooled - Joint Oversight of Scheme"


class SchemeQuerySet(models.QuerySet):
    def in_area(self, area: Area) -> SchemeQuerySet:
        return self.filter(area=area)

    def active_in(self, year: FinancialYear) -> SchemeQuerySet:
        return self.filter(Q(first_year__lte=year), Q(last_year="") | Q(last_year__gte=year))

    def led_by(self, user) -> SchemeQuerySet:
        return self.filter(leads=user)


class Scheme(models.Model):
    """A scheme of the pooled fund, numbered within its area (1. Carers, 2. Clusters, ...)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="schemes")
    number = models.PositiveSmallIntegerField(help_text="The scheme's number in the area's plan.")
    name = models.CharField(
        max_length=200, help_text="The scheme's name now; earlier years may differ (see below)."
    )
    short_name = models.CharField(
        max_length=60, blank=True, help_text="A short form for tables, e.g. Rehab & Reablement."
    )
    pooled = models.BooleanField(
        "budgets pooled",
        default=True,
        help_text=f"Untick for a scheme whose budgets are not pooled (“{NOT_POOLED_LABEL}”).",
    )
    host = models.ForeignKey(
        Partner,
        verbose_name="host organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_schemes",
        help_text="The partner hosting the scheme; empty when budgets are not pooled.",
    )
    pooled_budget_manager = models.CharField(max_length=200, blank=True)
    aims = models.TextField(
        "original aims and anticipated outcomes",
        blank=True,
        help_text="From the scheme specification; each quarter's highlight report starts from it.",
    )
    first_year = FinancialYearField(help_text="The first financial year of the scheme.")
    last_year = FinancialYearField(
        blank=True, help_text="The last financial year of the scheme; blank while it continues."
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="led_schemes",
        blank=True,
        help_text="Scheme leads who write this scheme's highlight reports.",
    )
    history = HistoricalRecords()

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="scheme_number_unique_in_area"),
            models.CheckConstraint(
                condition=Q(pooled=True, host__isnull=False) | Q(pooled=False, host__isnull=True),
                name="pooled_scheme_has_host",
                violation_error_message="A pooled scheme needs a host organisation, and a scheme "
                "whose budgets are not pooled has none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        if self.host_id and self.area_id and self.host.area_id != self.area_id:
            raise ValidationError({"host": "The host must be a partner of the scheme's area."})
        if self.last_year and self.first_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": "The last year cannot be before the first."})

    @property
    def host_label(self) -> str:
        return self.host.name if self.host_id else NOT_POOLED_LABEL

    def name_in(self, year: FinancialYear) -> str:
        """The scheme's name in a financial year: the year's own name if it had one."""
        for year_name in self.year_names.all():
            if year_name.financial_year == year:
                return year_name.name
        return self.name

    def is_active_in(self, year: FinancialYear) -> bool:
        return self.first_year <= year and (not self.last_year or year <= self.last_year)


class SchemeYearName(models.Model):
    """A scheme's name in one financial year, where it differed from its name now."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="year_names")
    financial_year = FinancialYearField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["scheme", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "financial_year"], name="one_scheme_name_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.number}. {self.name} ({self.financial_year})"
