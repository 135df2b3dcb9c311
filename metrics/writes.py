"""Writing a metrics file's figures and their history, fast enough for national files.

Figures and history records go in as plain SQL (COPY on PostgreSQL) into the tables
django-simple-history reads, as its own `bulk_create_with_history` and
`bulk_update_with_history` would write them (same table, same record types, so the admin's
history pages show them): through the ORM's bulk methods each value costs tens of microseconds
to prepare, too slow for a file of national figures (the README's benchmarks give the times).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from bettercare.imports import Change, ImportPlan

from .models import MetricImport, MetricValue


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


def figures_write(
    plan: ImportPlan,
    *,
    via: str,
    user,
    reason: str,
    illustrative: bool = False,
    description: str = "",
) -> ImportResult:
    """Record the import and write its new and replaced figures, with their history; nothing
    is recorded for a file that changes nothing."""
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
        reason=reason,
        when=timezone.now(),
    )
    return ImportResult(
        plan.file_name,
        counts[Change.NEW],
        counts[Change.REPLACED],
        counts[Change.UNCHANGED],
        record,
    )


def _write_figures(plan: ImportPlan, *, record: MetricImport, user, reason: str, when) -> None:
    """Insert the new figures, update the replaced ones and add a history record for each."""
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
                [(row.existing, row.value, row.status, row.note, source_id) for row in replaced],
            )
            history.extend(
                (row.existing, *figure(row), history_date, reason, "~", user_id) for row in replaced
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
