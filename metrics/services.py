"""Every write the metrics app makes: importing figures and marking SPC recalculation points."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from bettercare.events import figures_changed
from bettercare.models import Area, StagedImport
from bettercare.periods import Month
from bettercare.services import staged_import_mark_applied
from bettercare.tabular import PreviewOutdated

from .catalogue import CATALOGUE, catalogue_fields
from .imports import Change, ImportPlan, metric_file_check
from .models import Metric, MetricImport, MetricValue, SpcRecalculation

STAGED_KIND = "metrics"


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    new: int
    replaced: int
    unchanged: int
    record: MetricImport | None  # None when the file changed nothing (nothing is recorded)

    def summary(self) -> str:
        return (
            f"{self.file_name}: {self.new} new, {self.replaced} replaced, "
            f"{self.unchanged} unchanged."
        )


def metric_file_import(
    *,
    content: bytes,
    file_name: str,
    via: str,
    user=None,
    only_area: Area | None = None,
    illustrative: bool = False,
    description: str = "",
    expected_fingerprint: str | None = None,
) -> ImportResult:
    """Check the whole file and, only if every row is good, apply it in one transaction.

    Raises `bettercare.tabular.FileRefused` (listing every bad row) and writes nothing when any
    row is bad; raises `PreviewOutdated` when `expected_fingerprint` (from the preview) no
    longer matches what the file would change."""
    with transaction.atomic():
        plan = metric_file_check(content=content, file_name=file_name, only_area=only_area)
        if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
            raise PreviewOutdated(
                f"The figures held changed after the preview of {file_name} was shown. "
                "Check the new preview before applying it."
            )
        return _apply(plan, via=via, user=user, illustrative=illustrative, description=description)


def _apply(
    plan: ImportPlan, *, via: str, user, illustrative: bool, description: str
) -> ImportResult:
    counts = plan.counts
    if not counts[Change.NEW] and not counts[Change.REPLACED]:
        return ImportResult(plan.file_name, 0, 0, counts[Change.UNCHANGED], None)
    record = MetricImport.objects.create(
        file_name=plan.file_name[:255],
        sha256=plan.sha256,
        via=via,
        imported_by=user,
        illustrative=illustrative,
        description=description,
        rows_new=counts[Change.NEW],
        rows_replaced=counts[Change.REPLACED],
        rows_unchanged=counts[Change.UNCHANGED],
    )
    _write_figures(
        plan,
        record=record,
        user=user,
        reason=f"Imported from {plan.file_name}"[:100],
        when=timezone.now(),
    )
    figures_changed(area_ids=[area.pk for area in plan.areas], source="metrics")
    return ImportResult(
        plan.file_name,
        counts[Change.NEW],
        counts[Change.REPLACED],
        counts[Change.UNCHANGED],
        record,
    )


def _write_figures(plan: ImportPlan, *, record: MetricImport, user, reason: str, when) -> None:
    """Insert the new figures, update the replaced ones and add a history record for each, as
    django-simple-history's own `bulk_create_with_history` / `bulk_update_with_history` would
    (same table, same record types, so the admin's history pages show them).

    Written as plain SQL (COPY on PostgreSQL) because the ORM's bulk methods spend tens of
    microseconds preparing each value: through them a file of 33,600 rows took 3.9 s to add and
    17 s to replace, against the issue's 10 s for 100,000 rows (see
    tests/benchmarks/bench_metrics.py for what it takes this way)."""
    new = plan.of(Change.NEW)
    replaced = plan.of(Change.REPLACED)
    values_table = MetricValue._meta.db_table
    history_table = MetricValue.history.model._meta.db_table
    figure_columns = _columns(
        MetricValue,
        [
            "area",
            "metric",
            "period",
            "end_month",
            "series",
            "breakdown",
            "value",
            "status",
            "note",
            "source",
        ],
    )
    history_columns = [
        *_columns(MetricValue, ["id"]),
        *figure_columns,
        *_columns(
            MetricValue.history.model,
            ["history_date", "history_change_reason", "history_type", "history_user"],
        ),
    ]
    history_date = connection.ops.adapt_datetimefield_value(when)
    user_id = user.pk if user is not None else None

    source_id = record.pk

    def figure(row) -> tuple:
        return (
            row.area_id,
            row.metric_id,
            row.period,
            row.end_month_text,
            row.series,
            row.breakdown,
            row.value,
            row.status,
            row.note,
            source_id,
        )

    with connection.cursor() as cursor:
        history = []
        if new:
            _insert(cursor, values_table, figure_columns, [figure(row) for row in new])
            # Every new figure, and so far only those, points to this import.
            cursor.execute(
                f"SELECT id, area_id, metric_id, period, series, breakdown FROM {values_table} "  # noqa: S608
                "WHERE source_id = %s",
                [record.pk],
            )
            ids = {tuple(found[1:]): found[0] for found in cursor.fetchall()}
            history.extend(
                (ids[row.key], *figure(row), history_date, reason, "+", user_id) for row in new
            )
        if replaced:
            _update(
                cursor,
                values_table,
                [(row.existing_id, row.value, row.status, row.note, source_id) for row in replaced],
            )
            history.extend(
                (row.existing_id, *figure(row), history_date, reason, "~", user_id)
                for row in replaced
            )
        if history:
            _insert(cursor, history_table, history_columns, history)


def _insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """PostgreSQL takes the rows by COPY; SQLite, in the same process, one short statement per
    row (executemany), which costs microseconds each."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})",
        rows,
    )


def _update(cursor, table: str, rows: list[tuple]) -> None:
    """Set value, status, note and source of the figures (id, value, status, note, source):
    on PostgreSQL through a temporary table filled by COPY and one UPDATE, elsewhere one
    statement per figure."""
    if connection.vendor != "postgresql":
        cursor.executemany(
            f"UPDATE {table} SET value = %s, status = %s, note = %s, source_id = %s "  # noqa: S608
            "WHERE id = %s",
            [(value, status, note, source, pk) for pk, value, status, note, source in rows],
        )
        return
    cursor.execute(
        "CREATE TEMPORARY TABLE metric_value_replacement "
        "(id bigint, value numeric, status varchar(15), note text, source_id bigint)"
    )
    with cursor.cursor.copy("COPY metric_value_replacement FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(
        f"UPDATE {table} AS held SET value = new.value, status = new.status, "  # noqa: S608
        "note = new.note, source_id = new.source_id "
        "FROM metric_value_replacement AS new WHERE held.id = new.id"
    )
    cursor.execute("DROP TABLE metric_value_replacement")


def _columns(model, names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def metric_staged_import_apply(
    *, staged: StagedImport, user, expected_fingerprint: str
) -> ImportResult:
    """Apply a staged upload after checking it again against the figures held now."""
    with transaction.atomic():
        result = metric_file_import(
            content=bytes(staged.content),
            file_name=staged.file_name,
            via=MetricImport.Via.UPLOAD,
            user=user,
            only_area=staged.area,
            expected_fingerprint=expected_fingerprint,
        )
        staged_import_mark_applied(staged=staged)
    return result


@transaction.atomic
def metric_catalogue_ensure() -> int:
    """Add any catalogue metric the database lacks (as after a test database is flushed);
    metrics already there, edited or not, are left alone. Returns how many were added."""
    held = set(Metric.objects.values_list("code", flat=True))
    missing = [
        Metric(code=entry["code"], **catalogue_fields(order, entry))
        for order, entry in enumerate(CATALOGUE, start=1)
        if entry["code"] not in held
    ]
    Metric.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def spc_recalculation_add(
    *, area: Area, metric: Metric, month: Month, reason: str, user
) -> SpcRecalculation:
    """Start a new SPC baseline for the metric from `month`; the reason is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the reason for the recalculation: it is shown on the chart.")
    recalculation, _ = SpcRecalculation.objects.update_or_create(
        area=area,
        metric=metric,
        month=month,
        defaults={"reason": reason, "created_by": user, "created": timezone.now()},
    )
    return recalculation


@transaction.atomic
def spc_recalculation_remove(*, recalculation: SpcRecalculation) -> None:
    recalculation.delete()
