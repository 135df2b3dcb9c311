"""The finance arithmetic of the pooled fund, in one place.

Pure Python with no Django import: the selectors fetch rows and hand them here as plain entries;
everything derived from them is computed below, once, and every page, export, command and board
pack shows these figures.

- variance = forecast - budget (an overspend is positive), and % of budget (unrounded);
- per scheme, per partner, per funding source and in total;
- movement since last month (the change in the variance);
- the variance month by month, for the chart;
- the schemes whose variances explain the position, largest first;
- the pooled fund's contributions by partner and stream against the national minimum.

A scheme's line for a partner takes the latest forecast made on or before the month asked for.
A line with no forecast yet in the year is assumed to spend its budget (no variance), and says
so (`forecast_month` is None), so a missing return never shows as a huge underspend.

Amounts are `Decimal` pounds throughout; rounding happens only when they are shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bettercare.money import percent_of
from bettercare.periods import FinancialYear, Month

ZERO = Decimal("0.00")
# The schemes named as driving the position are the largest variances that together make up
# at least this share of all the schemes' variances (over- and underspends alike).
DRIVER_SHARE = Decimal("0.8")


# --- Inputs: what the database holds, as plain values -----------------------------------------


@dataclass(frozen=True)
class PartnerInfo:
    code: str
    name: str
    kind: str  # "nhs" or "council"


@dataclass(frozen=True)
class SchemeInfo:
    number: int
    name: str


@dataclass(frozen=True)
class BudgetEntry:
    scheme: int  # the scheme's number
    partner: str  # the partner's code
    amount: Decimal
    source: str = ""  # the funding source the budget is paid from


@dataclass(frozen=True)
class ForecastEntry:
    scheme: int
    partner: str
    month: Month  # the month the forecast was made in
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class ContributionEntry:
    partner: PartnerInfo
    stream: str
    stream_label: str
    amount: Decimal


# --- Outputs ------------------------------------------------------------------------------------


def _number(amount: Decimal | None) -> float | None:
    """A Decimal as a JSON number. Amounts are whole pence below 10^13 and a float's shortest
    text (what json writes) reads back as the same decimal; percentages keep 16 or more digits."""
    return None if amount is None else float(amount)


@dataclass(frozen=True, kw_only=True)
class Figures:
    """A budget and its forecast outturn; `movement` is how the variance changed since the
    previous month (None at Month 1)."""

    budget: Decimal
    forecast: Decimal
    movement: Decimal | None = None

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.budget

    @property
    def variance_pct(self) -> Decimal | None:
        """Variance as a percentage of budget, unrounded; None when there is no budget."""
        return percent_of(self.variance, self.budget)

    def figures_dict(self) -> dict:
        return {
            "budget": _number(self.budget),
            "forecast": _number(self.forecast),
            "variance": _number(self.variance),
            "variance_pct": _number(self.variance_pct),
        }


@dataclass(frozen=True, kw_only=True)
class PartnerFigures(Figures):
    """A partner's share: of one scheme (with the forecast's month and the finance lead's note)
    or of the whole position."""

    partner: PartnerInfo
    source: str = ""
    forecast_month: Month | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return {"partner": self.partner.code, **self.figures_dict()}


@dataclass(frozen=True, kw_only=True)
class SourceFigures(Figures):
    source: str
    label: str


@dataclass(frozen=True, kw_only=True)
class SchemeFigures(Figures):
    number: int
    name: str
    partners: tuple[PartnerFigures, ...]

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "name": self.name,
            **self.figures_dict(),
            "partners": [partner.as_dict() for partner in self.partners],
        }


@dataclass(frozen=True)
class MonthVariance:
    """The forecast variance as it stood at one month: by partner (in partner order) and total."""

    month: Month
    by_partner: tuple[tuple[PartnerInfo, Decimal], ...]
    total: Decimal


@dataclass(frozen=True, kw_only=True)
class FinancePosition:
    """The pooled fund's forecast outturn against budget as at a month."""

    area_code: str
    area_name: str
    month: Month
    total: Figures
    partners: tuple[PartnerFigures, ...]
    schemes: tuple[SchemeFigures, ...]
    sources: tuple[SourceFigures, ...]
    monthly: tuple[MonthVariance, ...]
    drivers: tuple[SchemeFigures, ...]

    @property
    def financial_year(self) -> FinancialYear:
        return self.month.financial_year

    @property
    def is_outturn(self) -> bool:
        """At Month 12 the forecast is the year's actual outturn."""
        return self.month.number == 12

    @property
    def has_data(self) -> bool:
        return bool(self.schemes)

    @property
    def lines_without_current_forecast(self) -> list[tuple[SchemeFigures, PartnerFigures]]:
        """Lines whose figure is not a forecast made this month: carried forward from an
        earlier month, or the budget where no forecast has been made yet."""
        return [
            (scheme, line)
            for scheme in self.schemes
            for line in scheme.partners
            if line.forecast_month != self.month
        ]

    def scheme(self, number: int) -> SchemeFigures | None:
        return next((scheme for scheme in self.schemes if scheme.number == number), None)

    def as_dict(self) -> dict:
        """Exactly what `manage.py finance_summary --format json` prints."""
        return {
            "area": self.area_code,
            "financial_year": str(self.financial_year),
            "month": str(self.month),
            "month_number": self.month.number,
            "total": self.total.figures_dict(),
            "partners": [partner.as_dict() for partner in self.partners],
            "schemes": [scheme.as_dict() for scheme in self.schemes],
        }


# --- Building a position ------------------------------------------------------------------------


def _sum(items: Iterable[Figures]) -> tuple[Decimal, Decimal]:
    budget = forecast = ZERO
    for item in items:
        budget += item.budget
        forecast += item.forecast
    return budget, forecast


def _movement(now: Decimal, before: Decimal | None) -> Decimal | None:
    return None if before is None else now - before


def explaining_schemes(
    schemes: Sequence[SchemeFigures], share: Decimal = DRIVER_SHARE
) -> tuple[SchemeFigures, ...]:
    """The schemes whose variances explain the position, largest first: the fewest schemes whose
    variances, over- and underspends alike, make up `share` of all the schemes' variances."""
    material = sorted(
        (scheme for scheme in schemes if scheme.variance != 0),
        key=lambda scheme: (-abs(scheme.variance), scheme.number),
    )
    gross = sum((abs(scheme.variance) for scheme in material), ZERO)
    chosen: list[SchemeFigures] = []
    covered = ZERO
    for scheme in material:
        if covered >= gross * share:
            break
        chosen.append(scheme)
        covered += abs(scheme.variance)
    return tuple(chosen)


def build_position(
    *,
    area_code: str,
    area_name: str,
    month: Month,
    partners: Sequence[PartnerInfo],
    schemes: Sequence[SchemeInfo],
    budgets: Iterable[BudgetEntry],
    forecasts: Iterable[ForecastEntry],
    source_labels: Mapping[str, str] | None = None,
) -> FinancePosition:
    """The position at `month` from the year's budgets and the forecasts made up to `month`
    (budgets of other years and later forecasts are ignored). Partners and funding sources
    appear in the order given; schemes by number."""
    year = month.financial_year
    months = month.year_to_date()
    previous = month.previous() if month.number > 1 else None
    partner_by_code = {partner.code: partner for partner in partners}
    scheme_names = {scheme.number: scheme.name for scheme in schemes}
    source_labels = source_labels or {}

    budget_by_line: dict[tuple[int, str], BudgetEntry] = {}
    for entry in budgets:
        budget_by_line[(entry.scheme, entry.partner)] = entry
    forecasts_by_line: dict[tuple[int, str], list[ForecastEntry]] = defaultdict(list)
    forecast_months: set[Month] = set()
    for entry in forecasts:
        if entry.month.financial_year == year and entry.month <= month:
            forecasts_by_line[(entry.scheme, entry.partner)].append(entry)
            forecast_months.add(entry.month)
    for entries in forecasts_by_line.values():
        entries.sort(key=lambda entry: entry.month)

    def partner_of(code: str) -> PartnerInfo:
        return partner_by_code.get(code) or PartnerInfo(code=code, name=code, kind="")

    partner_order = {partner.code: index for index, partner in enumerate(partners)}
    lines = sorted(
        set(budget_by_line) | set(forecasts_by_line),
        key=lambda line: (line[0], partner_order.get(line[1], len(partner_order)), line[1]),
    )

    # Each line's forecast at every month of the year so far, in one pass over its forecasts.
    series: dict[tuple[int, str], list[tuple[Decimal, ForecastEntry | None]]] = {}
    for line in lines:
        budget = budget_by_line[line].amount if line in budget_by_line else ZERO
        entries = forecasts_by_line.get(line, [])
        current: ForecastEntry | None = None
        index = 0
        values = []
        for at in months:
            while index < len(entries) and entries[index].month <= at:
                current = entries[index]
                index += 1
            values.append((current.amount if current else budget, current))
        series[line] = values

    line_figures: dict[tuple[int, str], PartnerFigures] = {}
    for line in lines:
        budget_entry = budget_by_line.get(line)
        budget = budget_entry.amount if budget_entry else ZERO
        forecast, entry = series[line][-1]
        line_figures[line] = PartnerFigures(
            partner=partner_of(line[1]),
            budget=budget,
            forecast=forecast,
            movement=_movement(
                forecast - budget, series[line][-2][0] - budget if previous else None
            ),
            source=budget_entry.source if budget_entry else "",
            forecast_month=entry.month if entry else None,
            note=entry.note if entry else "",
        )

    def grouped(key) -> dict:
        groups: dict = {}
        for line in lines:
            groups.setdefault(key(line), []).append(line_figures[line])
        return groups

    def movement_of(group: Sequence[PartnerFigures]) -> Decimal | None:
        if previous is None:
            return None
        return sum((figure.movement for figure in group), ZERO)

    scheme_figures = []
    for number, group in sorted(grouped(lambda line: line[0]).items()):
        budget, forecast = _sum(group)
        scheme_figures.append(
            SchemeFigures(
                number=number,
                name=scheme_names.get(number, f"Scheme {number}"),
                budget=budget,
                forecast=forecast,
                movement=movement_of(group),
                partners=tuple(group),
            )
        )

    by_partner = grouped(lambda line: line[1])
    partner_figures = []
    for code in sorted(by_partner, key=lambda code: (partner_order.get(code, len(partners)), code)):
        budget, forecast = _sum(by_partner[code])
        partner_figures.append(
            PartnerFigures(
                partner=partner_of(code),
                budget=budget,
                forecast=forecast,
                movement=movement_of(by_partner[code]),
            )
        )

    source_order = {source: index for index, source in enumerate(source_labels)}
    by_source = grouped(lambda line: line_figures[line].source)
    source_figures = []
    for source in sorted(
        by_source, key=lambda key: (source_order.get(key, len(source_order)), key)
    ):
        budget, forecast = _sum(by_source[source])
        source_figures.append(
            SourceFigures(
                source=source,
                label=source_labels.get(source, source or "Not stated"),
                budget=budget,
                forecast=forecast,
                movement=movement_of(by_source[source]),
            )
        )

    budget, forecast = _sum(line_figures.values())
    all_lines = list(line_figures.values())
    total = Figures(budget=budget, forecast=forecast, movement=movement_of(all_lines))

    monthly = []
    for index, at in enumerate(months):
        if at not in forecast_months:
            continue
        per_partner: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            per_partner[line[1]] += series[line][index][0] - line_figures[line].budget
        monthly.append(
            MonthVariance(
                month=at,
                by_partner=tuple(
                    (figure.partner, per_partner[figure.partner.code]) for figure in partner_figures
                ),
                total=sum(per_partner.values(), ZERO),
            )
        )

    return FinancePosition(
        area_code=area_code,
        area_name=area_name,
        month=month,
        total=total,
        partners=tuple(partner_figures),
        schemes=tuple(scheme_figures),
        sources=tuple(source_figures),
        monthly=tuple(monthly),
        drivers=explaining_schemes(scheme_figures),
    )


# --- One scheme ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SchemeMonth:
    """A scheme's figures as they stood at one month: each partner's line and the total."""

    month: Month
    partners: tuple[PartnerFigures, ...]
    total: Figures


@dataclass(frozen=True, kw_only=True)
class SchemeFinance:
    """A scheme's annual budget and latest forecast by partner, as at a month: what its
    highlight report states as `Annual value`, `Projected year end spend` and `Variance`."""

    number: int
    name: str
    month: Month
    total: Figures
    partners: tuple[PartnerFigures, ...]
    # The scheme's position at each month of the year up to `month` that has forecasts.
    history: tuple[SchemeMonth, ...]

    @property
    def financial_year(self) -> FinancialYear:
        return self.month.financial_year

    @property
    def is_outturn(self) -> bool:
        return self.month.number == 12

    @property
    def has_data(self) -> bool:
        return bool(self.partners)

    def monthly_variance(self) -> tuple[MonthVariance, ...]:
        """The scheme's variance at each month with forecasts, by partner, for the chart."""
        return tuple(
            MonthVariance(
                month=point.month,
                by_partner=tuple((line.partner, line.variance) for line in point.partners),
                total=point.total.variance,
            )
            for point in self.history
        )

    def budget_shares(self) -> list[tuple[PartnerFigures, Decimal | None]]:
        """Each partner's budget as a percentage of the scheme's (unrounded)."""
        return [(line, percent_of(line.budget, self.total.budget)) for line in self.partners]


def build_scheme_finance(
    *,
    scheme: SchemeInfo,
    month: Month,
    partners: Sequence[PartnerInfo],
    budgets: Iterable[BudgetEntry],
    forecasts: Iterable[ForecastEntry],
    source_labels: Mapping[str, str] | None = None,
) -> SchemeFinance:
    """The scheme's finance at `month`, computed exactly as the area's position computes it."""
    budgets = [entry for entry in budgets if entry.scheme == scheme.number]
    forecasts = [entry for entry in forecasts if entry.scheme == scheme.number]

    def at(when: Month) -> FinancePosition:
        return build_position(
            area_code="",
            area_name="",
            month=when,
            partners=partners,
            schemes=[scheme],
            budgets=budgets,
            forecasts=forecasts,
            source_labels=source_labels,
        )

    position = at(month)
    figures = position.scheme(scheme.number)
    forecast_months = sorted({entry.month for entry in forecasts})
    history = []
    for when in month.year_to_date():
        if when in forecast_months:
            earlier = at(when).scheme(scheme.number)
            history.append(
                SchemeMonth(
                    month=when,
                    partners=earlier.partners,
                    total=Figures(
                        budget=earlier.budget, forecast=earlier.forecast, movement=earlier.movement
                    ),
                )
            )
    if figures is None:
        return SchemeFinance(
            number=scheme.number,
            name=scheme.name,
            month=month,
            total=Figures(budget=ZERO, forecast=ZERO),
            partners=(),
            history=(),
        )
    return SchemeFinance(
        number=scheme.number,
        name=scheme.name,
        month=month,
        total=Figures(budget=figures.budget, forecast=figures.forecast, movement=figures.movement),
        partners=figures.partners,
        history=tuple(history),
    )


# --- The pooled fund ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PartnerContribution:
    partner: PartnerInfo
    contributed: Decimal
    budgeted: Decimal  # the partner's scheme budgets for the year
    share_pct: Decimal | None  # of the whole pool, unrounded

    @property
    def unallocated(self) -> Decimal:
        """Contributed but not (yet) in any scheme budget; negative when budgets exceed it."""
        return self.contributed - self.budgeted


@dataclass(frozen=True, kw_only=True)
class StreamContribution:
    stream: str
    label: str
    amount: Decimal
    share_pct: Decimal | None


@dataclass(frozen=True, kw_only=True)
class PooledFund:
    """An area's pooled fund for a financial year: who puts in what, against the national
    minimum the fund must reach."""

    area_code: str
    area_name: str
    financial_year: FinancialYear
    national_minimum: Decimal | None  # None: no pooled fund recorded for the year
    illustrative: bool
    source: str
    contributions: tuple[ContributionEntry, ...]
    by_partner: tuple[PartnerContribution, ...]
    by_stream: tuple[StreamContribution, ...]
    total: Decimal
    budgeted: Decimal

    @property
    def recorded(self) -> bool:
        return self.national_minimum is not None

    @property
    def above_minimum(self) -> Decimal | None:
        """How far the pool exceeds the national minimum (negative when short of it)."""
        return None if self.national_minimum is None else self.total - self.national_minimum

    @property
    def times_minimum(self) -> Decimal | None:
        if not self.national_minimum:
            return None
        return self.total / self.national_minimum

    @property
    def minimum_contribution(self) -> Decimal:
        """The NHS minimum contribution streams together."""
        return sum(
            (entry.amount for entry in self.contributions if entry.stream == "nhs_minimum"), ZERO
        )

    @property
    def meets_minimum(self) -> bool | None:
        """The NHS minimum contribution must be at least the national minimum."""
        if self.national_minimum is None:
            return None
        return self.minimum_contribution >= self.national_minimum

    @property
    def unallocated(self) -> Decimal:
        return self.total - self.budgeted


def build_pooled_fund(
    *,
    area_code: str,
    area_name: str,
    financial_year: FinancialYear,
    national_minimum: Decimal | None,
    illustrative: bool = False,
    source: str = "",
    partners: Sequence[PartnerInfo],
    contributions: Iterable[ContributionEntry],
    budgets: Iterable[BudgetEntry],
    stream_labels: Mapping[str, str],
) -> PooledFund:
    """Totals by partner and by stream (streams in the order of `stream_labels`), with each
    partner's scheme budgets beside what it contributes."""
    stream_order = {stream: index for index, stream in enumerate(stream_labels)}
    partner_order = {partner.code: index for index, partner in enumerate(partners)}
    contributions = sorted(
        contributions,
        key=lambda entry: (
            partner_order.get(entry.partner.code, len(partner_order)),
            stream_order.get(entry.stream, len(stream_order)),
        ),
    )
    total = sum((entry.amount for entry in contributions), ZERO)
    contributed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in contributions:
        contributed[entry.partner.code] += entry.amount
    budgeted: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in budgets:
        budgeted[entry.partner] += entry.amount
    by_partner = tuple(
        PartnerContribution(
            partner=partner,
            contributed=contributed[partner.code],
            budgeted=budgeted[partner.code],
            share_pct=percent_of(contributed[partner.code], total),
        )
        for partner in partners
        if partner.code in contributed or partner.code in budgeted
    )
    by_stream_amount: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in contributions:
        by_stream_amount[entry.stream] += entry.amount
    by_stream = tuple(
        StreamContribution(
            stream=stream,
            label=stream_labels.get(stream, stream),
            amount=amount,
            share_pct=percent_of(amount, total),
        )
        for stream, amount in sorted(
            by_stream_amount.items(), key=lambda item: stream_order.get(item[0], len(stream_order))
        )
    )
    return PooledFund(
        area_code=area_code,
        area_name=area_name,
        financial_year=financial_year,
        national_minimum=national_minimum,
        illustrative=illustrative,
        source=source,
        contributions=tuple(contributions),
        by_partner=by_partner,
        by_stream=by_stream,
        total=total,
        budgeted=sum(budgeted.values(), ZERO),
    )


# --- Budgets against contributions, by funding source ---------------------------------------


@dataclass(frozen=True, kw_only=True)
class SourceAgreement:
    """What the schemes' budgets paid from one funding source add up to, against what the
    pool's contributions put into that source."""

    source: str
    label: str
    budgeted: Decimal
    contributed: Decimal

    @property
    def difference(self) -> Decimal:
        """Budgeted minus contributed: positive when budgets spend more than the source has."""
        return self.budgeted - self.contributed

    @property
    def abs_difference(self) -> Decimal:
        return abs(self.difference)

    @property
    def agrees(self) -> bool:
        return self.difference == ZERO


def source_agreement(
    *,
    budgets: Iterable[tuple[str, Decimal]],
    contributions: Iterable[tuple[str, Decimal]],
    source_labels: Mapping[str, str],
) -> tuple[SourceAgreement, ...]:
    """Each funding source's budgets against its contributions (both as (source, amount)
    pairs, each contribution stream already turned into the source it pays into), in the
    order of `source_labels`, exact to the penny: a source appears when either side has money
    in it."""
    budgeted: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for source, amount in budgets:
        budgeted[source] += amount
    contributed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for source, amount in contributions:
        contributed[source] += amount
    order = {source: index for index, source in enumerate(source_labels)}
    sources = sorted(set(budgeted) | set(contributed), key=lambda s: (order.get(s, len(order)), s))
    return tuple(
        SourceAgreement(
            source=source,
            label=source_labels.get(source, source),
            budgeted=budgeted[source],
            contributed=contributed[source],
        )
        for source in sources
    )
