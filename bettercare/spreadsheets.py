"""XLSX exports people can work with, and CSV exports of the same values.

A table's export value (django-tables2's `value_<column>`) is the figure itself: a Decimal for
money or a count, a date for a date. The XLSX export writes it as a number or a date with a
format (pounds, percentages, one decimal place for rates), a bold frozen header row, a filter
and column widths; the CSV export writes the same values unformatted (`1374000.00`,
`2018-07-20`). Where a column's format depends on the row (a metric counted in people or
measured as a percentage), the value is a `Figure` carrying its own format.

Text is always written as text: a cell that a spreadsheet would read as a formula (`=`, `+`,
`-`, `@`) gets a leading apostrophe (`bettercare.exports.neutralised`, the one rule every
export keeps) and is never stored as a formula, so an export cannot run. `FormattedTableExport`
is a `SafeTableExport`: it adds types and formats to what that export makes safe.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .exports import SafeTableExport, neutralised

# Number formats, as Excel (and LibreOffice) name them.
POUNDS = '"£"#,##0.00;("£"#,##0.00)'  # an underspend in brackets, as the boards write it
WHOLE_POUNDS = '"£"#,##0;("£"#,##0)'
COUNT = "#,##0"
RATE = "#,##0.0"  # rates per 100,000 and the like: one decimal place
PERCENT = '0.0"%"'  # the value is already a percentage (86.2 is 86.2%), as the CSV gives it
PERCENT_2 = '0.00"%"'
DATE = "d mmm yyyy"
DATE_TIME = "d mmm yyyy hh:mm"



@dataclass(frozen=True)
class Figure:
    """A number with the format it is shown in, for a column whose format varies by row."""

    value: Decimal | int | float | None
    number_format: str

    def __str__(self) -> str:
        """What a CSV export writes: the value unformatted, without trailing zeros (12020,
        86.2), never in exponent form."""
        if self.value is None:
            return ""
        if isinstance(self.value, Decimal):
            text = f"{self.value.normalize():f}"
            return "0" if text in ("-0", "") else text
        return str(self.value)


def inert(value: str) -> str:
    """Text that a spreadsheet would calculate, made plain text."""
    return neutralised(value)


def plain(value):
    """A value as the CSV export writes it."""
    if isinstance(value, Figure):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return inert(value)
    return value


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    # Number format by column header, for plain numbers; Figures carry their own.
    formats: Mapping[str, str] | None = None


def _width(value) -> int:
    if isinstance(value, Figure):
        value = value.value
    if isinstance(value, dt.datetime):
        return 17
    if isinstance(value, dt.date):
        return 12
    if isinstance(value, Decimal | int | float):
        return len(f"{value:,.2f}") + 2
    return max((len(line) for line in str(value or "").split("\n")), default=0)


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook of the sheets, each with a frozen, bold, filterable header."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        # Excel refuses \ / ? * [ ] : in a sheet's name (Q2 2018/19 becomes Q2 2018-19).
        title = re.sub(r"[\\/?*\[\]:]", "-", sheet.title)[:31]
        ws = book.create_sheet(title or "Sheet")
        headers = [force_str(header) for header in sheet.headers]
        ws.append([inert(header) for header in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(header) for header in headers]
        formats = sheet.formats or {}
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = ws.cell(row=row_number, column=column)
                header = headers[column - 1] if column <= len(headers) else ""
                _write(cell, value, formats.get(header))
                widths[column - 1] = max(widths[column - 1], _width(value))
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(cell, value, number_format: str | None) -> None:
    if isinstance(value, Figure):
        number_format, value = value.number_format, value.value
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, Decimal | int | float):
        cell.value = value
        cell.number_format = number_format or ("0.00" if isinstance(value, Decimal) else "0")
    elif isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATE_TIME
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE
    else:
        cell.value = inert(force_str(value))
        cell.data_type = "s"  # text, never a formula
        if "\n" in cell.value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _unescaped(value):
    # A column exported from its rendered HTML has its tags stripped but keeps its escapes.
    return html.unescape(value) if isinstance(value, str) else value


class FormattedTableExport(SafeTableExport):
    """django-tables2's export, made safe by `SafeTableExport`, with typed XLSX cells: a table
    may declare `xlsx_formats`, a number format for each column by name (money, counts,
    dates), and its `value_<column>` methods return the figures themselves (or `Figure`s where
    the format varies by row)."""

    def __init__(self, export_format, table, exclude_columns=None, dataset_kwargs=None):
        self.table = table
        self.exclude_columns = exclude_columns
        self.title = (dataset_kwargs or {}).get("title") or "Export"
        super().__init__(export_format, table, exclude_columns, dataset_kwargs)

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        # Safe (neutralised, unescaped) first; then each value as the CSV writes it.
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        cleaned = type(dataset)(title=dataset.title)
        cleaned.headers = dataset.headers
        for row in dataset:
            cleaned.append([plain(value) for value in row])
        return cleaned

    def export(self):
        if self.format != self.XLSX:
            return super().export()
        return workbook([table_sheet(self.table, self.title, self.exclude_columns)])


def table_sheet(table, title: str, exclude_columns: Iterable[str] | None = None) -> Sheet:
    """A table's export as a sheet with typed cells (see `FormattedTableExport`): for a
    workbook of several tables, as the board pack's. As Table.as_values, without turning the
    values into text on the way."""
    excluded = set(exclude_columns or ())
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in excluded)
    ]
    headers = [force_str(column.header, strings_only=True) for column in columns]
    rows = [
        [_unescaped(row.get_cell_value(column.name)) for column in columns] for row in table.rows
    ]
    by_name = getattr(table, "xlsx_formats", {})
    formats = {
        header: by_name[column.name]
        for header, column in zip(headers, columns, strict=True)
        if column.name in by_name
    }
    return Sheet(title, headers, rows, formats)
