"""The one period picker: the periods a page offers, read as people write them, refused when not
offered, named alike everywhere."""

import pytest
from django.test import RequestFactory

from bettercare.periods import FinancialYear, Month, Quarter
from bettercare.pickers import PeriodChoiceField, period_choice_label, pick_period

MONTHS = [Month(2018, 8), Month(2018, 7)]
Q2 = Quarter(FinancialYear(2018), 2)


def picked(query: str, **kwargs):
    request = RequestFactory().get(f"/page/{query}")
    return pick_period(request, **kwargs)


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Month(2018, 8), "August 2018 (Month 5, 2018/19)"),
        (Q2, "Q2 2018/19"),
        (FinancialYear(2018), "2018/19"),
    ],
)
def test_every_picker_names_a_period_the_same_way(period, label):
    assert period_choice_label(period) == label


def test_nothing_asked_for_gives_the_default_and_shows_it_chosen():
    month, picker = picked("", name="month", label="Month", periods=MONTHS, default=MONTHS[1])
    assert month == Month(2018, 7)
    assert 'value="2018-07" selected' in str(picker.field)
    assert not picker.errors


@pytest.mark.parametrize("typed", ["2018-19-Q2", "Q2 2018/19", " q2 2018/19 "])
def test_a_period_is_read_as_people_write_it(typed):
    quarter, picker = picked(
        f"?quarter={typed}", name="quarter", label="Q", periods=[Q2], default=None
    )
    assert quarter == Q2 and not picker.errors


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?month=2030-01", "Select a valid choice. 2030-01 is not one of the available choices."),
        ("?month=August", "is not a month"),
        ("?month=", "This field is required."),
    ],
)
def test_a_period_not_offered_is_refused_never_replaced(query, error):
    month, picker = picked(query, name="month", label="Month", periods=MONTHS, default=MONTHS[0])
    assert month is None
    assert error in " ".join(picker.errors["month"])


def test_the_field_cleans_to_a_period_object_and_shows_its_text():
    field = PeriodChoiceField(periods=MONTHS)
    assert field.clean("2018-08") == Month(2018, 8)
    assert field.prepare_value(Month(2018, 8)) == "2018-08"
    assert field.choices == [
        ("2018-08", "August 2018 (Month 5, 2018/19)"),
        ("2018-07", "July 2018 (Month 4, 2018/19)"),
    ]
