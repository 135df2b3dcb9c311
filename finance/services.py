"""Every write to the pooled fund, budgets and forecasts. One transaction each; checks first."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from bettercare.changes import model_update
from bettercare.funding import FundingSource
from bettercare.models import Area, Partner
from bettercare.periods import FinancialYear
from bettercare.permissions import require

from . import permissions
from .imports import FINANCE_FILE, FinancePlan
from .models import (
    STREAMS_BY_PARTNER_KIND,
    Budget,
    Contribution,
    Forecast,
    PooledFundYear,
)


def finance_file_import(
    *, data: bytes, file_name: str, user=None, area: Area | None = None
) -> FinancePlan:
    """Check the whole file, then import it (the finance file as `finance.imports.FinanceFile`
    declares it, through `bettercare.imports`); a refused file (`FileRefused`) writes nothing.
    With `area`, every row must be for it. A person importing must be allowed to import into
    every area the rows name (the command line, given no user, may import into any)."""
    return FINANCE_FILE.apply(content=data, file_name=file_name, user=user, only_area=area)


@transaction.atomic
def forecast_note_save(*, forecast: Forecast, note: str, user=None) -> Forecast:
    """The finance lead's note on a forecast; saving the same text again changes nothing."""
    require(
        user is None or permissions.may_write_forecast_notes(user, forecast.scheme),
        "Only analysts can write the finance lead's notes.",
    )
    forecast, _ = model_update(instance=forecast, data={"note": note.strip()}, user=user)
    return forecast


@transaction.atomic
def budget_funding_source_set(*, budget: Budget, source: FundingSource, user=None) -> Budget:
    require(
        user is None or permissions.may_set_funding_sources(user, budget.area),
        "Only administrators can say which source a budget is paid from.",
    )
    budget, _ = model_update(
        instance=budget, data={"funding_source": FundingSource(source)}, user=user
    )
    return budget


@transaction.atomic
def pooled_fund_save(
    *,
    area: Area,
    financial_year: FinancialYear,
    national_minimum: Decimal,
    contributions: Mapping[tuple[Partner, str], Decimal],
    illustrative: bool = False,
    source: str = "",
    user=None,
) -> PooledFundYear:
    """Record the area's pooled fund for the year: the national minimum and each partner's
    contribution by stream (`{(partner, stream): amount}`). Streams not given are removed, so
    the fund is exactly what was entered; unchanged records are not rewritten."""
    require(
        user is None or permissions.may_edit_pooled_fund(user, area),
        "Only analysts and administrators can edit the pooled fund.",
    )
    for (partner, stream), amount in contributions.items():
        if partner.area_id != area.pk:
            raise ValidationError(f"{partner.code} is not a partner of {area.name}.")
        if stream not in STREAMS_BY_PARTNER_KIND[partner.kind]:
            raise ValidationError(
                f"{partner.code} ({partner.get_kind_display()}) does not contribute through "
                f"the stream “{stream}”."
            )
        if amount < 0:
            raise ValidationError("Contributions cannot be negative.")

    fund = PooledFundYear.objects.filter(
        area=area, financial_year=financial_year
    ).first() or PooledFundYear(area=area, financial_year=financial_year)
    fund, _ = model_update(
        instance=fund,
        data={"national_minimum": national_minimum, "illustrative": illustrative, "source": source},
        user=user,
    )

    stored = {(item.partner_id, item.stream): item for item in fund.contributions.all()}
    wanted = {(partner.pk, stream): amount for (partner, stream), amount in contributions.items()}
    for key, item in stored.items():
        if key not in wanted:
            item._history_user = user
            item.delete()
    for (partner_id, stream), amount in wanted.items():
        item = stored.get((partner_id, stream)) or Contribution(
            fund=fund, partner_id=partner_id, stream=stream
        )
        model_update(instance=item, data={"amount": amount}, user=user)
    return fund
