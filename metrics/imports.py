"""Checking a file of metric figures, and working out what applying it would change.

A file is checked whole before anything is written: every bad row is named with its line number
and reason (through `bettercare.tabular`), and one bad row refuses the whole file. A file that
passes becomes an `ImportPlan`: each row is new, replaces a figure already held (old -> new) or
is unchanged. The upload page shows the plan as its preview; `services.metric_file_import`
writes it.

Columns, in any order: area,metric,period,series,value,breakdown,status,note. The last three
may be left empty (no breakdown, final, no caveat).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bettercare.import_templates import TemplateColumn
from bettercare.models import Area
from bettercare.periods import FinancialYear, Month, PeriodError, Quarter, parse_period
from bettercare.tabular import FileRefused, Problems, Row, RowProblem, has_extra_cells, read_rows

from . import rag
from .models import Metric, MetricValue
from .units import bounds_problem

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


class Change:
    NEW = "new"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(slots=True)
class PlannedValue:
    """One checked row of the file and what applying it would do."""

    line: int
    area: Area
    metric: Metric
    area_id: int
    metric_id: int
    period: str
    end_month: Month
    end_month_text: str
    series: str
    breakdown: str
    value: Decimal | None
    status: str
    note: str
    change: str = Change.NEW
    existing_id: int | None = None
    old_value: Decimal | None = None
    old_status: str = ""
    old_note: str = ""

    @property
    def key(self) -> tuple:
        return (self.area_id, self.metric_id, self.period, self.series, self.breakdown)


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    rows: list[PlannedValue] = field(default_factory=list)

    def of(self, change: str) -> list[PlannedValue]:
        return [row for row in self.rows if row.change == change]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.change for row in self.rows)
        return {
            change: counted.get(change, 0)
            for change in (Change.NEW, Change.REPLACED, Change.UNCHANGED)
        }

    @property
    def areas(self) -> list[Area]:
        return sorted({row.area.pk: row.area for row in self.rows}.values(), key=str)

    @property
    def fingerprint(self) -> str:
        """Identifies what applying would change. Shown with the preview and checked when the
        analyst applies it, so a file is never applied against data that moved meanwhile."""
        digest = hashlib.sha256(self.sha256.encode())
        for row in self.rows:
            if row.change != Change.UNCHANGED:
                digest.update(
                    f"{row.key}|{row.change}|{row.old_value}|{row.old_status}|"
                    f"{row.old_note}\n".encode()
                )
        return digest.hexdigest()[:32]


def metric_file_check(
    *, content: bytes, file_name: str, only_area: Area | None = None
) -> ImportPlan:
    """Check every row of the file and plan the changes; raise `FileRefused` listing every bad
    row otherwise. With `only_area` (the upload page), a row for any other area is a bad row."""
    rows = read_rows(content, file_name=file_name, columns=COLUMNS)
    checker = _RowChecker(rows, only_area)
    planned: list[PlannedValue] = []
    first_line: dict[tuple, int] = {}
    breakdowns = _BreakdownBudget(file_name)
    for row in rows:
        value = checker.check(row)
        if value is None:
            continue
        if value.breakdown:
            breakdowns.count(value)
        if value.key in first_line:
            checker.problems.add(
                row,
                f"repeats line {first_line[value.key]} (the same area, metric, period, series "
                "and breakdown); keep one of them",
            )
            continue
        first_line[value.key] = row.line
        planned.append(value)
    if not rows:
        checker.problems.add(1, "the file has a header but no rows of figures")
    checker.problems.refuse_if_any(file_name)

    plan = ImportPlan(file_name, hashlib.sha256(content).hexdigest(), planned)
    _compare_with_held_figures(plan)
    return plan


_SERIES = frozenset(MetricValue.Series.values)
_NOT_AVAILABLE = MetricValue.Status.NOT_AVAILABLE.value


class _RowChecker:
    """Checks rows one by one, noting every problem. Files repeat the same few areas, metrics
    and periods thousands of times, so what is learnt about each is kept for the next row."""

    def __init__(self, rows: list[Row], only_area: Area | None):
        self.problems = Problems()
        self.only_area = only_area
        codes = {row["area"].upper() for row in rows if row["area"]}
        self.areas = {area.code: area for area in Area.objects.filter(code__in=codes)}
        self.metrics = {metric.code: metric for metric in Metric.objects.all()}
        self.periods: dict[tuple[str, str], tuple[str, Month, str] | str] = {}

    def check(self, row: Row) -> PlannedValue | None:
        """The row as a planned value, or None after noting each thing wrong with it."""
        problems = self.problems
        before = len(problems.items)
        if has_extra_cells(row):
            problems.add(row, "has more cells than the header has columns")

        area = self._area(row)
        metric = self.metrics.get(row["metric"].strip().lower())
        if not row["metric"]:
            problems.add(row, "the metric is empty", "metric")
        elif metric is None:
            problems.add(
                row, f"unknown metric “{row['metric']}” (use a code from the catalogue)", "metric"
            )

        period = self._period(row, metric)

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

        if len(problems.items) > before:
            return None
        period_text, end_month, end_month_text = period
        return PlannedValue(
            line=row.line,
            area=area,
            metric=metric,
            area_id=area.pk,
            metric_id=metric.pk,
            period=period_text,
            end_month=end_month,
            end_month_text=end_month_text,
            series=series,
            breakdown=breakdown,
            value=value,
            status=status,
            note=note,
        )

    def _area(self, row: Row) -> Area | None:
        code = row["area"].upper()
        area = self.areas.get(code)
        if not code:
            self.problems.add(row, "the area is empty (give its ONS code, e.g. E06000045)", "area")
        elif area is None:
            self.problems.add(
                row, f"unknown area “{row['area']}” (give the area's ONS code)", "area"
            )
        elif self.only_area is not None and area.pk != self.only_area.pk:
            self.problems.add(
                row,
                f"the row is for {area.name} ({area.code}), but this upload is for "
                f"{self.only_area.name} ({self.only_area.code})",
                "area",
            )
        return area

    def _period(self, row: Row, metric: Metric | None) -> tuple[str, Month, str] | None:
        text = row["period"]
        if not text:
            self.problems.add(row, "the period is empty (e.g. 2018-08)", "period")
            return None
        key = (text, metric.code if metric else "")
        if key not in self.periods:
            self.periods[key] = _period_or_problem(text, metric)
        found = self.periods[key]
        if isinstance(found, str):
            self.problems.add(row, found, "period")
            return None
        return found


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


class _BreakdownBudget:
    """Counts the breakdowns each area would hold for each metric (those held and those in
    the file) and refuses the file at the first row beyond the limit: checking the rest of a
    file of 160,000 breakdowns would only spend the server's time."""

    def __init__(self, file_name: str):
        self.file_name = file_name
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
            raise FileRefused(
                f"{self.file_name} was not imported: it gives {value.metric.code} more "
                f"breakdowns than a metric may have ({MAX_BREAKDOWNS_PER_METRIC}). Nothing was "
                "changed.",
                [problem],
            )


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


def _compare_with_held_figures(plan: ImportPlan) -> None:
    """Mark each planned row new, replaced (keeping the old figure) or unchanged."""
    if not plan.rows:
        return
    by_key = {row.key: row for row in plan.rows}
    held = (
        MetricValue.objects.filter(
            area_id__in={row.area_id for row in plan.rows},
            metric_id__in={row.metric_id for row in plan.rows},
            period__in={row.period for row in plan.rows},
            breakdown__in={row.breakdown for row in plan.rows},
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
    for pk, area_id, metric_id, period, series, breakdown, value, status, note in held.iterator(
        chunk_size=5000
    ):
        row = by_key.get((area_id, metric_id, period, series, breakdown))
        if row is None:
            continue
        row.existing_id = pk
        row.old_value, row.old_status, row.old_note = value, status, note
        same = _same_number(value, row.value) and status == row.status and note == row.note
        row.change = Change.UNCHANGED if same else Change.REPLACED


def _same_number(held: Decimal | None, new: Decimal | None) -> bool:
    if held is None or new is None:
        return held is new
    return held == new
