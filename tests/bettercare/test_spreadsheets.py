"""XLSX exports with numbers as numbers, dates as dates, formats, a frozen header and widths;
CSV exports of the same values unformatted; no cell that a spreadsheet would calculate."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
from django.urls import reverse

from bettercare.spreadsheets import COUNT, DATE, PERCENT, POUNDS, Figure, Sheet, plain, workbook


def test_a_workbook_keeps_types_and_formats():
    content = workbook(
        [
            Sheet(
                "Q2 2018/19",
                ["Scheme", "Annual value", "Report date", "Rate", "Count"],
                [
                    [
                        '=HYPERLINK("http://x")',
                        D("1374000.00"),
                        dt.date(2018, 7, 20),
                        Figure(D("86.2"), PERCENT),
                        Figure(D("12020.0000"), COUNT),
                    ],
                    ["-5", D("-33000.00"), None, None, None],
                ],
                formats={"Annual value": POUNDS},
            )
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Q2 2018-19"]  # the slash is not allowed in a sheet's name
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width > 8
    first = list(sheet[2])
    assert first[0].value == '\'=HYPERLINK("http://x")' and first[0].data_type == "s"
    assert (first[1].value, first[1].number_format) == (1374000, POUNDS)
    assert first[2].value.date() == dt.date(2018, 7, 20) and first[2].number_format == DATE
    assert (float(first[3].value), first[3].number_format) == (86.2, PERCENT)
    assert (first[4].value, first[4].number_format) == (12020, COUNT)
    assert sheet["A3"].value == "-5"  # a negative number typed as text stays as typed
    assert sheet["B3"].value == -33000


def test_csv_values_are_the_same_unformatted():
    assert plain(Figure(D("12020.0000"), COUNT)) == "12020"
    assert plain(Figure(D("86.20"), PERCENT)) == "86.2"
    assert plain(dt.date(2018, 7, 20)) == "2018-07-20"
    assert plain("=1+1") == "'=1+1"
    assert plain(D("1374000.00")) == D("1374000.00")


def test_the_quarter_overview_exports(login, analyst, carers, lead, area):
    from bettercare.funding import FundingLine, FundingSource
    from bettercare.periods import Quarter
    from schemes import services

    area.current_quarter = Quarter.parse("2018-19-Q2")
    area.save()
    report = services.highlight_report_start(
        scheme=carers, quarter=Quarter.parse("2018-19-Q1"), user=lead
    )
    services.highlight_report_financial_lines_set(
        report=report,
        user=lead,
        lines=[FundingLine("CCG", FundingSource.NHS, D("1240000.00"), D("1208000.00"))],
    )
    client = login(analyst)
    url = reverse("schemes:overview") + "?quarter=2018-19-Q1&_export="
    rows = list(csv.DictReader(io.StringIO(client.get(url + "csv").content.decode("utf-8-sig"))))
    assert rows[0]["Annual value"] == "1240000.00" and rows[0]["Variance"] == "-32000.00"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "xlsx").content))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    carers_row = dict(zip(header, sheet[2], strict=True))
    assert carers_row["Annual value"].value == 1240000
    assert carers_row["Annual value"].number_format == POUNDS
    assert carers_row["Variance"].value == -32000
    assert carers_row["No."].value == 1
    assert sheet.freeze_panes == "A2"
