"""Reading CSV and XLSX files of rows for imports, and naming what is wrong with them.

Pure Python (csv, zipfile, openpyxl), no Django. Imports check a whole file before writing
anything: this module turns the upload into rows that each carry their line number, so every
problem can be reported as "Line 14: ...", as a person would find it in Excel.

Every file is read within a budget (`Limits`): columns, rows, the size of a cell, an XLSX
file's declared sheet size and the unpacked size of every part of its zip archive (read from
the archive's directory before anything is unpacked), and the time spent reading. A file that
goes beyond one is refused at once with a message saying which, so that no upload can tie up
the server's memory or time, whatever engine checks its rows afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

# A page lists this many problems of a refused file (and says how many there are in all).
PROBLEMS_SHOWN = 100


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may ask of the server."""

    columns: int = 50
    rows: int = 200_000  # lines (CSV) or sheet rows (XLSX), the header and blank ones included
    cell_characters: int = 10_000
    seconds: float = 30.0
    # XLSX: a zip archive. Its parts are checked in its directory before any is unpacked.
    xlsx_unpacked_bytes: int = 120 * 1024 * 1024  # all parts together
    xlsx_part_bytes: int = 25 * 1024 * 1024  # any part other than the sheets (shared strings)
    xlsx_parts: int = 500


LIMITS = Limits()


@dataclass(frozen=True, slots=True)
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
    """The file cannot be used at all (not CSV or XLSX, no header, missing columns, beyond a
    limit), or has rows with problems; `problems` lists every bad row."""

    def __init__(self, message: str, problems: Iterable[RowProblem] = ()):
        self.problems = sorted(problems)
        super().__init__(message)

    @property
    def problems_shown(self) -> list[RowProblem]:
        """The first problems, as many as a page lists."""
        return self.problems[:PROBLEMS_SHOWN]

    @property
    def problems_not_shown(self) -> int:
        return max(0, len(self.problems) - PROBLEMS_SHOWN)

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
    limits: Limits = LIMITS,
) -> list[Row]:
    """The data rows of a CSV or XLSX file whose header names `columns` (all required) and any
    of `optional`. Column names are matched without regard to case or surrounding spaces; blank
    rows are skipped. A file beyond `limits` is refused (`FileRefused`) as soon as that shows."""
    if not data.strip():
        raise FileRefused(f"{file_name} is empty.")
    if _is_xlsx(data, file_name):
        table = _xlsx_table(data, file_name, limits)
    else:
        table = _csv_table(data, file_name, limits)
    table = _within_budget(table, file_name, limits)

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
    counts = Counter(name for name in names if name)  # one pass: a header may be long
    duplicated = sorted(name for name, count in counts.items() if count > 1)
    if duplicated:
        raise FileRefused(f"{file_name}: column {', '.join(duplicated)} appears more than once.")

    rows = []
    # Files repeat the same codes and periods on every row: one string object each keeps a
    # large file's rows a fraction of the memory.
    same: dict[str, str] = {}
    blank = dict.fromkeys(known, "")
    named = [(index, name) for index, name in enumerate(names) if name]
    width = len(names)
    for line, cells in table:
        if not "".join(cells).strip():
            continue
        values = blank.copy()
        count = len(cells)
        for index, name in named:
            if index < count:
                text = cells[index].strip()
                values[name] = same.setdefault(text, text) if len(text) <= 32 else text
        if count > width and "".join(cells[width:]).strip():
            values["__extra__"] = "yes"  # reported by the caller as a row problem
        rows.append(Row(line, values))
    return rows


def has_extra_cells(row: Row) -> bool:
    return "__extra__" in row.values


def _is_xlsx(data: bytes, file_name: str) -> bool:
    # XLSX is a zip archive; anything starting like one is treated as a workbook.
    return file_name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def _within_budget(table: Iterator, file_name: str, limits: Limits) -> Iterator:
    """The table's rows, refusing the file when it has too many rows or columns, or takes too
    long to read. Checked row by row, so a refusal comes before the rest is read."""
    started = time.monotonic()
    for count, (line, cells) in enumerate(table, start=1):
        if count > limits.rows:
            raise FileRefused(
                f"{file_name} has more than {limits.rows:,} rows. Nothing was imported; split "
                "it into smaller files."
            )
        if len(cells) > limits.columns:
            if "".join(cells[limits.columns :]).strip():
                raise _too_many_cells(file_name, line, limits)
            cells = cells[: limits.columns]
        if count % 1000 == 0 and time.monotonic() - started > limits.seconds:
            raise FileRefused(
                f"{file_name} took longer than {limits.seconds:.0f} seconds to read, by line "
                f"{line}. Nothing was imported; split it into smaller files."
            )
        yield line, cells


def _too_many_cells(file_name: str, line: int, limits: Limits) -> FileRefused:
    what = "the header row (line 1)" if line == 1 else f"line {line}"
    return FileRefused(
        f"{file_name}: {what} has more than {limits.columns} cells; the files have a few "
        "columns. Nothing was imported; check that it is the right file."
    )


def _csv_table(data: bytes, file_name: str, limits: Limits):
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limits.rows:
        raise FileRefused(
            f"{file_name} has {lines:,} lines, more than the {limits.rows:,} an import takes. "
            "Nothing was imported; split it into smaller files."
        )
    if b"\x00" in data:
        raise FileRefused(f"{file_name} is not a CSV or XLSX file.")
    # Checked whole first, then read as a stream: a decoded copy of the file (or a StringIO's,
    # four bytes a character) would cost several times the upload's size in memory.
    encoding = "utf-8-sig"
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252; £ signs are the usual casualty.
        encoding = "cp1252"
        try:
            data.decode(encoding)
        except UnicodeDecodeError as error:
            raise FileRefused(
                f"{file_name} is not a text CSV file (save it as CSV UTF-8 or XLSX)."
            ) from error
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    # strict: a stray quote is an error, and so is a quote never closed, rather than a cell
    # that quietly swallows the rest of the file.
    reader = csv.reader(text, strict=True)
    start = 1
    header_width = 0
    try:
        for cells in reader:
            if reader.line_num > start:  # a quoted cell ran over several lines
                _check_multiline_cells(cells, start, header_width, file_name)
            if cells and max(map(len, cells)) > limits.cell_characters:
                raise FileRefused(
                        f"{file_name}: line {start} has a cell of more than "
                        f"{limits.cell_characters:,} characters; check for a missing closing "
                        'quote (").'
                    )
            header_width = header_width or len(cells)
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise FileRefused(
                f"{file_name}: line {start} has a quote (\") that opens a cell and is never "
                "closed, so the rest of the file would be read into that cell. Nothing was "
                "imported; add the closing quote or remove the opening one."
            ) from error
        raise FileRefused(
            f"{file_name}: line {reader.line_num} cannot be read ({error}). Nothing was "
            'imported; a quote (") in a cell must be doubled or the cell quoted whole.'
        ) from error


def _check_multiline_cells(cells, start: int, header_width: int, file_name: str) -> None:
    """A cell may hold line breaks (Alt+Enter in Excel), but one whose later lines look like
    rows of the file (as many commas as the header) is a quote left open by mistake."""
    if header_width < 2:
        return
    for cell in cells:
        continuation = cell.split("\n")[1:]
        if any(part.count(",") >= header_width - 1 for part in continuation):
            raise FileRefused(
                f"{file_name}: line {start} has a quoted cell that runs on over lines that "
                "look like rows of their own. Nothing was imported; check for a missing "
                'closing quote (").'
            )


def _xlsx_check_archive(data: bytes, file_name: str, limits: Limits) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits, from the sizes its zip
    directory declares (zipfile never unpacks more than an entry declares: it fails the
    entry's checksum instead), or whose large sheets do not declare their size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused(f"{file_name} is not a CSV file or a readable XLSX workbook.") from error
    with archive:
        entries = archive.infolist()
        refused = f"{file_name} was not imported: it is not a workbook of the size imports take"
        if len(entries) > limits.xlsx_parts:
            raise FileRefused(f"{refused} ({len(entries):,} parts in its archive).")
        total = sum(entry.file_size for entry in entries)
        if total > limits.xlsx_unpacked_bytes:
            raise FileRefused(
                f"{refused}: it would unpack to {total / 1024**2:,.0f} MB (at most "
                f"{limits.xlsx_unpacked_bytes / 1024**2:,.0f} MB). Save it as CSV, or split it."
            )
        for entry in entries:
            name = entry.filename
            sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if not sheet and entry.file_size > limits.xlsx_part_bytes:
                raise FileRefused(
                    f"{refused}: its part {name} would unpack to "
                    f"{entry.file_size / 1024**2:,.0f} MB. Save it as CSV, or split it."
                )
            if sheet and entry.file_size > _SMALL_SHEET_BYTES:
                _check_declared_size(archive, entry, file_name)


def _check_declared_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, file_name: str):
    """A large sheet must declare its size (openpyxl would otherwise read all of it, into
    memory, to learn it), and must not be far larger than it declares (a sheet that claims
    ten rows and holds millions would be read to the row limit before anything showed)."""
    again = "Open it in a spreadsheet and save it again, or save it as CSV."
    ref = _declared_dimension(archive, entry)
    if ref is None:
        raise FileRefused(
            f"{file_name} was not imported: a sheet of its workbook does not declare its "
            f"size, as Excel and other spreadsheets do. {again}"
        )
    try:
        _min_col, _min_row, _max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        max_row = None
    if max_row is None or entry.file_size > _SMALL_SHEET_BYTES + max_row * _MAX_ROW_BYTES:
        raise FileRefused(
            f"{file_name} was not imported: a sheet of its workbook holds more than the size "
            f"it declares ({ref}). {again}"
        )


# A sheet part this small is read quickly whatever it declares; a row of at most 50 cells
# takes no more than this in a sheet's XML (long text sits in the shared strings).
_SMALL_SHEET_BYTES = 1024 * 1024
_MAX_ROW_BYTES = 16 * 1024


def _declared_dimension(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> str | None:
    """The sheet's <dimension ref> if it comes before its data, reading only as far as that
    (a few kilobytes of a well-formed sheet)."""
    parser = ElementTree.XMLPullParser(events=("start",))
    with archive.open(entry) as part:
        while chunk := part.read(16 * 1024):
            try:
                parser.feed(chunk)
            except ElementTree.ParseError:
                return None
            for _event, element in parser.read_events():
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "dimension":
                    return element.get("ref")
                if tag == "sheetData":
                    return None
    return None


def _xlsx_table(data: bytes, file_name: str, limits: Limits):
    _xlsx_check_archive(data, file_name, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign file
        raise FileRefused(
            f"{file_name} is not a CSV file or a readable XLSX workbook ({error})."
        ) from error
    try:
        if not workbook.worksheets:
            raise FileRefused(f"{file_name} has no sheet.")
        sheet = workbook.worksheets[0]
        # openpyxl trusts the sheet's declared size and pads every row to it: a few bytes
        # declaring A1:XFD1048576 would cost minutes. Refuse a size beyond the limits, then
        # read the rows as they are (each checked as it comes).
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > limits.rows or columns > limits.columns:
            raise FileRefused(
                f"{file_name}: its first sheet declares {rows:,} rows and {columns:,} columns "
                f"(at most {limits.rows:,} rows and {limits.columns} columns). Nothing was "
                "imported; copy the data into a new sheet, or save it as CSV."
            )
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(cells) > limits.columns and any(
                cell is not None and _cell_text(cell).strip() for cell in cells[limits.columns :]
            ):
                raise _too_many_cells(file_name, number, limits)
            yield number, [_cell_text(cell) for cell in cells[: limits.columns]]
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
