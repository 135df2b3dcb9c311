"""Financial-year period arithmetic and parsing: pure, no database."""

import datetime as dt

import pytest

from bettercare.periods import (
    FinancialYear,
    Month,
    PeriodError,
    Quarter,
    parse_financial_year,
    parse_month,
    parse_period,
    parse_quarter,
)

FY18 = FinancialYear(2018)


@pytest.mark.parametrize(
    ("month", "number", "quarter", "year"),
    [
        (Month(2018, 4), 1, "2018-19-Q1", "2018-19"),  # April opens the year
        (Month(2018, 6), 3, "2018-19-Q1", "2018-19"),
        (Month(2018, 7), 4, "2018-19-Q2", "2018-19"),
        (Month(2018, 8), 5, "2018-19-Q2", "2018-19"),
        (Month(2018, 12), 9, "2018-19-Q3", "2018-19"),
        (Month(2019, 1), 10, "2018-19-Q4", "2018-19"),
        (Month(2019, 3), 12, "2018-19-Q4", "2018-19"),  # March closes it
        (Month(2019, 4), 1, "2019-20-Q1", "2019-20"),  # and April starts the next
    ],
)
def test_month_number_quarter_and_year(month, number, quarter, year):
    assert month.number == number
    assert str(month.quarter) == quarter
    assert str(month.financial_year) == year


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2019, 3, 31), "2018-19"),
        (dt.date(2019, 4, 1), "2019-20"),
        (dt.date(2018, 1, 1), "2017-18"),
    ],
)
def test_financial_year_of_a_day_across_the_march_april_boundary(day, year):
    assert str(FinancialYear.of(day)) == year
    assert FinancialYear.of(day).contains(day)


def test_financial_year_bounds_and_labels():
    assert FY18.start == dt.date(2018, 4, 1)
    assert FY18.end == dt.date(2019, 3, 31)
    assert FY18.label == "2018/19"
    assert str(FinancialYear(2099)) == "2099-00"
    assert [str(m) for m in FY18.months()][:2] == ["2018-04", "2018-05"]
    assert str(FY18.months()[-1]) == "2019-03"
    assert len(FY18.months()) == 12


@pytest.mark.parametrize(
    ("quarter", "months", "start", "end"),
    [
        (Quarter(FY18, 1), ["2018-04", "2018-05", "2018-06"], "2018-04-01", "2018-06-30"),
        (Quarter(FY18, 2), ["2018-07", "2018-08", "2018-09"], "2018-07-01", "2018-09-30"),
        (Quarter(FY18, 3), ["2018-10", "2018-11", "2018-12"], "2018-10-01", "2018-12-31"),
        (Quarter(FY18, 4), ["2019-01", "2019-02", "2019-03"], "2019-01-01", "2019-03-31"),
    ],
)
def test_quarter_months_and_dates(quarter, months, start, end):
    assert [str(m) for m in quarter.months()] == months
    assert quarter.start.isoformat() == start
    assert quarter.end.isoformat() == end


def test_quarter_labels_and_neighbours():
    q2 = Quarter(FY18, 2)
    assert q2.label == "Quarter Two 2018/19"
    assert q2.short_label == "Q2 2018/19"
    assert str(Quarter(FY18, 1).previous()) == "2017-18-Q4"
    assert str(Quarter(FY18, 4).next()) == "2019-20-Q1"
    assert str(q2.same_period_last_year()) == "2017-18-Q2"
    assert q2.data_month.data_label == "Month 5, 31 August 2018"
    assert str(Quarter(FY18, 4).data_month) == "2019-02"


@pytest.mark.parametrize(
    ("day", "reported"),
    [
        (dt.date(2018, 9, 30), "2018-19-Q2"),  # the quarter's last day: it has ended
        (dt.date(2018, 10, 1), "2018-19-Q2"),
        (dt.date(2018, 9, 29), "2018-19-Q1"),
        (dt.date(2019, 4, 15), "2018-19-Q4"),
    ],
)
def test_quarter_being_reported_is_the_last_one_ended(day, reported):
    assert str(Quarter.last_ended_before(day)) == reported


def test_month_arithmetic_same_period_last_year_and_year_to_date():
    august = Month(2018, 8)
    assert str(august.same_period_last_year()) == "2017-08"
    assert str(Month(2019, 1).previous()) == "2018-12"
    assert str(Month(2018, 12).next()) == "2019-01"
    assert [str(m) for m in august.year_to_date()] == [
        "2018-04", "2018-05", "2018-06", "2018-07", "2018-08",
    ]
    assert [str(m) for m in Month(2019, 4).year_to_date()] == ["2019-04"]
    assert Month(2019, 2).last_day == dt.date(2019, 2, 28)
    assert Month(2020, 2).last_day == dt.date(2020, 2, 29)
    assert august.data_label == "Month 5, 31 August 2018"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q4 2017-18", "2017-18-Q4"),
        ("Qtr 4 2017/18", "2017-18-Q4"),
        ("qtr 4 2017/18", "2017-18-Q4"),
        ("Quarter 4 2017/18", "2017-18-Q4"),
        ("Quarter Two 2018/19", "2018-19-Q2"),
        ("Q2 18/19", "2018-19-Q2"),
        ("2018-19-Q2", "2018-19-Q2"),
        ("2018/19 Q2", "2018-19-Q2"),
        ("18/19", "2018-19"),
        ("2018/19", "2018-19"),
        ("2018-19", "2018-19"),
        ("2018/2019", "2018-19"),
        ("FY 2018-19", "2018-19"),
        ("2018-08", "2018-08"),
        ("2018-8", "2018-08"),
        ("  2019-03 ", "2019-03"),
    ],
)
def test_parse_period_accepts_the_forms_documents_use(text, expected):
    assert str(parse_period(text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q5 2018-19", "not a period this system understands"),
        ("18/20", "the second year must follow the first"),
        ("2018/2020", "must follow"),
        ("2018/2020 Q1", "must follow"),
        ("2018-13", "neither a month"),
        ("August 2018", "not a period this system understands"),
        ("", "not a period this system understands"),
        ("1850-51", "outside the years"),
    ],
)
def test_parse_period_refuses_anything_else_with_a_clear_message(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_specific_parsers_say_which_form_they_expect():
    with pytest.raises(PeriodError, match="2018-19-Q2"):
        parse_quarter("2018-19")
    with pytest.raises(PeriodError, match="2018-19"):
        parse_financial_year("2018-19-Q2")
    with pytest.raises(PeriodError, match="2018-08"):
        parse_month("2018-19-Q2")
    with pytest.raises(PeriodError, match="not a period"):
        parse_period(None)


def test_periods_order_in_time():
    assert Month(2018, 12) < Month(2019, 1)
    assert Quarter(FY18, 4) < Quarter(FinancialYear(2019), 1)
    assert sorted([FinancialYear(2019), FY18]) == [FY18, FinancialYear(2019)]
