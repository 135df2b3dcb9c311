"""Importing finance files: whole-file checks, every bad row by line, nothing written, history."""

import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from bettercare.funding import FundingSource
from bettercare.periods import FinancialYear, Month
from bettercare.tabular import FileRefused
from finance.imports import finance_file_check
from finance.models import Budget, Forecast
from finance.services import finance_file_import, forecast_note_save
from tests.factories import SchemeFactory

from .conftest import AREA, BUDGETS_2018, MONTH_4, MONTH_5, finance_csv, finance_xlsx

pytestmark = pytest.mark.django_db


def refusal(data, *, area=None, file_name="finance.csv") -> list[str]:
    with pytest.raises(FileRefused) as refused:
        finance_file_import(data=data, file_name=file_name, area=area)
    assert Budget.objects.count() == 0 and Forecast.objects.count() == 0
    return [str(problem) for problem in refused.value.problems]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        # The bad inputs: amounts that do not parse ...
        (
            [AREA, "2018-19", 2, "CCG", "budget", "", "lots"],
            "Line 3: amount: 'lots' is not an amount of money",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "budget", "", "£1.2.3m"],
            "Line 3: amount: '£1.2.3m' is not an amount of money",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "budget", "", "12.345"],
            "Line 3: amount: '12.345' has fractions of a penny",
        ),
        # ... a budget for a scheme or partner the area does not have ...
        (
            [AREA, "2018-19", 11, "CCG", "budget", "", "100"],
            "Line 3: Southampton has no scheme 11.",
        ),
        (
            [AREA, "2018-19", 2, "ICB", "budget", "", "100"],
            "Line 3: Southampton has no partner ICB (its partners are CCG, SCC).",
        ),
        # ... a forecast month outside the financial year ...
        (
            [AREA, "2018-19", 2, "CCG", "forecast", "2019-04", "100"],
            "Line 3: month 2019-04 is outside the financial year 2018/19 (2018-04 to 2019-03).",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "forecast", "2018-03", "100"],
            "Line 3: month 2018-03 is outside the financial year 2018/19",
        ),
        # ... and more that a person can get wrong.
        ([AREA, "2018-19", 2, "CCG", "budget", "", "-100"], "Line 3: amount (£100) is negative"),
        ([AREA, "2018-19", 2, "CCG", "budget", "", ""], "Line 3: amount is empty."),
        (
            [AREA, "2018-19", 2, "CCG", "budget", "2018-08", "100"],
            "Line 3: a budget is for the whole year: leave month empty",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "forecast", "", "100"],
            "Line 3: a forecast needs the month it was made in",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "forecast", "Aug 2018", "100"],
            "Line 3: month: 'Aug 2018' is not a month",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "outturn", "", "100"],
            "Line 3: kind 'outturn' must be budget or forecast.",
        ),
        (
            [AREA, "2018/20", 2, "CCG", "budget", "", "100"],
            "Line 3: financial_year: '2018/20' is not a financial year",
        ),
        (
            [AREA, "2018-19", "two", "CCG", "budget", "", "100"],
            "Line 3: scheme 'two' is not a scheme number",
        ),
        (
            [AREA, "2016-17", 2, "CCG", "budget", "", "100"],
            "Line 3: scheme 2 (Clusters) is not running in 2016/17.",
        ),
        (
            ["E06000099", "2018-19", 2, "CCG", "budget", "", "100"],
            "Line 3: unknown area “E06000099” (give the area's ONS code)",
        ),
        (
            [AREA, "2018-19", 2, "CCG", "budget", "", "100", "extra"],
            "Line 3: has more cells than the header has columns",
        ),
    ],
)
def test_each_bad_row_refuses_the_whole_file_with_its_line(schemes, row, problem):
    good = [AREA, "2018-19", 1, "CCG", "budget", "", "1240000"]
    problems = refusal(finance_csv([good, row]))
    assert len(problems) == 1
    assert problems[0].startswith(problem), problems[0]


def test_two_budgets_for_the_same_scheme_partner_and_year_are_refused_naming_both_lines(schemes):
    problems = refusal(
        finance_csv(
            [
                [AREA, "2018-19", 2, "CCG", "budget", "", "100"],
                [AREA, "2018/19", 2, "ccg", "budget", "", "£200"],
                [AREA, "2018-19", 2, "CCG", "forecast", "2018-08", "100"],
                [AREA, "2018-19", 2, "CCG", "forecast", "2018-08", "110"],
            ]
        )
    )
    assert problems == [
        "Line 3: repeats line 2 (scheme 2, CCG, budget 2018/19): keep one of the two",
        "Line 5: repeats line 4 (scheme 2, CCG, forecast Month 5 (2018-08)): keep one of the two",
    ]


def test_every_bad_row_is_listed_in_line_order_and_good_rows_are_not_written(schemes):
    rows = [
        [AREA, "2018-19", 1, "CCG", "budget", "", "1240000"],
        [AREA, "2018-19", 2, "CCG", "budget", "", "n/a"],
        [AREA, "2018-19", 1, "SCC", "budget", "", "134000"],
        [AREA, "2018-19", 99, "XYZ", "forecast", "2020-01", "(£5k)"],
    ]
    problems = refusal(finance_csv(rows))
    assert [problem.split(":")[0] for problem in problems] == [
        "Line 3",
        "Line 5",
        "Line 5",
        "Line 5",
        "Line 5",
    ]


def test_xlsx_files_are_read_like_csv_including_months_excel_turned_into_dates(schemes):
    import datetime as dt

    rows = [
        [AREA, "2018-19", 2, "CCG", "budget", None, 49120000],
        [AREA, "2018-19", 2, "CCG", "forecast", dt.datetime(2018, 8, 1), "£49.51m"],
        [AREA, "2018-19", 2, "CCG", "forecast", "2018-09", "abc"],
    ]
    with pytest.raises(FileRefused) as refused:
        finance_file_import(data=finance_xlsx(rows), file_name="finance.xlsx")
    assert [str(p) for p in refused.value.problems] == [
        "Line 4: amount: 'abc' is not an amount of money: write it like £1,374,000, £1.374m, "
        "£607k or (£33k)."
    ]
    plan = finance_file_import(data=finance_xlsx(rows[:2]), file_name="finance.xlsx")
    assert plan.summary() == "1 budget and 1 forecast: 2 new, 0 changed, 0 unchanged"
    assert Forecast.objects.get().month == Month(2018, 8)
    assert Forecast.objects.get().amount == D("49510000.00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "finance.csv is empty."),
        (
            b"area,financial_year,scheme,partner,kind,amount\n",
            "finance.csv: the header row (line 1) has missing column month.",
        ),
        (
            b"area,financial_year,scheme,partner,kind,month,amount,comment\n",
            "finance.csv: the header row (line 1) has unknown column comment.",
        ),
        (
            b"area,financial_year,scheme,partner,kind,month,amount\n",
            "finance.csv was not imported: 1 row has problems.",
        ),
    ],
)
def test_files_that_cannot_be_used_at_all_are_refused(schemes, data, message):
    with pytest.raises(FileRefused) as refused:
        finance_file_import(data=data, file_name="finance.csv")
    assert str(refused.value).startswith(message)


def test_an_upload_takes_rows_only_for_the_analysts_current_area(schemes, other_area):
    rows = [
        [AREA, "2018-19", 2, "CCG", "budget", "", "100"],
        [other_area.code, "2018-19", 1, "CCG", "budget", "", "100"],
    ]
    problems = refusal(finance_csv(rows), area=other_area)
    assert problems == [
        "Line 2: the row is for Southampton (E06000045), but this upload is for Portsmouth "
        "(E06000044)",
        "Line 3: Portsmouth has no scheme 1.",
    ]


def test_the_command_line_takes_each_rows_area(schemes, other_area):
    SchemeFactory(
        area=other_area,
        number=1,
        name="Portsmouth carers",
        host=other_area.partners.get(code="CCG"),
        first_year=FinancialYear(2017),
    )
    rows = [
        [AREA, "2018-19", 2, "CCG", "budget", "", "100"],
        [other_area.code.lower(), "2018-19", 1, "CCG", "budget", "", "200"],
    ]
    finance_file_import(data=finance_csv(rows), file_name="two-areas.csv")
    assert sorted(Budget.objects.values_list("area__code", "amount")) == [
        ("E06000044", D("200.00")),
        ("E06000045", D("100.00")),
    ]


def test_reimport_replaces_amounts_keeps_history_and_notes_and_leaves_the_unchanged(month5):
    forecast = Forecast.objects.get(scheme__number=2, partner__code="CCG", month=Month(2018, 8))
    forecast_note_save(forecast=forecast, note="Community packages above plan.")
    budget = Budget.objects.get(scheme__number=2, partner__code="CCG")
    assert budget.funding_source == FundingSource.NHS
    assert Budget.objects.get(scheme__number=8).funding_source == FundingSource.COUNCIL
    history_before = Forecast.history.count()

    changed = [row[:] for row in MONTH_5]
    changed[2][6] = "49600000"  # Clusters CCG at Month 5
    plan = finance_file_import(data=finance_csv(BUDGETS_2018 + changed), file_name="again.csv")

    assert plan.summary() == "5 budgets and 5 forecasts: 0 new, 1 changed, 9 unchanged"
    forecast.refresh_from_db()
    assert forecast.amount == D("49600000.00")
    assert forecast.note == "Community packages above plan."
    assert Forecast.history.count() == history_before + 1
    amounts = list(forecast.history.order_by("history_date").values_list("amount", flat=True))
    assert amounts == [D("49510000.00"), D("49510000.00"), D("49600000.00")]
    assert forecast.history.latest().history_change_reason == "Imported from again.csv"


def test_a_check_does_not_write_and_the_plan_says_what_would_change(month5):
    plan = finance_file_check(data=finance_csv(MONTH_5[:1]), file_name="x.csv")
    # The file repeats Month 5's first forecast as held: the plan says so, and holds its amount.
    assert plan.rows[0].change == "unchanged" and plan.rows[0].current == D("1240000.00")
    assert plan.rows[0].describe() == "scheme 1, CCG, forecast Month 5 (2018-08)"
    assert Forecast.objects.filter(month=Month(2018, 8)).count() == 5


def test_import_finance_command_imports_and_reports(schemes, tmp_path, capsys):
    path = tmp_path / "month5.csv"
    path.write_bytes(finance_csv(BUDGETS_2018 + MONTH_4 + MONTH_5))
    call_command("import_finance", str(path), "--dry-run")
    assert "would import 5 budgets and 10 forecasts: 15 new" in capsys.readouterr().out
    assert Forecast.objects.count() == 0
    call_command("import_finance", str(path))
    assert "imported 5 budgets and 10 forecasts: 15 new" in capsys.readouterr().out
    assert Forecast.objects.count() == 10
    assert Budget.objects.filter(financial_year=FinancialYear(2018)).count() == 5


def test_import_finance_command_refuses_a_bad_file_listing_every_line(schemes, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        finance_csv(
            [
                [AREA, "2018-19", 2, "CCG", "budget", "", "oops"],
                [AREA, "2018-19", 12, "CCG", "budget", "", "100"],
            ]
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("import_finance", str(path))
    assert error.value.returncode == 1
    assert str(error.value).splitlines() == [
        "bad.csv was not imported: 2 rows have problems. Nothing was changed; correct the rows "
        "below and upload the whole file again.",
        "  Line 2: amount: 'oops' is not an amount of money: write it like £1,374,000, £1.374m, "
        "£607k or (£33k).",
        "  Line 3: Southampton has no scheme 12.",
    ]
    assert Budget.objects.count() == 0
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_finance", str(tmp_path / "missing.csv"))


def test_manage_py_exits_non_zero_on_a_refused_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"area,scheme\nE06000045,1\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_finance", str(path)],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "the header row (line 1) has missing columns financial_year, partner, kind" in (
        result.stderr
    )


NOTE_COLUMNS = ("area", "financial_year", "scheme", "partner", "kind", "month", "amount", "note")


def test_an_optional_last_column_gives_each_forecast_its_finance_leads_note(
    schemes, login, analyst
):
    """The note column is optional: files without it import as before. A note is kept with its
    forecast and shown on the Finance pages; an empty note leaves the one held alone; a budget
    cannot have one; a new note alone is a change the preview shows."""
    rows = [
        [AREA, "2018-19", 2, "CCG", "budget", "", "49120000", ""],
        [AREA, "2018-19", 2, "CCG", "forecast", "2018-08", "49210000", "Home oxygen referrals up."],
        [AREA, "2018-19", 1, "SCC", "forecast", "2018-08", "134000", ""],
    ]
    plan = finance_file_import(data=finance_csv(rows, header=NOTE_COLUMNS), file_name="f.csv")
    assert plan.counts == {"new": 3, "replaced": 0, "unchanged": 0}
    clusters = Forecast.objects.get(scheme__number=2, partner__code="CCG", month=Month(2018, 8))
    assert clusters.note == "Home oxygen referrals up."
    page = login(analyst).get("/finance/schemes/2/?month=2018-08").content.decode()
    assert "Home oxygen referrals up." in page

    forecast_note_save(forecast=Forecast.objects.get(scheme__number=1), note="Written by hand.")
    again = finance_file_import(data=finance_csv(rows, header=NOTE_COLUMNS), file_name="f.csv")
    assert again.counts == {"new": 0, "replaced": 0, "unchanged": 3}
    assert Forecast.objects.get(scheme__number=1).note == "Written by hand."  # not wiped

    rows[1][7] = "Referrals up; the orthotics pathway is being reviewed."
    changed = finance_file_import(data=finance_csv(rows, header=NOTE_COLUMNS), file_name="f.csv")
    assert [row.describe() for row in changed.of("replaced")] == [
        "scheme 2, CCG, forecast Month 5 (2018-08)"
    ]
    clusters.refresh_from_db()
    assert clusters.note == "Referrals up; the orthotics pathway is being reviewed."
    assert clusters.history.count() == 2  # the earlier note stays in the history

    bad = [[AREA, "2018-19", 2, "CCG", "budget", "", "49120000", "A budget's note."]]
    with pytest.raises(FileRefused) as refused:
        finance_file_import(data=finance_csv(bad, header=NOTE_COLUMNS), file_name="f.csv")
    assert [str(problem) for problem in refused.value.problems] == [
        "Line 2: a note gives the reason for a forecast: leave note empty for a budget."
    ]
