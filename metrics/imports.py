"""The metrics import: a file of metric figures, as `bettercare.imports` reads it.

This module declares what the file holds (its columns, the checks of each row, what is held,
how the figures are written); the engine reads the file, names every bad row by its line and
reason, refuses the whole file for one bad row, and plans each row as new, replacing a figure
already held (old -> new) or unchanged. The upload page shows the plan as its preview;
`services.metric_file_import` applies a file.

Columns, in any order: area,metric,period,series,value,breakdown,status,note. The last three
may be left empty (no breakdown, final, no caveat).

A rate worked out from another metric (`Metric.rate_of`) is never loaded: its rows are bad rows.
Plan rows that change plans already held for a metric's financial year make a plan revision
(`MetricImportPlan.revisions`): applying the file then needs the revision's reason, and the date
it takes effect (today unless given), and records what it replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from bettercare.import_templates import TemplateColumn
from bettercare.imports import (
    Change,
    CheckedRow,
    ImportPlan,
    Lookups,
    Problems,
    Row,
    TabularImport,
)
from bettercare.models import Area
from bettercare.periods import FinancialYear, Month, PeriodError, Quarter, parse_period
from bettercare.tabular import FileRefused, RowProblem

from . import permissions, rag
from .models import Metric, MetricImport, MetricValue, PlanRevision
from .units import bounds_problem
from .writes import figures_write, revisions_write

COLUMNS = ("area", "metric", "period", "series", "value", "breakdown", "status", "note")
# What each column holds, for the template the upload page offers (same order as COLUMNS).
TEMPLATE_COLUMNS = (
    TemplateColumn("area", "The area's ONS code, e.g. E06000045."),
    TemplateColumn("metric", "A metric code from the catalogue, e.g. nel_admissions."),
    TemplateColumn(
        "period",
        "A month like 2018-08; a quarter like 2018-19-Q2 or a financial year like 2018-19 for "
        "metrics published that way.",
    ),
    TemplateColumn("series", "actual or plan."),
    TemplateColumn(
        "value",
        "The figure, e.g. 2405 or 85.5 (no % sign); empty only when the status is "
        "'not available'.",
    ),
    TemplateColumn(
        "breakdown",
        "Empty for the area's own figure, or provider:UHS, age_band:65+, attribution:NHS.",
        required=False,
    ),
    TemplateColumn(
        "status", "final (or empty), provisional or not available.", required=False
    ),
    TemplateColumn(
        "note", "A caveat shown beside the figure and in the board pack.", required=False
    ),
)
BREAKDOWN_KINDS = {
    "provider": "a provider, e.g. provider:UHS",
    "age_band": "an age band, e.g. age_band:65+",
    "attribution": "who a delay is attributed to, e.g. attribution:NHS",
}
STATUS_WORDS = {
    "": MetricValue.Status.FINAL.value,
    "final": MetricValue.Status.FINAL.value,
    "provisional": MetricValue.Status.PROVISIONAL.value,
    "not available": MetricValue.Status.NOT_AVAILABLE.value,
    "not_available": MetricValue.Status.NOT_AVAILABLE.value,
    "n/a": MetricValue.Status.NOT_AVAILABLE.value,
}
MAX_PLACES = 4
MAX_WHOLE_DIGITS = 12
MAX_NOTE = 1000
# Distinct breakdowns (providers, age bands, attributions) an area may hold for one metric: a
# few of each kind in practice. The metric's page draws one line per breakdown.
MAX_BREAKDOWNS_PER_METRIC = 50
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")
_PERIOD_KINDS = {
    Month: Metric.Frequency.MONTHLY,
    Quarter: Metric.Frequency.QUARTERLY,
    FinancialYear: Metric.Frequency.ANNUAL,
}
_PERIOD_EXAMPLES = {
    Metric.Frequency.MONTHLY: "a month like 2018-08",
    Metric.Frequency.QUARTERLY: "a quarter like 2018-19-Q2",
    Metric.Frequency.ANNUAL: "a financial year like 2018-19",
}


@dataclass(slots=True, kw_only=True)
class PlannedValue(CheckedRow):
    """One checked row of the file and what applying it would do. `key` is (area id, metric id,
    period, series, breakdown); `values` (value, status, note)."""

    area: Area
    metric: Metric
    period: str
    end_month: Month
    end_month_text: str
    series: str
    breakdown: str
    value: Decimal | None
    status: str
    note: str

    @property
    def area_id(self) -> int:
        return self.key[0]

    @property
    def metric_id(self) -> int:
        return self.key[1]

    @property
    def old_value(self) -> Decimal | None:
        return self.held[0] if self.held else None

    @property
    def old_status(self) -> str:
        return self.held[1] if self.held else ""

    @property
    def old_note(self) -> str:
        return self.held[2] if self.held else ""


@dataclass
class Revision:
    """The plans a file changes for one metric's financial year in one area: those it replaces
    (a different figure) and those it adds."""

    area: Area
    metric: Metric
    financial_year: FinancialYear
    rows: list[PlannedValue] = field(default_factory=list)

    @property
    def replaced(self) -> list[PlannedValue]:
        return [row for row in self.rows if row.change == Change.REPLACED]

    @property
    def added(self) -> list[PlannedValue]:
        return [row for row in self.rows if row.change == Change.NEW]

    @property
    def words(self) -> str:
        """'Delayed Transfers of Care: average daily delays, 2018/19: 9 plans changed, 27
        added'."""
        parts = [f"{len(self.replaced)} plan{'s' if len(self.replaced) != 1 else ''} changed"]
        if self.added:
            parts.append(f"{len(self.added)} added")
        return f"{self.metric.name}, {self.financial_year.label}: {', '.join(parts)}"


class MetricImportPlan(ImportPlan):
    @property
    def revisions(self) -> list[Revision]:
        """The plan revisions applying the file would make: for each area, metric and financial
        year where a plan held is given a different figure, every plan of that year the file
        changes or adds."""
        groups: dict[tuple, Revision] = {}
        for row in self.rows:
            if row.series != MetricValue.Series.PLAN or row.change == Change.UNCHANGED:
                continue
            key = (row.area_id, row.metric_id, row.end_month.financial_year)
            if key not in groups:
                groups[key] = Revision(row.area, row.metric, key[2])
            groups[key].rows.append(row)
        return [
            revision
            for revision in groups.values()
            if any(row.value != row.old_value for row in revision.replaced)
        ]


class RevisionRefused(ValidationError):
    """A file that revises plans cannot be applied this way (no reason, a date that cannot be
    right). `answer` names what to give again: "reason" or "effective" (the date)."""

    def __init__(self, message: str, *, answer: str):
        super().__init__(message)
        self.answer = answer


_SERIES = frozenset(MetricValue.Series.values)
_NOT_AVAILABLE = MetricValue.Status.NOT_AVAILABLE.value


class MetricLookups(Lookups):
    """Files repeat the same few areas, metrics and periods thousands of times, so what is
    learnt about each is kept for the next row."""

    def __init__(self, rows, *, only_area, area_column):
        super().__init__(rows, only_area=only_area, area_column=area_column)
        self.metrics = {metric.code: metric for metric in Metric.objects.all()}
        self.metrics_by_id = {metric.pk: metric for metric in self.metrics.values()}
        self.periods: dict[tuple[str, str], tuple[str, Month, str] | str] = {}
        self.breakdowns = _BreakdownBudget()

    def period(self, row: Row, problems: Problems, metric: Metric | None):
        text = row["period"]
        if not text:
            problems.add(row, "the period is empty (e.g. 2018-08)", "period")
            return None
        key = (text, metric.code if metric else "")
        if key not in self.periods:
            self.periods[key] = _period_or_problem(text, metric)
        found = self.periods[key]
        if isinstance(found, str):
            problems.add(row, found, "period")
            return None
        return found


class MetricFile(TabularImport):
    """A file of metric figures for one or more areas."""

    kind = "metrics"
    columns = COLUMNS
    what = "figures"
    plan_class = MetricImportPlan

    def lookups(self, rows, *, only_area):
        return MetricLookups(rows, only_area=only_area, area_column=self.area_column)

    def plan(self, *, content: bytes, file_name: str, only_area: Area | None = None):
        try:
            return super().plan(content=content, file_name=file_name, only_area=only_area)
        except _TooManyBreakdowns as beyond:
            raise FileRefused(
                f"{file_name} was not imported: it gives {beyond.metric_code} more breakdowns "
                f"than a metric may have ({MAX_BREAKDOWNS_PER_METRIC}). Nothing was changed.",
                [beyond.problem],
            ) from None

    def check_row(self, row: Row, problems: Problems, lookups: MetricLookups):
        before = len(problems.items)
        area = lookups.area(row, problems)
        metric = lookups.metrics.get(row["metric"].strip().lower())
        if not row["metric"]:
            problems.add(row, "the metric is empty", "metric")
        elif metric is None:
            problems.add(
                row, f"unknown metric “{row['metric']}” (use a code from the catalogue)", "metric"
            )
        elif metric.is_worked_out:
            base = lookups.metrics_by_id[metric.rate_of_id]
            problems.add(
                row,
                f"{metric.code} is worked out from {base.code} and the population "
                f"{metric.get_age_group_display().lower()}, never loaded: load {base.code} (and "
                "the populations) instead",
                "metric",
            )
            metric = None

        period = lookups.period(row, problems, metric)

        series = row["series"].strip().lower()
        if series not in _SERIES:
            problems.add(row, f"the series must be actual or plan, not “{row['series']}”", "series")

        breakdown = _check_breakdown(row, problems)

        status = STATUS_WORDS.get(row["status"].strip().lower())
        if status is None:
            problems.add(
                row,
                "the status must be final, provisional or not available (or empty for final), "
                f"not “{row['status']}”",
                "status",
            )

        value = _check_value(row, problems, metric, status)

        note = row["note"]
        if len(note) > MAX_NOTE:
            problems.add(row, f"the note is longer than {MAX_NOTE} characters", "note")

        if area is None or metric is None or period is None or status is None:
            return None
        period_text, end_month, end_month_text = period
        planned = PlannedValue(
            line=row.line,
            key=(area.pk, metric.pk, period_text, series, breakdown),
            values=(value, status, note),
            area=area,
            metric=metric,
            period=period_text,
            end_month=end_month,
            end_month_text=end_month_text,
            series=series,
            breakdown=breakdown,
            value=value,
            status=status,
            note=note,
        )
        if breakdown and len(problems.items) == before:
            lookups.breakdowns.count(planned)
        return planned

    def describe(self, row: PlannedValue) -> str:
        breakdown = f" {row.breakdown}" if row.breakdown else ""
        return f"{row.area.code} {row.metric.code} {row.period} {row.series}{breakdown}"

    def held(self, rows):
        held = (
            MetricValue.objects.filter(
                area_id__in={row.area_id for row in rows},
                metric_id__in={row.metric_id for row in rows},
                period__in={row.period for row in rows},
                breakdown__in={row.breakdown for row in rows},
            )
            .order_by()
            .values_list(
                "id",
                "area_id",
                "metric_id",
                "period",
                "series",
                "breakdown",
                "value",
                "status",
                "note",
            )
        )
        for pk, area_id, metric_id, period, series, breakdown, *values in held.iterator(
            chunk_size=5000
        ):
            yield (area_id, metric_id, period, series, breakdown), pk, tuple(values)

    def write(
        self,
        plan,
        *,
        user,
        reason,
        via,
        illustrative=False,
        description="",
        revision_reason: str = "",
        revision_effective: date | None = None,
    ):
        revisions = plan.revisions
        if revisions:
            revision_reason = revision_check(
                revisions, reason=revision_reason, effective=revision_effective
            )
        result = figures_write(
            plan,
            via=via,
            user=user,
            reason=reason,
            illustrative=illustrative,
            description=description,
        )
        if revisions:
            records = revisions_write(
                revisions,
                reason=revision_reason,
                effective=revision_effective or date.today(),
                user=user,
                file_name=plan.file_name,
            )
            result = replace(result, revisions=tuple(records))
        return result

    def may_import(self, user, area) -> bool:
        return permissions.may_import_metrics(user, area)

    def staged_options(self) -> dict:
        return {"via": MetricImport.Via.UPLOAD}


METRIC_FILE = MetricFile()


def revision_check(revisions: list[Revision], *, reason: str, effective: date | None) -> str:
    """The revision's reason, cleaned; refused (RevisionRefused) without one, when it would
    take effect after the year it revises has ended, or before a revision already recorded for
    the same metric and year."""
    reason = " ".join(reason.split())
    if not reason:
        listed = _revisions_listed(revisions)
        raise RevisionRefused(
            f"This file revises plans already held ({listed}). Give the reason for the "
            "revision (on the command line, --reason), as the board will be told it.",
            answer="reason",
        )
    if len(reason) > MAX_NOTE:
        raise RevisionRefused(f"The reason is longer than {MAX_NOTE} characters.", answer="reason")
    when = effective or date.today()
    for revision in revisions:
        # Every month of the year ends by its last day: a revision taking effect after it
        # would rate none of them against the revised plans (loading last year's revised
        # plans today, without a date, would do just that), so it cannot be what was meant.
        year = revision.financial_year
        if when > year.end:
            raise RevisionRefused(
                f"{revision.metric.name}, {year.label}: the revision would take effect on "
                f"{when.day} {when:%B %Y}, after {year.label} ends ({year.end.day} "
                f"{year.end:%B %Y}), so no month of {year.label} would be rated against the "
                "revised plans. Give the date the revision takes effect (on the command line, "
                f"--effective YYYY-MM-DD); {year.start:%Y-%m-%d} makes it apply to the whole "
                "year.",
                answer="effective",
            )
        later = (
            PlanRevision.objects.filter(
                area=revision.area,
                metric=revision.metric,
                financial_year=revision.financial_year,
                effective__gt=when,
            )
            .order_by("-effective")
            .first()
        )
        if later is not None:
            raise RevisionRefused(
                f"{revision.metric.name}, {revision.financial_year.label}: a revision taking "
                f"effect on {later.effective.day} {later.effective:%B %Y} is already recorded; "
                "a new revision cannot take effect before it.",
                answer="effective",
            )
    return reason


def _revisions_listed(revisions: list[Revision], most: int = 5) -> str:
    """The revisions a file makes, for a refusal: a national file revises plans for many areas,
    so each names its area when there are several, and past `most` the rest are counted."""
    several_areas = len({revision.area.pk for revision in revisions}) > 1
    words = [
        f"{revision.area.name}, {revision.words}" if several_areas else revision.words
        for revision in revisions
    ]
    if len(words) > most:
        areas = len({revision.area.pk for revision in revisions})
        words = [*words[:most], f"and {len(words) - most:,} more, in {areas:,} areas in all"]
    return "; ".join(words)


def metric_file_check(
    *, content: bytes, file_name: str, only_area: Area | None = None
) -> ImportPlan:
    """The plan of the file (see `bettercare.imports.TabularImport.plan`)."""
    return METRIC_FILE.plan(content=content, file_name=file_name, only_area=only_area)


def _period_or_problem(text: str, metric: Metric | None) -> tuple[str, Month, str] | str:
    """(canonical period, its last month, that month as text), or what is wrong with it."""
    try:
        period = parse_period(text)
    except PeriodError as error:
        return str(error)
    end_month = rag.last_month_of(period)
    if metric is not None:
        wanted = metric.frequency
        if _PERIOD_KINDS[type(period)] != wanted:
            return (
                f"{metric.code} is published {Metric.Frequency(wanted).label.lower()}: the "
                f"period must be {_PERIOD_EXAMPLES[wanted]}, not “{text}”"
            )
        if not metric.is_valid_in(end_month.financial_year):
            until = f" to {metric.last_year.label}" if metric.last_year else ""
            return (
                f"{metric.code} is reported from {metric.first_year.label}{until}, so not "
                f"for {text}"
            )
    return str(period), end_month, str(end_month)


class _TooManyBreakdowns(Exception):
    """A row gives a metric more breakdowns than it may have: the file is refused at once."""

    def __init__(self, problem: RowProblem, metric_code: str):
        super().__init__(problem.message)
        self.problem, self.metric_code = problem, metric_code


class _BreakdownBudget:
    """Counts the breakdowns each area would hold for each metric (those held and those in
    the file) and refuses the file at the first row beyond the limit: checking the rest of a
    file of 160,000 breakdowns would only spend the server's time."""

    def __init__(self):
        self.names: dict[tuple[int, int], set[str]] = {}

    def count(self, value: PlannedValue) -> None:
        key = (value.area_id, value.metric_id)
        names = self.names.get(key)
        if names is None:
            names = self.names[key] = set(
                MetricValue.objects.filter(area_id=value.area_id, metric_id=value.metric_id)
                .exclude(breakdown="")
                .values_list("breakdown", flat=True)
                .distinct()
            )
        names.add(value.breakdown)
        if len(names) > MAX_BREAKDOWNS_PER_METRIC:
            problem = RowProblem(
                value.line,
                f"{value.metric.code} would have more than {MAX_BREAKDOWNS_PER_METRIC} "
                f"breakdowns for {value.area.name} with this row (a breakdown names a provider, "
                "an age band or an attribution, of which there are a few)",
                "breakdown",
            )
            raise _TooManyBreakdowns(problem, value.metric.code)


def _check_breakdown(row: Row, problems: Problems) -> str:
    text = row["breakdown"].strip()
    if not text:
        return ""
    kind, colon, part = text.partition(":")
    kind, part = kind.strip().lower(), part.strip()
    if not colon or kind not in BREAKDOWN_KINDS or not part:
        kinds = "; ".join(BREAKDOWN_KINDS.values())
        problems.add(
            row,
            f"the breakdown “{text}” is not one this system knows: leave it empty for the "
            f"area's own figure, or give {kinds}",
            "breakdown",
        )
        return ""
    breakdown = f"{kind}:{part}"
    if len(breakdown) > MetricValue._meta.get_field("breakdown").max_length:
        problems.add(row, "the breakdown is too long (60 characters at most)", "breakdown")
    return breakdown


def _check_value(
    row: Row, problems: Problems, metric: Metric | None, status: str | None
) -> Decimal | None:
    text = row["value"].strip()
    if status == _NOT_AVAILABLE:
        if text:
            problems.add(row, "a figure marked not available must leave the value empty", "value")
        return None
    if not text:
        problems.add(
            row, "the value is empty (mark the status “not available” if it is missing)", "value"
        )
        return None
    if text.endswith("%") and metric is not None and metric.unit == "percent":
        text = text[:-1].strip()  # 4.2% in a percentage column means 4.2
    if not _NUMBER.match(text):
        problems.add(row, f"the value “{row['value']}” is not a number", "value")
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        problems.add(row, f"the value “{row['value']}” is not a number", "value")
        return None
    places = -value.as_tuple().exponent
    if places > MAX_PLACES:
        problems.add(row, f"the value {text} has more than {MAX_PLACES} decimal places", "value")
        return None
    if abs(value) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        problems.add(row, f"the value {text} is too large", "value")
        return None
    if metric is not None:
        problem = bounds_problem(value, metric.unit)
        if problem:
            problems.add(row, f"{metric.code}: {problem}", "value")
            return None
    return value
