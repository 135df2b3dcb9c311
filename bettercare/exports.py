"""CSV and XLSX exports that cannot run: every app's table export goes through here (views
with django-tables2's ExportMixin set `export_class = SafeTableExport`; a test checks them all).

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula, and a formula can fetch and send data (`=HYPERLINK(...)`,
`=WEBSERVICE(...)`). Text typed by people (a report's author, a caveat, a commentary) reaches
the exports, so each such cell gets a leading apostrophe: shown as text, never calculated.
Numbers stay numbers, including a negative number written as text ("-5"). Cells are text, not
HTML: django-tables2 exports a rendered column with its tags stripped, which leaves its
escapes (`Don&#x27;t`); they are turned back into the characters they stand for.
"""

from __future__ import annotations

import html
import re

import tablib
from django_tables2.export import TableExport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


def neutralised(value):
    """The cell as an export may write it: text that a spreadsheet would calculate is made
    plain text; anything else (numbers, dates, empty cells) is unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def dataset_neutralised(dataset: tablib.Dataset, *, from_html: bool = False) -> tablib.Dataset:
    """A copy of the dataset with every cell (headers included) `neutralised`; with
    `from_html`, text cells are also unescaped from HTML first."""

    def cell(value):
        if from_html and isinstance(value, str):
            value = html.unescape(value)
        return neutralised(value)

    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = [cell(header) for header in dataset.headers]
    for row in dataset:
        safe.append([cell(value) for value in row])
    return safe


class SafeTableExport(TableExport):
    """django-tables2's export, with cells that cannot run and text that is not HTML."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        return dataset_neutralised(dataset, from_html=True)

