"""Templates to fill in for an import: the header, an example row, and what each column holds.

Pure Python (csv, openpyxl), no Django. The CSV is the header and the example row; the XLSX has
the same on its first sheet ("Data", the one an import reads) with a frozen header and column
widths, and a second sheet ("Columns") describing each column. Every cell is written as text, so
an example such as `=1` or a code with leading zeros arrives in the template as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    description: str
    required: bool = True


def _inert(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it as the text it is.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def template_csv(columns: Sequence[TemplateColumn], example: Mapping[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    writer.writerow([_inert(str(example.get(column.name, ""))) for column in columns])
    # UTF-8 with a byte order mark, so Excel opens it with £ and accents intact.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(
    columns: Sequence[TemplateColumn], example: Mapping[str, str], *, title: str
) -> bytes:
    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    data.append([column.name for column in columns])
    data.append([str(example.get(column.name, "")) for column in columns])
    for cell in data[2]:
        cell.data_type = "s"  # text, never a formula or a date guessed from it
        cell.number_format = "@"
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = max(len(column.name), len(str(example.get(column.name, "")))) + 4
        data.column_dimensions[data.cell(row=1, column=index).column_letter].width = width

    described = workbook.create_sheet("Columns")
    described.append(["Column", "Required", "What to put in it"])
    for cell in described[1]:
        cell.font = Font(bold=True)
    for column in columns:
        described.append([column.name, "yes" if column.required else "no", column.description])
    described.append([])
    described.append(
        [
            "",
            "",
            f"{title}. Row 2 of the Data sheet is an example: replace it with your rows, keep "
            "the header row as it is, and upload the file as XLSX or CSV.",
        ]
    )
    described.freeze_panes = "A2"
    described.column_dimensions["A"].width = 18
    described.column_dimensions["B"].width = 10
    described.column_dimensions["C"].width = 90
    for row in described.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
