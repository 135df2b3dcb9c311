"""Done when: a Month 5 position imported from a file gives, through the summary command, the page
and the export, the same totals, partner and scheme variances and percentages."""

import csv
import io
import json
import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from bettercare.money import format_millions, format_percent, round_half_up
from bettercare.periods import Month
from finance.selectors import finance_position

pytestmark = pytest.mark.django_db


class _TableCells(HTMLParser):
    """The text of each body row of the page's position table."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_table = [], None, None, False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "tr" and "bc-finance-row" in classes:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _money(value) -> D:
    return D(str(value)).quantize(D("0.01"))


def test_summary_page_and_export_agree_on_the_month_5_position(month5, analyst, login, area):
    # The command line.
    out = io.StringIO()
    call_command(
        "finance_summary",
        "--area",
        "E06000045",
        "--month",
        "2018-08",
        "--format",
        "json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert summary == finance_position(area=area, month=Month(2018, 8)).as_dict()
    assert summary["total"]["variance"] == 60000.0
    assert [(p["partner"], p["variance"]) for p in summary["partners"]] == [
        ("CCG", 390000.0),
        ("SCC", -330000.0),
    ]
    expected = {("All schemes", "All partners"): summary["total"]}
    for partner in summary["partners"]:
        expected[("All schemes", partner["partner"])] = partner
    for scheme in summary["schemes"]:
        expected[(scheme["name"], "All partners")] = scheme
        for partner in scheme["partners"]:
            expected[(scheme["name"], partner["partner"])] = partner

    client = login(analyst)
    # The page: every figure of the summary, rounded for display.
    page = client.get("/finance/position/?month=2018-08")
    assert page.status_code == 200
    parser = _TableCells()
    parser.feed(page.content.decode())
    shown = {(row[1], row[2]): row for row in parser.rows}
    assert set(shown) == set(expected)
    for key, figures in expected.items():
        row = shown[key]
        assert row[3] == format_millions(_money(figures["budget"])), key
        assert row[4] == format_millions(_money(figures["forecast"])), key
        variance = _money(figures["variance"])
        assert row[5].startswith(format_millions(variance) if variance else "on budget"), key
        assert row[6] == format_percent(D(str(figures["variance_pct"])), 2), key
    assert "A projected year end overspend of £0.06M" in page.content.decode()

    # The export, CSV and XLSX: the same figures exact to the penny.
    exported = client.get("/finance/position/?month=2018-08&_export=csv")
    assert exported["Content-Disposition"].endswith('finance-position-E06000045-2018-08.csv"')
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    workbook = load_workbook(
        io.BytesIO(client.get("/finance/position/?month=2018-08&_export=xlsx").content)
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    header = sheet_rows[0]
    xlsx_rows = [dict(zip(header, values, strict=True)) for values in sheet_rows[1:]]
    assert len(rows) == len(xlsx_rows) == len(expected)
    for row, xlsx_row in zip(rows, xlsx_rows, strict=True):
        figures = expected[(row["Scheme"], row["Partner"])]
        for column, field in [
            ("Budget", "budget"),
            ("Forecast outturn", "forecast"),
            ("Variance", "variance"),
        ]:
            assert D(row[column]) == _money(figures[field]), (row, column)
            assert D(str(xlsx_row[column])) == _money(figures[field]), (xlsx_row, column)
        assert D(row["% of budget"]) == round_half_up(D(str(figures["variance_pct"])), 2)
