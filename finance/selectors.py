"""Reads of the pooled fund, budgets and forecasts, shaped by `finance.variance`.

Each selector reads with a fixed number of queries, whatever the number of schemes or months,
and hands plain entries to the pure arithmetic, which computes every figure once. The position
page, its export, `manage.py finance_summary` and the board pack all call `finance_position`.
"""

from __future__ import annotations

from django.urls import reverse

from bettercare.funding import (
    OWN_CONTRIBUTION,
    SOURCE_LABELS,
    FundingLine,
    FundingSource,
    SchemeFunding,
)
from bettercare.models import Area, Partner, Scheme
from bettercare.periods import FinancialYear, Month, Quarter
from bettercare.selectors import Task

from . import permissions
from .models import (
    STREAM_SOURCE,
    Budget,
    Contribution,
    Forecast,
    FundingStream,
    PooledFundYear,
)
from .variance import (
    BudgetEntry,
    ContributionEntry,
    FinancePosition,
    ForecastEntry,
    PartnerInfo,
    PooledFund,
    SchemeFinance,
    SchemeInfo,
    SourceAgreement,
    build_pooled_fund,
    build_position,
    build_scheme_finance,
    source_agreement,
)

STREAM_LABELS = dict(FundingStream.choices)


def partner_infos(*, area: Area) -> list[PartnerInfo]:
    """The area's partners as boards order them: the NHS commissioner first, then the council."""
    return _partner_infos_by_area([area])[area.pk]


def _partner_infos_by_area(areas) -> dict[int, list[PartnerInfo]]:
    """`partner_infos` of several areas, in one query."""
    found: dict[int, list[PartnerInfo]] = {area.pk: [] for area in areas}
    for partner in Partner.objects.filter(area__in=list(areas)):
        found[partner.area_id].append(
            PartnerInfo(code=partner.code, name=partner.name, kind=partner.kind)
        )
    return {
        area_id: sorted(
            partners, key=lambda partner: (partner.kind != Partner.Kind.NHS, partner.code)
        )
        for area_id, partners in found.items()
    }


def _by_area(entries_of, rows, areas) -> dict[int, list]:
    """Rows of several areas (each with `area_id`) as each area's entries."""
    grouped: dict[int, list] = {area.pk: [] for area in areas}
    for row in rows:
        grouped[row.pop("area_id")].append(row)
    return {area_id: entries_of(found) for area_id, found in grouped.items()}


def _scheme_infos(schemes, year: FinancialYear) -> list[SchemeInfo]:
    return [SchemeInfo(number=scheme.number, name=scheme.name_in(year)) for scheme in schemes]


_BUDGET_FIELDS = ("scheme__number", "partner__code", "amount", "funding_source")
_FORECAST_FIELDS = ("scheme__number", "partner__code", "month", "amount", "note")


def _budget_rows_as_entries(rows) -> list[BudgetEntry]:
    return [
        BudgetEntry(
            scheme=row["scheme__number"],
            partner=row["partner__code"],
            amount=row["amount"],
            source=row["funding_source"],
        )
        for row in rows
    ]


def _forecast_rows_as_entries(rows) -> list[ForecastEntry]:
    return [
        ForecastEntry(
            scheme=row["scheme__number"],
            partner=row["partner__code"],
            month=row["month"],
            amount=row["amount"],
            note=row["note"],
        )
        for row in rows
    ]


def _budget_entries(budgets) -> list[BudgetEntry]:
    return _budget_rows_as_entries(budgets.values(*_BUDGET_FIELDS))


def _forecast_entries(forecasts) -> list[ForecastEntry]:
    return _forecast_rows_as_entries(forecasts.order_by().values(*_FORECAST_FIELDS))


def _year_forecasts(*, area: Area, month: Month):
    year = month.financial_year
    return Forecast.objects.filter(area=area, month__gte=year.months()[0], month__lte=month)


def finance_position(*, area: Area, month: Month) -> FinancePosition:
    """The pooled fund's position at `month`: each scheme's budget and latest forecast by
    partner, variances, totals, movement since last month, and the schemes driving it.
    Five queries."""
    return finance_positions(areas=[area], month=month)[area.pk]


def finance_positions(*, areas, month: Month) -> dict[int, FinancePosition]:
    """`finance_position` of each of several areas at `month`, by area id (the system view):
    the same five queries however many areas."""
    areas = list(areas)
    year = month.financial_year
    budgets = _by_area(
        _budget_rows_as_entries,
        Budget.objects.filter(area__in=areas, financial_year=year).values(
            "area_id", *_BUDGET_FIELDS
        ),
        areas,
    )
    forecasts = _by_area(
        _forecast_rows_as_entries,
        Forecast.objects.filter(
            area__in=areas, month__gte=year.months()[0], month__lte=month
        )
        .order_by()
        .values("area_id", *_FORECAST_FIELDS),
        areas,
    )
    schemes_by_area: dict[int, list[Scheme]] = {area.pk: [] for area in areas}
    for scheme in Scheme.objects.filter(area__in=areas).prefetch_related("year_names"):
        numbers = {entry.scheme for entry in budgets[scheme.area_id]} | {
            entry.scheme for entry in forecasts[scheme.area_id]
        }
        if scheme.number in numbers:
            schemes_by_area[scheme.area_id].append(scheme)
    partners = _partner_infos_by_area(areas)
    return {
        area.pk: build_position(
            area_code=area.code,
            area_name=area.name,
            month=month,
            partners=partners[area.pk],
            schemes=_scheme_infos(schemes_by_area[area.pk], year),
            budgets=budgets[area.pk],
            forecasts=forecasts[area.pk],
            source_labels=SOURCE_LABELS,
        )
        for area in areas
    }


def scheme_finance(*, scheme: Scheme, month: Month) -> SchemeFinance:
    """The scheme's annual budget and latest forecast by partner at `month`, and the variance:
    the figures its highlight report gives as `Annual value`, `Projected year end spend` and
    `Variance` (see `finance.wording.scheme_finance_words`)."""
    year = month.financial_year
    budgets = _budget_entries(Budget.objects.filter(scheme=scheme, financial_year=year))
    forecasts = _forecast_entries(
        _year_forecasts(area=scheme.area, month=month).filter(scheme=scheme)
    )
    return build_scheme_finance(
        scheme=SchemeInfo(number=scheme.number, name=scheme.name_in(year)),
        month=month,
        partners=partner_infos(area=scheme.area),
        budgets=budgets,
        forecasts=forecasts,
        source_labels=SOURCE_LABELS,
    )


def scheme_finance_for_quarter(*, scheme: Scheme, quarter: Quarter) -> SchemeFinance | None:
    """The scheme's finance position for a quarter's highlight report, at the month the
    quarter's board packs report: the quarter's data month (Month 5 for Q2: see
    `Quarter.data_month`) or, when its forecasts are not in yet, the latest month of the year
    before it that has forecasts, as the pack takes its position (Q4's data month is Month 11,
    so a Q4 report is compared with the pack's figures, not a later outturn). None when the
    scheme has no budget that year."""
    months = [
        month
        for month in forecast_months(area=scheme.area)
        if month.financial_year == quarter.year and month <= quarter.data_month
    ]
    finance = scheme_finance(scheme=scheme, month=max(months, default=quarter.data_month))
    return finance if finance.has_data else None


def scheme_funding_for_quarter(*, scheme: Scheme, quarter: Quarter) -> SchemeFunding | None:
    """The funding lines a scheme's highlight report for `quarter` starts with: each partner's
    budget as its annual value and its latest forecast as the projected year end spend, as at
    `scheme_finance_for_quarter`'s month. A line with no forecast yet keeps its projected spend
    empty rather than assuming the budget. None when the scheme has no budget that year."""
    finance = scheme_finance_for_quarter(scheme=scheme, quarter=quarter)
    if finance is None or not finance.partners:
        return None
    return SchemeFunding(
        month=finance.month,
        lines=tuple(
            FundingLine(
                partner=line.partner.code,
                source=FundingSource(line.source or OWN_CONTRIBUTION[line.partner.kind]),
                annual_value=line.budget,
                projected_spend=line.forecast if line.forecast_month is not None else None,
            )
            for line in finance.partners
        ),
    )


def pooled_fund(*, area: Area, year: FinancialYear) -> PooledFund:
    """The area's pooled fund for the year: contributions by partner and stream, the total, the
    national minimum and how far the pool exceeds it, and the scheme budgets set against it."""
    return pooled_funds(areas=[area], year=year)[area.pk]


def pooled_funds(*, areas, year: FinancialYear) -> dict[int, PooledFund]:
    """`pooled_fund` of each of several areas, by area id: four queries however many."""
    areas = list(areas)
    funds = {
        fund.area_id: fund
        for fund in PooledFundYear.objects.filter(area__in=areas, financial_year=year)
    }
    partners = _partner_infos_by_area(areas)
    contributions: dict[int, list[ContributionEntry]] = {area.pk: [] for area in areas}
    rows = Contribution.objects.filter(fund__in=list(funds.values())).values(
        "fund__area_id", "partner__code", "stream", "amount"
    )
    for row in rows:
        area_id = row["fund__area_id"]
        by_code = {partner.code: partner for partner in partners[area_id]}
        contributions[area_id].append(
            ContributionEntry(
                partner=by_code[row["partner__code"]],
                stream=row["stream"],
                stream_label=STREAM_LABELS.get(row["stream"], row["stream"]),
                amount=row["amount"],
            )
        )
    budgets = _by_area(
        _budget_rows_as_entries,
        Budget.objects.filter(area__in=areas, financial_year=year).values(
            "area_id", *_BUDGET_FIELDS
        ),
        areas,
    )
    result = {}
    for area in areas:
        fund = funds.get(area.pk)
        result[area.pk] = build_pooled_fund(
            area_code=area.code,
            area_name=area.name,
            financial_year=year,
            national_minimum=fund.national_minimum if fund else None,
            illustrative=fund.illustrative if fund else False,
            source=fund.source if fund else "",
            partners=partners[area.pk],
            contributions=contributions[area.pk],
            budgets=budgets[area.pk],
            stream_labels=STREAM_LABELS,
        )
    return result


def forecast_months(*, area: Area) -> list[Month]:
    """Every month the area has forecasts for, latest first."""
    # order_by() clears the model's ordering, which DISTINCT would otherwise include.
    months = (
        Forecast.objects.filter(area=area).order_by().values_list("month", flat=True).distinct()
    )
    return sorted(set(months), reverse=True)


def finance_years(*, area: Area) -> list[FinancialYear]:
    """Every year with a pooled fund or budgets recorded, latest first."""
    years = set(PooledFundYear.objects.filter(area=area).values_list("financial_year", flat=True))
    years |= set(
        Budget.objects.filter(area=area)
        .order_by()
        .values_list("financial_year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


def reporting_month(*, area: Area, quarter: Quarter, months: list[Month]) -> Month | None:
    """The month a page opens at: the quarter's data month (Month 5 for Q2, as board packs
    report it, the last month of the quarter being still open) or, if its forecasts are not
    in yet, the latest month before it that has forecasts; else the latest month there is."""
    data_month = quarter.data_month
    earlier = [month for month in months if month <= data_month]
    if earlier:
        return max(earlier)
    return max(months) if months else None


def illustrative_years(*, area: Area) -> set[FinancialYear]:
    return set(
        PooledFundYear.objects.filter(area=area, illustrative=True).values_list(
            "financial_year", flat=True
        )
    )


def forecast_for_note(*, area: Area, scheme: Scheme, partner_code: str, month: Month):
    return (
        Forecast.objects.filter(area=area, scheme=scheme, partner__code=partner_code, month=month)
        .select_related("partner")
        .first()
    )


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """For those who import finance: whether this quarter's forecasts are in, with a link."""
    if not permissions.may_import_finance(user, area):
        return []
    latest = (
        Forecast.objects.filter(area=area, month__in=quarter.months())
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest is None:
        return [
            Task(
                title=f"Import the finance forecasts for {quarter.short_label}",
                detail="No forecast outturn has been imported for a month of this quarter yet.",
                url=reverse("finance:import"),
            )
        ]
    return [
        Task(
            title=f"Finance position at Month {latest.number} ({latest.label})",
            detail="The latest forecasts imported for this quarter.",
            url=f"{reverse('finance:position')}?month={latest}",
            status="done",
        )
    ]


def funding_source_agreement(
    *, area: Area, year: FinancialYear, position: FinancePosition | None = None
) -> tuple[SourceAgreement, ...]:
    """The year's scheme budgets by funding source against the pool's contributions to each
    source; empty when no pooled fund is recorded for the year. With the year's `position`
    its budgets by source are used (one query), else they are read (two)."""
    contributions = [
        (STREAM_SOURCE[FundingStream(row["stream"])], row["amount"])
        for row in Contribution.objects.filter(
            fund__area=area, fund__financial_year=year
        ).values("stream", "amount")
    ]
    if not contributions:
        return ()
    if position is not None:
        budgets = [(source.source, source.budget) for source in position.sources]
    else:
        entries = _budget_entries(Budget.objects.filter(area=area, financial_year=year))
        budgets = [(entry.source, entry.amount) for entry in entries]
    return source_agreement(
        budgets=budgets, contributions=contributions, source_labels=SOURCE_LABELS
    )
