"""Every write to the pooled fund, budgets and forecasts. One transaction each; checks first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bettercare.events import figures_changed
from bettercare.models import Area, Partner, StagedImport
from bettercare.periods import FinancialYear
from bettercare.services import staged_import_mark_applied
from bettercare.tabular import PreviewOutdated

from .imports import (
    BUDGET,
    STAGED_KIND,
    FinanceRow,
    ImportPlan,
    finance_file_check,
    finance_import_plan,
)
from .models import (
    DEFAULT_SOURCE,
    STREAMS_BY_PARTNER_KIND,
    Budget,
    Contribution,
    Forecast,
    FundingSource,
    PooledFundYear,
)


@transaction.atomic
def finance_rows_import(*, rows: Sequence[FinanceRow], user=None, reason: str = "") -> ImportPlan:
    """Write checked rows: new budgets and forecasts are added, changed amounts replace the
    stored ones (the old amount stays in their history), unchanged ones are left alone. A
    forecast takes the note of its row (the file's optional last column); a row without a note
    leaves the forecast's note as it is, so a file without notes never wipes one written on the
    Finance pages."""
    plan = finance_import_plan(rows=rows)
    history = {"default_user": user, "default_change_reason": reason[:100] or None}

    new_budgets = [
        Budget(
            area=change.row.area,
            financial_year=change.row.financial_year,
            scheme=change.row.scheme,
            partner=change.row.partner,
            amount=change.row.amount,
            funding_source=DEFAULT_SOURCE[change.row.partner.kind],
        )
        for change in plan.new
        if change.row.kind == BUDGET
    ]
    new_forecasts = [
        Forecast(
            area=change.row.area,
            financial_year=change.row.month.financial_year,
            month=change.row.month,
            scheme=change.row.scheme,
            partner=change.row.partner,
            amount=change.row.amount,
            note=change.row.note,
        )
        for change in plan.new
        if change.row.kind != BUDGET
    ]
    changed: dict[type, list] = {Budget: [], Forecast: []}
    for change in plan.changed:
        if change.note_changes:
            change.existing.note = change.row.note
        change.existing.amount = change.row.amount
        changed[type(change.existing)].append(change.existing)

    if new_budgets:
        bulk_create_with_history(new_budgets, Budget, batch_size=500, **history)
    if new_forecasts:
        bulk_create_with_history(new_forecasts, Forecast, batch_size=500, **history)
    for model, objects in changed.items():
        if objects:
            fields = ["amount", "note"] if model is Forecast else ["amount"]
            bulk_update_with_history(objects, model, fields, batch_size=500, **history)
    if plan.new or plan.changed:
        figures_changed(
            area_ids=[change.row.area.pk for change in (*plan.new, *plan.changed)],
            source="finance",
        )
    return plan


@transaction.atomic
def finance_file_import(
    *, data: bytes, file_name: str, user=None, area: Area | None = None
) -> ImportPlan:
    """Check the whole file, then import it; a refused file (`FileRefused`) writes nothing."""
    rows = finance_file_check(data=data, file_name=file_name, area=area)
    return finance_rows_import(rows=rows, user=user, reason=f"Imported from {file_name}")


@transaction.atomic
def finance_staged_import_apply(
    *, staged: StagedImport, user, expected_fingerprint: str | None = None
) -> ImportPlan:
    """Apply an upload the analyst has previewed. It is checked again (schemes or partners may
    have changed since it was uploaded), and refused with `PreviewOutdated` when what it would
    change is no longer what the preview showed (`expected_fingerprint`)."""
    if staged.kind != STAGED_KIND or staged.applied is not None:
        raise ValidationError("This upload is not a finance file waiting to be applied.")
    rows = finance_file_check(
        data=bytes(staged.content), file_name=staged.file_name, area=staged.area
    )
    if (
        expected_fingerprint is not None
        and finance_import_plan(rows=rows).fingerprint != expected_fingerprint
    ):
        raise PreviewOutdated(
            f"The budgets and forecasts held changed after the preview of {staged.file_name} "
            "was shown. Check the new preview before importing it."
        )
    plan = finance_rows_import(rows=rows, user=user, reason=f"Imported from {staged.file_name}")
    staged_import_mark_applied(staged=staged)
    return plan


@transaction.atomic
def forecast_note_save(*, forecast: Forecast, note: str, user=None) -> Forecast:
    """The finance lead's note on a forecast; saving the same text again changes nothing."""
    note = note.strip()
    if forecast.note == note:
        return forecast
    forecast.note = note
    forecast._history_user = user
    forecast.full_clean()
    forecast.save(update_fields=["note"])
    return forecast


@transaction.atomic
def budget_funding_source_set(*, budget: Budget, source: FundingSource, user=None) -> Budget:
    if budget.funding_source == source:
        return budget
    budget.funding_source = FundingSource(source)
    budget._history_user = user
    budget.save(update_fields=["funding_source"])
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

    fund = PooledFundYear.objects.filter(area=area, financial_year=financial_year).first()
    if fund is None:
        fund = PooledFundYear(area=area, financial_year=financial_year)
    values = {
        "national_minimum": national_minimum,
        "illustrative": illustrative,
        "source": source,
    }
    if fund.pk is None or any(getattr(fund, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(fund, name, value)
        fund._history_user = user
        fund.full_clean()
        fund.save()

    stored = {(item.partner_id, item.stream): item for item in fund.contributions.all()}
    wanted = {(partner.pk, stream): amount for (partner, stream), amount in contributions.items()}
    for key, item in stored.items():
        if key not in wanted:
            item._history_user = user
            item.delete()
    for (partner_id, stream), amount in wanted.items():
        item = stored.get((partner_id, stream))
        if item is None:
            item = Contribution(fund=fund, partner_id=partner_id, stream=stream)
        elif item.amount == amount:
            continue
        item.amount = amount
        item._history_user = user
        item.full_clean()
        item.save()
    return fund
