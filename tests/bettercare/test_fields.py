"""Period fields store canonical text and give back period objects."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bettercare.fields import MoneyField, PeriodFormField
from bettercare.models import Area, Scheme
from bettercare.periods import FinancialYear, Quarter, parse_quarter

pytestmark = pytest.mark.django_db
D = Decimal


def test_quarter_field_round_trips_and_filters(area):
    area.current_quarter = Quarter(FinancialYear(2018), 2)
    area.save()
    stored = Area.objects.values_list("current_quarter", flat=True).get(pk=area.pk)
    assert stored == Quarter(FinancialYear(2018), 2)
    assert Area.objects.filter(current_quarter="2018-19-Q2").exists()
    assert Area.objects.filter(current_quarter__gte=Quarter(FinancialYear(2018), 1)).exists()
    assert not Area.objects.filter(current_quarter__gt=Quarter(FinancialYear(2018), 2)).exists()


def test_text_in_a_document_form_is_accepted_and_bad_text_refused(area):
    area.current_quarter = "Qtr 2 2018/19"
    area.full_clean()
    assert area.current_quarter == parse_quarter("2018-19-Q2")
    area.current_quarter = "Q7 2018"
    with pytest.raises(ValidationError, match="not a quarter"):
        area.full_clean()


def test_financial_year_range_queries(carers):
    carers.first_year = FinancialYear(2017)
    carers.last_year = FinancialYear(2018)
    carers.save()
    assert Scheme.objects.active_in(FinancialYear(2018)).filter(pk=carers.pk).exists()
    assert not Scheme.objects.active_in(FinancialYear(2019)).filter(pk=carers.pk).exists()
    assert not Scheme.objects.active_in(FinancialYear(2016)).filter(pk=carers.pk).exists()
    carers.last_year = ""
    carers.save()
    assert Scheme.objects.active_in(FinancialYear(2030)).filter(pk=carers.pk).exists()


def test_period_form_field_cleans_to_an_object_or_a_message():
    field = PeriodFormField()
    assert field.clean("Q4 2017-18") == Quarter(FinancialYear(2017), 4)
    with pytest.raises(ValidationError, match="not a period"):
        field.clean("sometime")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("£1.374m", D("1374000.00")),
        ("1,374,000", D("1374000.00")),
        ("£607k", D("607000.00")),
        ("(£33k)", D("-33000.00")),
        ("£3.60 Million", D("3600000.00")),
        ("£1.285M", D("1285000.00")),
        ("-£1k", D("-1000.00")),
        ("  £48,820,000  ", D("48820000.00")),
        ("1208000.50", D("1208000.50")),
        ("", None),
        ("   ", None),
    ],
)
def test_money_field_stores_exact_pounds_and_pence(typed, stored):
    assert MoneyField(required=False, allow_negative=True).clean(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "'lots' is not an amount of money"),
        ("£1.2.3m", "is not an amount of money"),
        ("£0.001", "fractions of a penny"),
        ("(-£33k)", "negative twice"),
        ("90%", "not an amount of money"),
        ("<script>alert(1)</script>", "is not an amount of money"),
    ],
)
def test_money_field_refuses_what_it_cannot_read_exactly(typed, message):
    with pytest.raises(ValidationError, match=message):
        MoneyField().clean(typed)


def test_money_field_refuses_a_negative_amount_unless_allowed():
    with pytest.raises(ValidationError, match="zero or more"):
        MoneyField().clean("(£33k)")
    assert MoneyField(allow_negative=True).clean("(£33k)") == D("-33000.00")


def test_money_field_shows_a_stored_amount_in_full_and_typing_as_typed():
    field = MoneyField()
    assert field.prepare_value(D("-33000.00")) == "(£33,000)"
    assert field.prepare_value(D("1208000.50")) == "£1,208,000.50"
    assert field.prepare_value("£1.2.3m") == "£1.2.3m"
