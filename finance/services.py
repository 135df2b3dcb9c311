"""Every write to the pooled fund, budgets and forecasts. One transaction each; checks first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bettercare.changes import model_update
from bettercare.funding import OWN_CONTRIBUTION, FundingSource
from bettercare.models import Area, Partner, StagedImport
from bettercare.periods import FinancialYear
from bettercare.permissions import require
from bettercare.services import staged_import_mark_applied
from bettercare.tabular import PreviewOutdated

from . import permissions
from .imports import (
    BUDGET,
    STAGED_KIND,
    FinanceRow,
    ImportPlan,
    finance_file_check,
    finance_import_plan,
)
from .models import (
    STREAMS_BY_PARTNER_KIND,
    Budget,
    Contribution,
    Forecast,
    PooledFundYear,
)


@transaction.atomic
def finance_rows_import(*, rows: Sequence[FinanceRow], user=None, reason: str = "") -> ImportPlan:
    """Write checked rows: new budgets and forecasts are added, changed amounts replace the
    stored ones (the old amount stays in their history), unchanged ones are left alone. A
    forecast's note survives a new amount: notes are not part of the file."""
    plan = finance_import_plan(rows=rows)
    history = {"default_user": user, "default_change_reason": reason[:100] or None}

    new_budgets = [
        Budget(
            area=change.row.area,
            financial_year=change.row.financial_year,
            scheme=change.row.scheme,
            partner=change.row.partner,
            amount=change.row.amount,
            funding_source=OWN_CONTRIBUTION[change.row.partner.kind],
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
        )
        for change in plan.new
        if change.row.kind != BUDGET
    ]
    changed: dict[type, list] = {Budget: [], Forecast: []}
    for change in plan.changed:
        change.existing.amount = change.row.amount
        changed[type(change.existing)].append(change.existing)

    if new_budgets:
        bulk_create_with_history(new_budgets, Budget, batch_size=500, **history)
    if new_forecasts:
        bulk_create_with_history(new_forecasts, Forecast, batch_size=500, **history)
    for model, objects in changed.items():
        if objects:
            bulk_update_with_history(objects, model, ["amount"], batch_size=500, **history)
    return plan


@transaction.atomic
def finance_file_import(
    *, data: bytes, file_name: str, user=None, area: Area | None = None
) -> ImportPlan:
    """Check the whole file, then import it; a refused file (`FileRefused`) writes nothing.
    A person importing must be allowed to import into every area the rows name (the command
    line, given no user, may import into any)."""
    rows = finance_file_check(data=data, file_name=file_name, area=area)
    require(
        user is None
        or all(permissions.may_import_finance(user, named) for named in {row.area for row in rows}),
        "Your role does not include importing finance files for the areas of this file.",
    )
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
    require(
        permissions.may_import_finance(user, staged.area) and staged.created_by_id == user.pk,
        "Only the person who uploaded a file can apply it.",
    )
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
