"""Reporting periods of the UK financial year, which runs from April to March.

Pure arithmetic with no Django import. Canonical machine forms:
    financial year  2018-19      (1 April 2018 to 31 March 2019)
    quarter         2018-19-Q2   (July to September 2018)
    month           2018-08      (a calendar month; Month 5 of 2018-19)

Documents write periods many other ways (`Q4 2017-18`, `Qtr 4 2017/18`, `18/19`);
`parse_period` and friends accept those and refuse anything else with a message that says
which forms are understood.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

FIRST_MONTH = 4  # April is Month 1
QUARTER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four"}
_WORD_QUARTERS = {word.lower(): number for number, word in QUARTER_WORDS.items()}

FORMS_UNDERSTOOD = (
    "a financial year like 2018-19 or 2018/19, a quarter like 2018-19-Q2 or Q2 2018/19, "
    "or a month like 2018-08"
)


class PeriodError(ValueError):
    """A period written in a form this system does not understand, or out of range."""


class YearSequenceError(PeriodError):
    """A financial year whose second year does not follow its first (`18/20`)."""


@dataclass(frozen=True, order=True, slots=True)
class FinancialYear:
    start_year: int

    def __post_init__(self) -> None:
        if not 1990 <= self.start_year <= 2100:
            raise PeriodError(f"{self.start_year} is outside the years this system reports on.")

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """As boards write it: 2018/19."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, FIRST_MONTH, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, FIRST_MONTH - 1, 31)

    @classmethod
    def of(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        return parse_financial_year(text)

    def months(self) -> list[Month]:
        first = Month(self.start_year, FIRST_MONTH)
        return [first.plus(offset) for offset in range(12)]

    def quarters(self) -> list[Quarter]:
        return [Quarter(self, number) for number in range(1, 5)]

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in QUARTER_WORDS:
            raise PeriodError(f"Quarter {self.number} does not exist: quarters run from 1 to 4.")

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """As board reports title it: Quarter Two 2018/19."""
        return f"Quarter {QUARTER_WORDS[self.number]} {self.year.label}"

    @property
    def short_label(self) -> str:
        return f"Q{self.number} {self.year.label}"

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return Month.of(day).quarter

    @classmethod
    def parse(cls, text: str) -> Quarter:
        return parse_quarter(text)

    def months(self) -> list[Month]:
        first = Month(self.year.start_year, FIRST_MONTH).plus(3 * (self.number - 1))
        return [first.plus(offset) for offset in range(3)]

    @property
    def first_month(self) -> Month:
        return self.months()[0]

    @property
    def last_month(self) -> Month:
        return self.months()[-1]

    @property
    def start(self) -> dt.date:
        return self.first_month.first_day

    @property
    def end(self) -> dt.date:
        return self.last_month.last_day

    @property
    def data_month(self) -> Month:
        """The month a quarter's board report states its data up to: the quarter's second
        month, because hospital data lags about a month (Q2 reports "up to Month 5")."""
        return self.last_month.previous()

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year.previous(), 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year.next(), 1)
        return Quarter(self.year, self.number + 1)

    def same_period_last_year(self) -> Quarter:
        return Quarter(self.year.previous(), self.number)

    @classmethod
    def last_ended_before(cls, day: dt.date) -> Quarter:
        """The latest quarter that has ended on or before `day`: the one being reported."""
        current = cls.of(day)
        return current if current.end <= day else current.previous()


@dataclass(frozen=True, order=True, slots=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"Month {self.month} does not exist: months run from 01 to 12.")
        if not 1990 <= self.year <= 2101:
            raise PeriodError(f"{self.year} is outside the years this system reports on.")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        return parse_month(text)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.of(self.first_day)

    @property
    def number(self) -> int:
        """Month number within the financial year: April is Month 1, March is Month 12."""
        return (self.month - FIRST_MONTH) % 12 + 1

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.financial_year, (self.number - 1) // 3 + 1)

    def plus(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.plus(-1)

    def next(self) -> Month:
        return self.plus(1)

    def same_period_last_year(self) -> Month:
        return self.plus(-12)

    def year_to_date(self) -> list[Month]:
        """April of this month's financial year up to and including this month."""
        return self.financial_year.months()[: self.number]

    @property
    def data_label(self) -> str:
        """How board packs state the data month: Month 5, 31 August 2018."""
        return f"Month {self.number}, {self.last_day.day} {self.label}"


Period = FinancialYear | Quarter | Month

# --- Parsing ---------------------------------------------------------------------------------

_YEAR = r"(?P<y1>\d{4}|\d{2})\s*[-/]\s*(?P<y2>\d{4}|\d{2})"
_FINANCIAL_YEAR = re.compile(rf"^(?:fy\s*)?{_YEAR}$")
_QUARTER_CANONICAL = re.compile(rf"^{_YEAR}\s*[- ]?\s*q(?:tr|uarter)?\s*(?P<q>[1-4])$")
_QUARTER_DOCUMENT = re.compile(
    rf"^(?:q|qtr\.?|quarter)\s*(?P<q>[1-4]|one|two|three|four)\s*,?\s*(?:of\s+)?(?:fy\s*)?{_YEAR}$"
)
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")


def _normalise(text: str) -> str:
    if not isinstance(text, str):
        raise PeriodError(f"{text!r} is not a period: expected {FORMS_UNDERSTOOD}.")
    return re.sub(r"\s+", " ", text.strip().lower())


def _year_from_match(match: re.Match[str], original: str) -> FinancialYear:
    first, second = match.group("y1"), match.group("y2")
    start = int(first) if len(first) == 4 else 2000 + int(first)
    end_suffix = int(second) % 100
    if (start + 1) % 100 != end_suffix:
        raise YearSequenceError(
            f"'{original}' is not a financial year: the second year must follow the first "
            f"(e.g. {start}-{(start + 1) % 100:02d})."
        )
    if len(second) == 4 and int(second) != start + 1:
        raise YearSequenceError(
            f"'{original}' is not a financial year: {second} does not follow {start}."
        )
    return FinancialYear(start)


def parse_financial_year(text: str) -> FinancialYear:
    """`2018-19`, `2018/19`, `18/19`, `2018/2019`, `FY 2018-19`."""
    normalised = _normalise(text)
    match = _FINANCIAL_YEAR.match(normalised)
    if not match:
        raise PeriodError(f"'{text}' is not a financial year: write it like 2018-19 or 2018/19.")
    return _year_from_match(match, text)


def parse_quarter(text: str) -> Quarter:
    """`2018-19-Q2`, `Q2 2018-19`, `Qtr 2 2018/19`, `Quarter Two 2018/19`, `Q2 18/19`."""
    normalised = _normalise(text)
    match = _QUARTER_CANONICAL.match(normalised) or _QUARTER_DOCUMENT.match(normalised)
    if not match:
        raise PeriodError(f"'{text}' is not a quarter: write it like 2018-19-Q2 or Q2 2018/19.")
    raw = match.group("q")
    number = _WORD_QUARTERS[raw] if raw in _WORD_QUARTERS else int(raw)
    return Quarter(_year_from_match(match, text), number)


def parse_month(text: str) -> Month:
    """`2018-08` (a calendar month)."""
    normalised = _normalise(text)
    match = _MONTH.match(normalised)
    if not match:
        raise PeriodError(f"'{text}' is not a month: write it like 2018-08 (year, then month).")
    return Month(int(match.group("year")), int(match.group("month")))


def parse_period(text: str) -> Period:
    """Any period in a form found in documents or files.

    `YYYY-MM` with MM from 01 to 12 is a month; otherwise `YYYY-YY` is a financial year
    (`2018-19`). The two forms only collide for financial years before 2012-13, which precede
    the Better Care Fund."""
    normalised = _normalise(text)
    month = _MONTH.match(normalised)
    if month and 1 <= int(month.group("month")) <= 12:
        return parse_month(text)
    if _QUARTER_CANONICAL.match(normalised) or _QUARTER_DOCUMENT.match(normalised):
        return parse_quarter(text)
    if _FINANCIAL_YEAR.match(normalised):
        try:
            return parse_financial_year(text)
        except YearSequenceError:
            if month:
                raise PeriodError(
                    f"'{text}' is neither a month (months run from 01 to 12) nor a financial "
                    "year (the second year must follow the first, like 2018-19)."
                ) from None
            raise
    raise PeriodError(f"'{text}' is not a period this system understands: use {FORMS_UNDERSTOOD}.")
