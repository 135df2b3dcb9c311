"""Figures as they are read, for every summary, chart and pack: what is held, with two things
worked out on the way.

- **Rates worked out from counts.** A metric that is a rate of another per 100,000 of an age
  group (`Metric.rate_of`) has no figures of its own: each figure of the metric it is a rate of
  (actual or plan, the area or a breakdown) is divided by the area's population for that
  financial year (`metrics.rates`). Without that population the figure reads "Data not
  available", with the reason as its caveat. Figures held for such a metric from before the
  catalogue was corrected show only where there is nothing to work one out from.
- **Plans in force.** A plan revision (`PlanRevision`) keeps the plans it replaced. A month is
  rated against the plans in force at its end: where a revision takes effect later, the figure
  it replaced (or the absence of one) is read instead of the plan held now.

Queries do not grow with the metrics or figures asked for: one for the figures (the metrics
and those their rates are worked out from), and, once per `Reader`, one for the area's
populations (only when a rate is worked out) and one for the plans its revisions replaced
(only when plans are read, or revisions cited).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from bettercare.models import Area
from bettercare.periods import FinancialYear, Month

from .models import AgeGroup, Metric, MetricValue, Population, SupersededPlan
from .rates import no_population_caveat, per_100k

ACTUAL = MetricValue.Series.ACTUAL
PLAN = MetricValue.Series.PLAN
NOT_AVAILABLE = MetricValue.Status.NOT_AVAILABLE
AGE_GROUP_WORDS = {
    AgeGroup.ALL_AGES: "of all ages",
    AgeGroup.AGED_18_PLUS: "aged 18+",
    AgeGroup.AGED_65_PLUS: "aged 65+",
}
# `breakdown=EVERY_BREAKDOWN` reads every breakdown but not the area's own figures.
EVERY_BREAKDOWN = "*"
# Plans in force: at the end of each figure's own month (the month by month chart), or, given
# a month, at the end of that month for every figure (the rating of that month).
EACH_MONTH = "each"


@dataclass(frozen=True)
class Reading:
    """One figure as read: held, or worked out (`worked_out`)."""

    metric_id: int
    series: str
    period: str
    end_month: Month
    breakdown: str
    value: Decimal | None
    status: str
    note: str
    worked_out: bool = False

    @property
    def key(self) -> tuple:
        return (self.metric_id, self.series, self.period, self.breakdown)


@dataclass(frozen=True)
class Revision:
    """A plan revision as the summaries cite it."""

    metric_id: int
    financial_year: FinancialYear
    effective: date
    reason: str

    @property
    def note(self) -> str:
        return f"Target revised from {self.effective.day} {self.effective:%B %Y}: {self.reason}"


class Reader:
    """Reads the figures of one area. The area's populations and the plans its revisions
    replaced are read once and kept, so a page that reads several times (the dashboard: the
    summary, then the SPC series) queries them once."""

    def __init__(self, area: Area):
        self.area = area
        self._populations: dict | None = None
        self._replaced: list[tuple] | None = None

    def readings(
        self,
        *,
        metrics: Sequence[Metric],
        breakdown: str | None = "",
        breakdown_kind: str | None = None,
        series: str | None = None,
        start: Month | None = None,
        end: Month | None = None,
        months: Iterable[Month] | None = None,
        plans_at: Month | str | None = EACH_MONTH,
    ) -> list[Reading]:
        """The figures of `metrics`: the area's own (`breakdown` ""), one breakdown, every
        breakdown of a kind (`breakdown_kind`, e.g. "provider"), every breakdown
        (EVERY_BREAKDOWN) or all of these (`breakdown` None), with end months from `start` to
        `end` or in `months`; plans as in force at `plans_at` (a month, EACH_MONTH, or None
        for the plans held now, revisions aside)."""
        metrics = list(metrics)
        worked_out = {metric.pk: metric for metric in metrics if metric.rate_of_id}
        wanted = {metric.pk for metric in metrics} | {m.rate_of_id for m in worked_out.values()}
        held = self._held(
            wanted,
            breakdown=breakdown,
            breakdown_kind=breakdown_kind,
            series=series,
            start=start,
            end=end,
            months=months,
        )
        if plans_at is not None and any(reading.series == PLAN for reading in held):
            held = self._plans_in_force(held, plans_at)
        if not worked_out:
            return held
        return self._with_rates(held, worked_out, requested={metric.pk for metric in metrics})

    def _held(self, wanted, *, breakdown, breakdown_kind, series, start, end, months):
        """The figures held, as `readings` asks for them: one query."""
        rows = MetricValue.objects.filter(area=self.area, metric__in=sorted(wanted))
        if breakdown_kind is not None:
            rows = rows.filter(breakdown__startswith=f"{breakdown_kind}:")
        elif breakdown == EVERY_BREAKDOWN:
            rows = rows.exclude(breakdown="")
        elif breakdown is not None:
            rows = rows.filter(breakdown=breakdown)
        if series is not None:
            rows = rows.filter(series=series)
        if start is not None:
            rows = rows.filter(end_month__gte=start)
        if end is not None:
            rows = rows.filter(end_month__lte=end)
        if months is not None:
            rows = rows.filter(end_month__in=sorted(set(months)))
        return [
            Reading(*row)
            for row in rows.order_by().values_list(
                "metric_id", "series", "period", "end_month", "breakdown", "value", "status",
                "note",
            )
        ]  # fmt: skip

    def revisions_in_force(
        self, *, metrics: Sequence[Metric], month: Month
    ) -> dict[int, list[Revision]]:
        """The plan revisions of `month`'s financial year in force at its end, by metric id (a
        worked-out rate cites those of the metric it is worked out from)."""
        found: dict[int, dict[int, Revision]] = defaultdict(dict)
        for row in self._replaced_rows():
            revision_id, metric_id, year, effective, reason = row[:5]
            if year == month.financial_year and effective <= month.last_day:
                found[metric_id][revision_id] = Revision(metric_id, year, effective, reason)
        return {
            metric.pk: list(found[metric.rate_of_id or metric.pk].values())
            for metric in metrics
            if found.get(metric.rate_of_id or metric.pk)
        }

    def populations(self) -> dict[tuple[FinancialYear, str], int]:
        if self._populations is None:
            self._populations = {
                (year, group): people
                for year, group, people in Population.objects.filter(area=self.area).values_list(
                    "financial_year", "age_group", "people"
                )
            }
        return self._populations

    def _replaced_rows(self) -> list[tuple]:
        """Every plan the area's revisions replaced, in the order the revisions take effect:
        (revision, metric, year, takes effect, reason, period, breakdown, the plan before)."""
        if self._replaced is None:
            self._replaced = list(
                SupersededPlan.objects.filter(revision__area=self.area)
                .order_by("revision__effective", "revision__created", "revision_id")
                .values_list(
                    "revision_id",
                    "revision__metric_id",
                    "revision__financial_year",
                    "revision__effective",
                    "revision__reason",
                    "period",
                    "breakdown",
                    "value",
                )
            )
        return self._replaced

    def _plans_in_force(self, held: list[Reading], plans_at: Month | str) -> list[Reading]:
        replaced: dict[tuple, list] = defaultdict(list)
        for _, metric_id, _, effective, _, period, breakdown, value in self._replaced_rows():
            replaced[(metric_id, period, breakdown)].append((effective, value))
        if not replaced:
            return held
        changed: dict[tuple, Reading | None] = {}
        for reading in held:
            versions = replaced.get((reading.metric_id, reading.period, reading.breakdown))
            if reading.series != PLAN or not versions:
                continue
            moment = reading.end_month if plans_at == EACH_MONTH else plans_at
            # The first revision taking effect after the moment replaced what was in force
            # then (None: there was no plan, as for plans a revision added).
            for effective, value in versions:
                if effective > moment.last_day:
                    changed[reading.key] = None if value is None else replace(reading, value=value)
                    break
        if not changed:
            return held
        in_force = (changed.get(reading.key, reading) for reading in held)
        return [reading for reading in in_force if reading is not None]

    def _with_rates(
        self, held: list[Reading], worked_out: dict[int, Metric], *, requested: set[int]
    ) -> list[Reading]:
        by_base: dict[int, list[Metric]] = defaultdict(list)
        for metric in worked_out.values():
            by_base[metric.rate_of_id].append(metric)
        out: list[Reading] = []
        computed: set[tuple] = set()
        for reading in held:
            for rate in by_base.get(reading.metric_id, ()):
                figure = self._rate_of(reading, rate)
                computed.add(figure.key)
                out.append(figure)
            out.append(reading)
        # A worked-out rate's own held figures (kept from before the catalogue's correction)
        # show only where nothing worked one out; counts read only for their rates are left
        # out.
        return [
            reading
            for reading in out
            if reading.metric_id in requested
            and not (
                reading.metric_id in worked_out
                and not reading.worked_out
                and reading.key in computed
            )
        ]

    def _rate_of(self, reading: Reading, rate: Metric) -> Reading:
        year = reading.end_month.financial_year
        value, status, note = reading.value, reading.status, reading.note
        if value is not None:
            people = self.populations().get((year, rate.age_group))
            if people is None:
                value, status = None, NOT_AVAILABLE
                note = no_population_caveat(
                    area_name=self.area.name,
                    group_label=AGE_GROUP_WORDS[AgeGroup(rate.age_group)],
                    year_label=year.label,
                )
            else:
                value = per_100k(value, people)
        return Reading(
            rate.pk,
            reading.series,
            reading.period,
            reading.end_month,
            reading.breakdown,
            value,
            status,
            note,
            worked_out=True,
        )


def readings(*, area: Area, **kwargs) -> list[Reading]:
    """`Reader(area).readings(...)`, for a single read."""
    return Reader(area).readings(**kwargs)


def revisions_in_force(*, area: Area, metrics: Sequence[Metric], month: Month):
    return Reader(area).revisions_in_force(metrics=metrics, month=month)


class _ReadAhead(Reader):
    """A Reader whose area's own figures for a span of months, its populations and its
    replaced plans were read with other areas' (see `readers_for`): `readings` within that
    span asks the database nothing; anything else is read as a plain Reader reads it."""

    def __init__(self, area: Area, *, rows: list[Reading], start: Month, end: Month):
        super().__init__(area)
        self._rows, self._start, self._end = rows, start, end

    def _held(self, wanted, *, breakdown, breakdown_kind, series, start, end, months):
        covered = (
            breakdown == ""
            and breakdown_kind is None
            and start is not None
            and end is not None
            and self._start <= start
            and end <= self._end
        )
        if not covered:
            return super()._held(
                wanted,
                breakdown=breakdown,
                breakdown_kind=breakdown_kind,
                series=series,
                start=start,
                end=end,
                months=months,
            )
        chosen = None if months is None else set(months)
        return [
            reading
            for reading in self._rows
            if reading.metric_id in wanted
            and (series is None or reading.series == series)
            and start <= reading.end_month <= end
            and (chosen is None or reading.end_month in chosen)
        ]


def readers_for(areas: Sequence[Area], *, start: Month, end: Month) -> dict[int, Reader]:
    """A Reader for each area (by id) with the areas' own figures from `start` to `end`, their
    populations and their replaced plans read together: three queries however many areas,
    for pages that show areas side by side (the system view)."""
    areas = list(areas)
    rows: dict[int, list[Reading]] = {area.pk: [] for area in areas}
    for area_id, *values in (
        MetricValue.objects.filter(
            area__in=areas, breakdown="", end_month__gte=start, end_month__lte=end
        )
        .order_by()
        .values_list(
            "area_id", "metric_id", "series", "period", "end_month", "breakdown", "value",
            "status", "note",
        )
    ):  # fmt: skip
        rows[area_id].append(Reading(*values))
    readers = {
        area.pk: _ReadAhead(area, rows=rows[area.pk], start=start, end=end) for area in areas
    }
    populations: dict[int, dict] = {area.pk: {} for area in areas}
    for area_id, year, group, people in Population.objects.filter(area__in=areas).values_list(
        "area_id", "financial_year", "age_group", "people"
    ):
        populations[area_id][(year, group)] = people
    replaced: dict[int, list[tuple]] = {area.pk: [] for area in areas}
    for area_id, *row in (
        SupersededPlan.objects.filter(revision__area__in=areas)
        .order_by("revision__effective", "revision__created", "revision_id")
        .values_list(
            "revision__area_id",
            "revision_id",
            "revision__metric_id",
            "revision__financial_year",
            "revision__effective",
            "revision__reason",
            "period",
            "breakdown",
            "value",
        )
    ):
        replaced[area_id].append(tuple(row))
    for area in areas:
        readers[area.pk]._populations = populations[area.pk]
        readers[area.pk]._replaced = replaced[area.pk]
    return readers
