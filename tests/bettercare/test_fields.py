"""Period fields store canonical text and give back period objects."""

import pytest
from django.core.exceptions import ValidationError

from bettercare.fields import PeriodFormField
from bettercare.models import Area
from bettercare.periods import FinancialYear, Quarter, parse_quarter
from schemes.models import Scheme

pytestmark = pytest.mark.django_db


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
