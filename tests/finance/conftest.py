"""Finance fixtures: Southampton with three schemes, and finance files written as analysts do."""

import csv
import io

import pytest
from openpyxl import Workbook

from bettercare.periods import FinancialYear
from finance.services import finance_file_import
from tests.factories import SchemeFactory

COLUMNS = ["area", "financial_year", "scheme", "partner", "kind", "month", "amount"]


def finance_csv(rows, *, header=COLUMNS) -> bytes:
    """A finance CSV file from rows of cells (the header is line 1)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def finance_xlsx(rows, *, header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


AREA = "E06000045"
# Budgets for 2018/19 and forecasts at Month 4 and Month 5 that tell the boards' story:
# a £0.06M overspend made of a £0.39M CCG overspend and a £0.33M council underspend.
BUDGETS_2018 = [
    [AREA, "2018-19", 1, "CCG", "budget", "", "1240000.00"],
    [AREA, "2018-19", 1, "SCC", "budget", "", "134000.00"],
    [AREA, "2018-19", 2, "CCG", "budget", "", "49120000.00"],
    [AREA, "2018-19", 2, "SCC", "budget", "", "1384000.00"],
    [AREA, "2018-19", 8, "SCC", "budget", "", "£5m"],
]
MONTH_4 = [
    [AREA, "2018-19", 1, "CCG", "forecast", "2018-07", "1240000"],
    [AREA, "2018-19", 1, "SCC", "forecast", "2018-07", "134000"],
    [AREA, "2018-19", 2, "CCG", "forecast", "2018-07", "49420000"],
    [AREA, "2018-19", 2, "SCC", "forecast", "2018-07", "1384000"],
    [AREA, "2018-19", 8, "SCC", "forecast", "2018-07", "4800000"],
]
MONTH_5 = [
    [AREA, "2018-19", 1, "CCG", "forecast", "2018-08", "1240000.00"],
    [AREA, "2018-19", 1, "SCC", "forecast", "2018-08", "104000.00"],
    [AREA, "2018-19", 2, "CCG", "forecast", "2018-08", "£49.51m"],
    [AREA, "2018-19", 2, "SCC", "forecast", "2018-08", "1384000.00"],
    [AREA, "2018-19", 8, "SCC", "forecast", "2018-08", "£4,700,000"],
]


@pytest.fixture
def schemes(area):
    """Carers (1, hosted by the council), Clusters (2, CCG) and Transforming Long Term Care (8)."""
    ccg, scc = area.partners.get(code="CCG"), area.partners.get(code="SCC")
    return {
        1: SchemeFactory(
            area=area, number=1, name="Carers", host=scc, first_year=FinancialYear(2017)
        ),
        2: SchemeFactory(
            area=area, number=2, name="Clusters", host=ccg, first_year=FinancialYear(2017)
        ),
        8: SchemeFactory(
            area=area,
            number=8,
            name="Transforming Long Term Care",
            host=scc,
            first_year=FinancialYear(2017),
        ),
    }


@pytest.fixture
def month5(schemes):
    """Budgets for 2018/19 and the Month 4 and Month 5 forecasts, imported from a file."""
    finance_file_import(data=finance_csv(BUDGETS_2018 + MONTH_4 + MONTH_5), file_name="month5.csv")
    return schemes
