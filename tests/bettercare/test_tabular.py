"""Reading uploaded CSV and XLSX files into numbered rows."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from bettercare.tabular import FileRefused, Problems, has_extra_cells, read_rows

COLUMNS = ["area", "metric", "period", "value"]
OPTIONAL = ["note"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_rows_carry_their_line_numbers_and_skip_blank_lines():
    data = (
        "\ufeffArea, Metric ,period,value\r\n"
        "E06000045,nel_admissions,2018-08,2100\r\n"
        "\r\n"
        ",,,\r\n"
        'E06000045,dtoc_rate,2018-08,"4.5"\r\n'
    ).encode()
    rows = read_rows(data, file_name="m.csv", columns=COLUMNS, optional=OPTIONAL)
    assert [row.line for row in rows] == [2, 5]
    assert rows[0]["metric"] == "nel_admissions"
    assert rows[0]["note"] == ""  # optional column absent: empty
    assert rows[1]["value"] == "4.5"


def test_line_numbers_count_quoted_newlines_as_a_spreadsheet_would_show_them():
    data = b'area,metric,period,value,note\nA,m,2018-08,1,"two\nlines"\nB,m,2018-08,2,\n'
    rows = read_rows(data, file_name="m.csv", columns=COLUMNS, optional=OPTIONAL)
    assert [(row.line, row["area"]) for row in rows] == [(2, "A"), (4, "B")]
    assert rows[0]["note"] == "two\nlines"


def test_windows_1252_csv_is_read():
    data = "area,metric,period,value,note\nA,m,2018-08,1,£5k\n".encode("cp1252")
    rows = read_rows(data, file_name="m.csv", columns=COLUMNS, optional=OPTIONAL)
    assert rows[0]["note"] == "£5k"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"area,metric,value\n", "missing column period"),
        (b"area,metric,period,value,colour\n", "unknown column colour"),
        (b"area,metric,period,value,value\n", "appears more than once"),
        (b"\x00\x01\x02area", "not a CSV or XLSX"),
        (b"PK\x03\x04 not really a zip", "not a CSV file or a readable XLSX"),
    ],
)
def test_unusable_files_are_refused_whole(data, message):
    with pytest.raises(FileRefused, match=message):
        read_rows(data, file_name="m.csv", columns=COLUMNS, optional=OPTIONAL)


def test_xlsx_cells_read_as_typed():
    data = xlsx(
        [
            ["area", "metric", "period", "value", "note"],
            ["E06000045", "nel_admissions", dt.datetime(2018, 8, 1), 2100.0, None],
            ["E06000045", "dtoc_rate", "2018-08", 4.55, "provisional"],
            [None, None, None, None, None],
            ["E06000045", "x", dt.date(2018, 8, 15), 1300000, True],
        ]
    )
    rows = read_rows(data, file_name="m.xlsx", columns=COLUMNS, optional=OPTIONAL)
    assert [row.line for row in rows] == [2, 3, 5]
    assert rows[0]["period"] == "2018-08"  # Excel's date for a typed month
    assert rows[0]["value"] == "2100"
    assert rows[1]["value"] == "4.55"
    assert rows[2]["period"] == "2018-08-15"
    assert rows[2]["note"] == "TRUE"


def test_cells_beyond_the_header_are_flagged_for_the_caller():
    rows = read_rows(
        b"area,metric,period,value\nA,m,2018-08,1,surprise\n", file_name="m.csv", columns=COLUMNS
    )
    assert has_extra_cells(rows[0])


def test_problems_refuse_the_file_listing_every_row_in_line_order():
    problems = Problems()
    problems.add(9, "value 'x' is not a number", "value")
    problems.add(3, "metric 'abc' is not in the catalogue", "metric")
    with pytest.raises(FileRefused) as refused:
        problems.refuse_if_any("m.csv")
    assert "2 rows have problems" in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert refused.value.report().splitlines()[1:] == [
        "  Line 3: metric 'abc' is not in the catalogue",
        "  Line 9: value 'x' is not a number",
    ]
    Problems().refuse_if_any("clean.csv")  # no problems: no refusal
