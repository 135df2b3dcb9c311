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

Queries do not grow with the metrics asked for: one for the figures (the metrics and those
their rates are worked out from), one for the populations (only when a rate is asked for) and
one for the plans replaced by revisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import Q

from bettercare.models import Area
from bettercare.periods import FinancialYear, Month

from .models import AgeGroup, Metric, MetricValue, PlanRevision, Population, SupersededPlan
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


def readings(
    *,
    area: Area,
    metrics: Sequence[Metric],
    breakdown: str | None = "",
    breakdown_kind: str | None = None,
    series: str | None = None,
    start: Month | None = None,
    end: Month | None = None,
    months: Iterable[Month] | None = None,
    plans_at: Month | str | None = EACH_MONTH,
) -> list[Reading]:
    """The figures of `metrics` for the area: its own (`breakdown` ""), one breakdown, every
    breakdown of a kind (`breakdown_kind`, e.g. "provider"), every breakdown
    (EVERY_BREAKDOWN) or all of these (`breakdown` None), with
    end months from `start` to `end` or in `months`; plans as in force at `plans_at` (a month,
    EACH_MONTH, or None for the plans held now, revisions aside)."""
    metrics = list(metrics)
    worked_out = {metric.pk: metric for metric in metrics if metric.rate_of_id}
    wanted = {metric.pk for metric in metrics} | {m.rate_of_id for m in worked_out.values()}
    rows = MetricValue.objects.filter(area=area, metric__in=sorted(wanted))
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
    held = [
        Reading(*row)
        for row in rows.order_by().values_list(
            "metric_id", "series", "period", "end_month", "breakdown", "value", "status", "note"
        )
    ]
    if plans_at is not None and series in (None, PLAN):
        held = _plans_in_force(area, held, plans_at)
    if not worked_out:
        return held
    return _with_rates(area, held, worked_out, requested={metric.pk for metric in metrics})


def _plans_in_force(area: Area, held: list[Reading], plans_at: Month | str) -> list[Reading]:
    plans = [reading for reading in held if reading.series == PLAN]
    if not plans:
        return held
    replaced = _replaced_plans(area, {reading.metric_id for reading in plans})
    if not replaced:
        return held
    found = {reading.key: reading for reading in held}
    # Plans a later revision added (none was held before it) are read as missing: drop them
    # first, then put back what each revision replaced.
    changed: dict[tuple, Reading | None] = {}
    for (metric_id, period, breakdown), versions in replaced.items():
        key = (metric_id, PLAN, period, breakdown)
        current = found.get(key)
        if current is None:
            continue
        moment = current.end_month if plans_at == EACH_MONTH else plans_at
        for effective, value in versions:  # in the order the revisions take effect
            if effective > moment.last_day:
                changed[key] = None if value is None else replace(current, value=value)
                break
    if not changed:
        return held
    out = []
    for reading in held:
        if reading.key in changed:
            if changed[reading.key] is not None:
                out.append(changed[reading.key])
        else:
            out.append(reading)
    return out


def _replaced_plans(area: Area, metric_ids: set[int]) -> dict[tuple, list]:
    """(metric id, period, breakdown) -> [(takes effect, the plan before it)] in the order the
    revisions take effect."""
    found: dict[tuple, list] = defaultdict(list)
    rows = (
        SupersededPlan.objects.filter(revision__area=area, revision__metric__in=sorted(metric_ids))
        .order_by("revision__effective", "revision__created", "revision_id")
        .values_list("revision__metric_id", "period", "breakdown", "revision__effective", "value")
    )
    for metric_id, period, breakdown, effective, value in rows:
        found[(metric_id, period, breakdown)].append((effective, value))
    return found


def _with_rates(
    area: Area, held: list[Reading], worked_out: dict[int, Metric], *, requested: set[int]
) -> list[Reading]:
    groups = {metric.age_group for metric in worked_out.values()}
    populations = {
        (year, group): people
        for year, group, people in Population.objects.filter(
            area=area, age_group__in=sorted(groups)
        ).values_list("financial_year", "age_group", "people")
    }
    by_base: dict[int, list[Metric]] = defaultdict(list)
    for metric in worked_out.values():
        by_base[metric.rate_of_id].append(metric)

    out: list[Reading] = []
    computed: set[tuple] = set()
    for reading in held:
        for rate in by_base.get(reading.metric_id, ()):
            figure = _rate_of(area, reading, rate, populations)
            computed.add(figure.key)
            out.append(figure)
        out.append(reading)
    # A worked-out rate's own held figures (kept from before the catalogue's correction) show
    # only where nothing worked one out; the counts read only for the rates are left out.
    return [
        reading
        for reading in out
        if reading.metric_id in requested
        and not (
            reading.metric_id in worked_out and not reading.worked_out and reading.key in computed
        )
    ]


def _rate_of(area: Area, reading: Reading, rate: Metric, populations: dict) -> Reading:
    year = reading.end_month.financial_year
    people = populations.get((year, rate.age_group))
    base = replace(reading, metric_id=rate.pk, worked_out=True)
    if reading.value is None:
        return base
    if people is None:
        caveat = no_population_caveat(
            area_name=area.name,
            group_label=AGE_GROUP_WORDS[AgeGroup(rate.age_group)],
            year_label=year.label,
        )
        return replace(base, value=None, status=NOT_AVAILABLE, note=caveat)
    return replace(base, value=per_100k(reading.value, people))


def revisions_in_force(
    *, area: Area, metrics: Sequence[Metric], month: Month
) -> dict[int, list[Revision]]:
    """The plan revisions of `month`'s financial year in force at its end, by metric id (a
    worked-out rate cites the revisions of the metric it is worked out from)."""
    base_of = {metric.pk: metric.rate_of_id or metric.pk for metric in metrics}
    rows = PlanRevision.objects.filter(
        Q(area=area)
        & Q(metric__in=sorted(set(base_of.values())))
        & Q(financial_year=month.financial_year)
        & Q(effective__lte=month.last_day)
    ).order_by("effective", "created")
    revisions: dict[int, list[Revision]] = defaultdict(list)
    for revision in rows:
        revisions[revision.metric_id].append(
            Revision(
                revision.metric_id, revision.financial_year, revision.effective, revision.reason
            )
        )
    return {
        metric_id: revisions[base] for metric_id, base in base_of.items() if revisions.get(base)
    }
