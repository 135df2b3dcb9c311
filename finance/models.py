"""The pooled fund, scheme budgets by partner and the monthly forecast outturn.

Money is exact pounds and pence (`DecimalField`, two places). Every derived figure (variance,
percentages, totals) is computed in `finance.variance`, never stored.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bettercare.fields import FinancialYearField, MonthField
from bettercare.funding import FUNDING_SOURCE_CHOICES, FundingSource
from bettercare.models import Area, Partner, Scheme

MONEY = {"max_digits": 15, "decimal_places": 2}


class FundingStream(models.TextChoices):
    """How a partner puts money into the pool (the lines of a Better Care plan's finance table)."""

    NHS_MINIMUM = "nhs_minimum", "NHS minimum contribution"
    NHS_ADDITIONAL = "nhs_additional", "NHS additional contribution"
    COUNCIL = "council", "Council contribution"
    IBCF = "ibcf", "Improved Better Care Fund (iBCF)"
    DFG = "dfg", "Disabled Facilities Grant (capital)"
    OTHER_GRANT = "other_grant", "Other grants"


# Which funding source each stream pays for: what the budgets paid from each source should add
# up to (finance.variance.source_agreement).
STREAM_SOURCE = {
    FundingStream.NHS_MINIMUM: FundingSource.NHS,
    FundingStream.NHS_ADDITIONAL: FundingSource.NHS,
    FundingStream.COUNCIL: FundingSource.COUNCIL,
    FundingStream.IBCF: FundingSource.IBCF,
    FundingStream.DFG: FundingSource.DFG,
    FundingStream.OTHER_GRANT: FundingSource.OTHER_GRANT,
}

# Which streams each kind of partner can contribute: the NHS money comes from the NHS
# commissioner; the iBCF and the DFG are government grants paid to the council.
STREAMS_BY_PARTNER_KIND = {
    Partner.Kind.NHS: [
        FundingStream.NHS_MINIMUM,
        FundingStream.NHS_ADDITIONAL,
        FundingStream.OTHER_GRANT,
    ],
    Partner.Kind.COUNCIL: [
        FundingStream.COUNCIL,
        FundingStream.IBCF,
        FundingStream.DFG,
        FundingStream.OTHER_GRANT,
    ],
}


class PooledFundYear(models.Model):
    """An area's pooled fund in one financial year: the national minimum it must reach and
    whether its figures are real or illustrative. Contributions hang off it."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="pooled_funds")
    financial_year = FinancialYearField()
    national_minimum = models.DecimalField(
        "national minimum",
        **MONEY,
        validators=[MinValueValidator(0)],
        help_text="The minimum the area must pool this year, set nationally (e.g. £16,484,000).",
    )
    illustrative = models.BooleanField(
        "illustrative figures",
        default=False,
        help_text="Tick when this year's figures (pool, budgets, forecasts) are invented for "
        "demonstration or planning rather than taken from the partners' accounts.",
    )
    source = models.TextField(
        "where the figures come from",
        blank=True,
        help_text="The document or system the figures come from, as the finance lead says it.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pooled fund"
        ordering = ["area", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "financial_year"], name="one_pooled_fund_per_area_year"
            ),
            models.CheckConstraint(
                condition=Q(national_minimum__gte=0), name="national_minimum_not_negative"
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.area.name} pooled fund {self.financial_year.label}"
        return f"{label} (illustrative)" if self.illustrative else label


class Contribution(models.Model):
    """One partner's contribution to the pool through one funding stream."""

    fund = models.ForeignKey(PooledFundYear, on_delete=models.CASCADE, related_name="contributions")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    stream = models.CharField("funding stream", max_length=20, choices=FundingStream.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["fund", "partner", "stream"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "partner", "stream"], name="one_contribution_per_stream"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.get_stream_display()}: £{self.amount:,}"


class Budget(models.Model):
    """A scheme's annual budget from one partner in one financial year."""

    # The area repeats the scheme's so a year's budgets are read with one indexed filter.
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    financial_year = FinancialYearField()
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="budgets")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    funding_source = models.CharField(
        "paid from",
        max_length=20,
        choices=FUNDING_SOURCE_CHOICES,
        help_text="The funding source this budget is paid from; set when it is an iBCF, DFG or "
        "other grant rather than the partner's own contribution.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year", "scheme__number", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "partner", "financial_year"], name="one_budget_per_scheme_partner"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]
        indexes = [models.Index(fields=["area", "financial_year"], name="budget_area_year")]

    def __str__(self) -> str:
        return f"{self.financial_year} scheme {self.scheme.number} {self.partner.code} budget"


class Forecast(models.Model):
    """A scheme's forecast outturn for the year from one partner, as made in one month; the
    Month 12 forecast is the year's actual outturn."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    # The year repeats the month's, so a year's records are found alike for budgets and forecasts.
    financial_year = FinancialYearField()
    month = MonthField(help_text="The month the forecast was made in, e.g. 2018-08 (Month 5).")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="forecasts")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("forecast outturn", **MONEY, validators=[MinValueValidator(0)])
    note = models.TextField(
        "finance lead's note",
        blank=True,
        help_text="Why the forecast differs from the budget, and what is being done about it.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "month", "scheme__number", "partner__code"]
        permissions = [("import_finance", "Can import finance files of budgets and forecasts")]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "partner", "month"], name="one_forecast_per_scheme_partner_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="forecast_not_negative"),
        ]
        indexes = [models.Index(fields=["area", "month"], name="forecast_area_month")]

    def __str__(self) -> str:
        return f"{self.month} scheme {self.scheme.number} {self.partner.code} forecast"

    def clean(self) -> None:
        if self.month and self.financial_year and self.month.financial_year != self.financial_year:
            raise ValidationError({"month": f"{self.month} is not in {self.financial_year.label}."})
