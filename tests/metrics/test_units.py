from decimal import Decimal as D

import pytest

from metrics.units import bounds_problem, format_value, unit_label


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (D("28534"), "count", "28,534"),
        (D("28534.0000"), "count", "28,534"),
        (D("2377.8333"), "count", "2,377.8"),
        (D("4.25"), "percent", "4.3%"),
        (D("90"), "percent", "90.0%"),
        (D("16.781"), "rate", "16.8"),
        (D("809.79"), "rate", "809.8"),
        (D("2821"), "rate", "2,821"),  # a rate of 1,000 or more is shown whole
        (D("28.6129"), "per_day", "28.6"),
        (D("1140"), "days", "1,140"),
        (None, "count", "\u2013"),
    ],
)
def test_format_value_rounds_half_up_for_display(value, unit, text):
    assert format_value(value, unit) == text


def test_unit_labels_name_the_population_of_a_rate():
    assert unit_label("rate", "population aged 65+") == "Rate per 100,000 population aged 65+"
    assert unit_label("percent") == "Percentage (%)"


def test_bounds():
    assert bounds_problem(D(-1), "count") == "a count cannot be negative"
    assert bounds_problem(D("100.1"), "percent") == "a percentage cannot be more than 100"
    assert bounds_problem(D(100), "percent") == ""
    assert bounds_problem(D(150), "rate") == ""
