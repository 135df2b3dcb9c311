"""Reading CSV and XLSX files of rows for imports, and naming what is wrong with them.

Pure Python (csv, openpyxl), no Django. Imports check a whole file before writing anything: this
module turns the upload into rows that each carry their line number, so every problem can be
reported as "Line 14: ...", as a person would find it in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl import load_workbook


@dataclass(frozen=True)
class Row:
    """One row of an uploaded file: `line` is the line (CSV) or row (XLSX) number, counting the
    header as 1, and `values` maps each column name to its text, stripped ('' when empty)."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True, order=True)
class RowProblem:
    line: int
    message: str
    column: str = ""

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


class FileRefused(ValueError):
    """The file cannot be used at all (not CSV or XLSX, no header, missing columns), or has rows
    with problems; `problems` lists every bad row."""

    def __init__(self, message: str, problems: Iterable[RowProblem] = ()):
        self.problems = sorted(problems)
        super().__init__(message)

    def report(self) -> str:
        """The refusal and every problem, one per line, for the command line."""
        lines = [str(self)]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


@dataclass
class Problems:
    """Collects row problems while a file is checked; `refuse_if_any` ends the check."""

    items: list[RowProblem] = field(default_factory=list)

    def add(self, row: Row | int, message: str, column: str = "") -> None:
        line = row.line if isinstance(row, Row) else row
        self.items.append(RowProblem(line, message, column))

    def __bool__(self) -> bool:
        return bool(self.items)

    def refuse_if_any(self, file_name: str) -> None:
        if self.items:
            count = len({problem.line for problem in self.items})
            rows = "row has" if count == 1 else "rows have"
            raise FileRefused(
                f"{file_name} was not imported: {count} {rows} problems. Nothing was changed; "
                "correct the rows below and upload the whole file again.",
                self.items,
            )


def read_rows(
    data: bytes,
    *,
    file_name: str,
    columns: Sequence[str],
    optional: Sequence[str] = (),
) -> list[Row]:
    """The data rows of a CSV or XLSX file whose header names `columns` (all required) and any
    of `optional`. Column names are matched without regard to case or surrounding spaces; blank
    rows are skipped."""
    if not data.strip():
        raise FileRefused(f"{file_name} is empty.")
    if _is_xlsx(data, file_name):
        table = _xlsx_table(data, file_name)
    else:
        table = _csv_table(data, file_name)

    header_line, header = next(table, (0, None))
    if header is None:
        raise FileRefused(f"{file_name} has no header row.")
    names = [cell.strip().lower() for cell in header]
    known = [*columns, *optional]
    missing = [column for column in columns if column not in names]
    unknown = [name for name in names if name and name not in known]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        raise FileRefused(
            f"{file_name}: the header row (line {header_line}) has {' and '.join(parts)}. "
            f"The columns are: {','.join(known)}."
        )
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        raise FileRefused(f"{file_name}: column {', '.join(duplicated)} appears more than once.")

    rows = []
    for line, cells in table:
        if not any(cell.strip() for cell in cells):
            continue
        values = dict.fromkeys(known, "")
        for name, cell in zip(names, cells, strict=False):
            if name:
                values[name] = cell.strip()
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            values["__extra__"] = "yes"  # reported by the caller as a row problem
        rows.append(Row(line, values))
    return rows


def has_extra_cells(row: Row) -> bool:
    return "__extra__" in row.values


def _is_xlsx(data: bytes, file_name: str) -> bool:
    # XLSX is a zip archive; anything starting like one is treated as a workbook.
    return file_name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def _csv_table(data: bytes, file_name: str):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252; £ signs are the usual casualty.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise FileRefused(
                f"{file_name} is not a text CSV file (save it as CSV UTF-8 or XLSX)."
            ) from error
    if "\x00" in text:
        raise FileRefused(f"{file_name} is not a CSV or XLSX file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            f"{file_name}: line {reader.line_num} cannot be read ({error})."
        ) from error


def _xlsx_table(data: bytes, file_name: str):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign file
        raise FileRefused(
            f"{file_name} is not a CSV file or a readable XLSX workbook ({error})."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(cell) for cell in cells]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        # Excel turns a typed 2018-08 or Aug-18 into the 1st of the month.
        if value.day == 1 and (not isinstance(value, dt.datetime) or value.time() == dt.time()):
            return f"{value.year:04d}-{value.month:02d}"
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)  # the shortest text that reads back as the same number
    return str(value)


class PreviewOutdated(Exception):
    """What a file would change moved after its preview was shown (someone imported meanwhile):
    the person must look at the new preview before applying it."""
