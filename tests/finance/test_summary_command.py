"""manage.py finance_summary: the table for people, and clear refusals."""

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def summary(*args) -> str:
    out = io.StringIO()
    call_command("finance_summary", *args, stdout=out)
    return out.getvalue()


def test_the_table_shows_every_line_and_the_boards_words(month5):
    text = summary("--area", "e06000045", "--month", "2018-08", "--format", "table")
    lines = text.splitlines()
    assert lines[0] == "Southampton (E06000045) pooled fund at Month 5, 31 August 2018 (2018/19)"
    assert any(
        line.split() == ["2.", "Clusters", "CCG", "£49,120,000", "£49,510,000", "£390,000", "0.79%"]
        for line in lines
    )
    assert any(
        line.split() == ["All", "All", "£56,878,000", "£56,938,000", "£60,000", "0.11%"]
        for line in lines
    )
    assert lines[-1].startswith("A projected year end overspend of £0.06M")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--area", "E06000099", "--month", "2018-08"],
            "There is no area with the code E06000099.",
        ),
        (["--area", "E06000045", "--month", "August"], "'August' is not a month"),
        (["--area", "E06000045", "--month", "2016-08"], "Southampton has no budgets or forecasts"),
    ],
)
def test_refusals_say_what_is_wrong(month5, args, message):
    with pytest.raises(CommandError, match=message):
        summary(*args)
